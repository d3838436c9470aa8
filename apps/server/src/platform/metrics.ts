import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics for one process. Created once in the composition root. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'clipmix_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly jobsByStatus = new Gauge({
    name: 'clipmix_jobs',
    help: 'Jobs by status and type (sampled from the database at scrape time)',
    labelNames: ['status', 'type'],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'clipmix_queue_depth',
    help: 'Jobs waiting to run',
    registers: [this.registry],
  });
  readonly jobsFinished = new Counter({
    name: 'clipmix_jobs_finished_total',
    help: 'Jobs finished by this process',
    labelNames: ['type', 'status'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'clipmix_' });
  }
}
