/** Prometheus metrics: request counts and latency per operation, plus gauges that capabilities register. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The process's metric registry and the request instruments the HTTP layer records into. */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'bulwark_requests_total',
    help: 'API requests by operation and outcome',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'bulwark_request_duration_seconds',
    help: 'API request latency by operation',
    labelNames: ['operation'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'bulwark_' });
  }

  observeRequest(operation: string, outcome: string, seconds: number): void {
    this.requests.inc({ operation, outcome });
    this.latency.observe({ operation }, seconds);
  }

  /** Registers a gauge whose value is read when /metrics is scraped. */
  registerGauge(name: string, help: string, read: () => Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await read());
      },
    });
  }
}
