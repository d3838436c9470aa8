import type { AppContext } from '../../app.js';

export class JobsService {
  constructor(private readonly ctx: AppContext) {}
  async startWorkers(_count: number): Promise<void> {}
  async stop(): Promise<void> {}
  async sampleMetrics(): Promise<void> {}
}
