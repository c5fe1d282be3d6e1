/** What a background job is: a name, an optional schedule, and a handler. */
import type { Logger } from 'pino';
import type { Db } from '../storage/index.js';

/** What a job handler receives. */
export interface JobContext {
  db: Db;
  /** The job row's id. */
  jobId: number;
  /** 1 on the first run; a job re-run after a crash or failure sees a higher number. */
  attempt: number;
  /** Aborted when the worker stops or loses the job's lease; long handlers should check it between batches. */
  signal: AbortSignal;
  logger: Logger;
  /** The current time (a clock tests can move). */
  now(): Date;
}

/**
 * A job type. Handlers must be idempotent: a job whose worker dies is run again once its lease expires.
 * `every` (ms) makes it recurring: the scheduler enqueues one occurrence per period across all nodes.
 */
export interface JobDefinition<P = unknown> {
  name: string;
  every?: number;
  /** With `every`: when a scheduler starts, the next occurrence is at most this many ms away (default: `every`). */
  firstAfter?: number;
  /** Tries before the job is marked failed; default 5. */
  maxAttempts?: number;
  handle(ctx: JobContext, payload: P): Promise<void>;
}
