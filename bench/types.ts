export interface BenchMetric {
  name: string;
  value: number;
  unit: string;
  /** Human-readable target, e.g. "≥ 2.5". */
  target?: string;
  pass?: boolean;
}

export interface BenchScenario {
  name: string;
  description: string;
  run(): Promise<BenchMetric[]>;
}

export interface BenchResult {
  scenario: string;
  description: string;
  started_at: string;
  machine: { cpus: number; node: string };
  metrics: BenchMetric[];
}
