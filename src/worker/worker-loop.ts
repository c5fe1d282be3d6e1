/** The polling loops of a worker node: jobs, outbox events and schedules, each stopping after its current item. */
import type { Logger } from 'pino';
import type { Db } from '../storage/index.js';
import type { EventDispatcher } from './event-dispatcher.js';
import type { JobDefinition } from './job-definitions.js';
import type { JobQueue, LeasedJob } from './job-queue.js';
import type { Scheduler } from './scheduler.js';

/** What a worker loop runs and how often it looks for work. */
export interface WorkerLoopOptions {
  db: Db;
  /** This node's id, recorded as lease owner. */
  owner: string;
  logger: Logger;
  /** Idle poll interval (ms). */
  pollMs: number;
  /** Lease of a claimed job (ms); renewed every third of it while the job runs. */
  leaseMs: number;
  /** Run jobs of these definitions (omit for a node without the worker role). */
  jobs?: { queue: JobQueue; definitions: readonly JobDefinition[] };
  /** Dispatch outbox events (omit for a node without the worker role). */
  dispatcher?: EventDispatcher;
  /** Enqueue schedule occurrences (omit for a node without the scheduler role). */
  scheduler?: Scheduler;
  clock?: () => number;
}

/** One polling loop: runs `step` back to back while it finds work, else sleeps `pollMs`; stop() waits for it. */
class PollingLoop {
  private stopped = false;
  private wake: (() => void) | undefined;
  private done: Promise<void> | undefined;

  constructor(
    private readonly name: string,
    private readonly pollMs: number,
    private readonly logger: Logger,
    private readonly step: () => Promise<boolean>,
  ) {}

  start(): void {
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.done;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let busy = false;
      try {
        busy = await this.step();
      } catch (error) {
        this.logger.error({ err: error, loop: this.name }, 'worker loop step failed');
      }
      if (!busy && !this.stopped) await this.sleep(this.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

/** Runs the configured loops until stopped. */
export class WorkerLoop {
  private readonly loops: PollingLoop[] = [];
  private readonly definitions = new Map<string, JobDefinition>();
  private readonly clock: () => number;
  private lastSweep = 0;

  constructor(private readonly options: WorkerLoopOptions) {
    this.clock = options.clock ?? Date.now;
    for (const definition of options.jobs?.definitions ?? []) {
      if (this.definitions.has(definition.name)) throw new Error(`two jobs are named ${definition.name}`);
      this.definitions.set(definition.name, definition);
    }
    const { jobs, dispatcher, scheduler, pollMs, logger } = options;
    if (jobs !== undefined) {
      this.loops.push(new PollingLoop('jobs', pollMs, logger, () => this.runOneJob(jobs.queue)));
    }
    if (dispatcher !== undefined) {
      this.loops.push(
        new PollingLoop('outbox', pollMs, logger, async () => (await dispatcher.dispatchOnce()) > 0),
      );
    }
    if (scheduler !== undefined) {
      this.loops.push(new PollingLoop('schedules', pollMs, logger, async () => (await scheduler.tick()) > 0));
    }
  }

  /** Registers schedules and subscriber cursors, then starts polling. */
  async start(): Promise<void> {
    await this.options.scheduler?.register();
    await this.options.dispatcher?.register();
    for (const loop of this.loops) loop.start();
  }

  /** Stops polling; the job or event being handled finishes first (the process's shutdown timeout bounds it). */
  async stop(): Promise<void> {
    this.options.dispatcher?.stop();
    await Promise.all(this.loops.map((loop) => loop.stop()));
  }

  private async runOneJob(queue: JobQueue): Promise<boolean> {
    const { owner, leaseMs, logger } = this.options;
    if (this.clock() - this.lastSweep > 30_000) {
      this.lastSweep = this.clock();
      const failed = await queue.failAbandoned();
      if (failed > 0) logger.warn({ failed }, 'jobs failed after their last lease expired');
    }
    const job = await queue.claim(owner, [...this.definitions.keys()], leaseMs);
    if (job === undefined) return false;
    const definition = this.definitions.get(job.name);
    if (definition === undefined) return true;
    await this.execute(queue, definition, job);
    return true;
  }

  private async execute(queue: JobQueue, definition: JobDefinition, job: LeasedJob): Promise<void> {
    const { db, leaseMs, logger } = this.options;
    const lost = new AbortController();
    const signal = lost.signal;
    const renewal = setInterval(
      () => {
        queue.renew(job, leaseMs).then(
          (kept) => {
            if (!kept) lost.abort(new Error('the job lease was lost'));
          },
          (error: unknown) => logger.warn({ err: error, job: job.id }, 'job lease renewal failed'),
        );
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    const log = logger.child({ job: job.id, jobName: job.name, attempt: job.attempt });
    try {
      await definition.handle(
        { db, jobId: job.id, attempt: job.attempt, signal, logger: log, now: () => new Date(this.clock()) },
        job.payload,
      );
      clearInterval(renewal);
      if (!(await queue.complete(job)))
        log.warn('job finished after its lease was lost; its outcome is not recorded');
    } catch (error) {
      clearInterval(renewal);
      log.error({ err: error }, 'job failed');
      await queue.fail(job, error);
    }
  }
}
