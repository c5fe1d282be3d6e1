/** The job queue: enqueue in the caller's transaction, claim with a lease, finish fenced by the attempt number. */
import type { Db, DbExecutor, JobRow, WorkQueueSql } from '../storage/index.js';

/** A job to enqueue. */
export interface NewJob {
  name: string;
  payload?: unknown;
  /** Not before this time; default now. */
  runAt?: Date | number;
  /** At most one job ever exists per key (schedules use `schedule:<name>:<occurrence>`). */
  dedupeKey?: string;
  /** Default 5. */
  maxAttempts?: number;
}

/** A job leased to one worker. `attempt` is the fencing token every later call presents. */
export interface LeasedJob {
  id: number;
  name: string;
  payload: unknown;
  attempt: number;
  maxAttempts: number;
  owner: string;
  leaseExpiresAt: number;
}

/** Default tries of a job. */
export const defaultMaxAttempts = 5;

/** Enqueues `job` in `db` (pass the transaction of the change it belongs to); undefined when its dedupe key exists. */
export async function enqueue(db: DbExecutor, job: NewJob, now = Date.now()): Promise<number | undefined> {
  const runAt =
    job.runAt === undefined ? now : typeof job.runAt === 'number' ? job.runAt : job.runAt.getTime();
  const row = await db
    .insertInto('jobs')
    .values({
      name: job.name,
      payload: JSON.stringify(job.payload ?? null),
      state: 'queued',
      run_at: runAt,
      attempts: 0,
      max_attempts: job.maxAttempts ?? defaultMaxAttempts,
      lease_owner: null,
      lease_expires_at: null,
      last_error: null,
      dedupe_key: job.dedupeKey ?? null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** Delay before retry `attempt` + 1: 1 s, 2 s, 4 s, … capped at 5 minutes. */
export function retryDelayMs(attempt: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempt - 1), 5 * 60_000);
}

function toLeasedJob(row: JobRow): LeasedJob {
  return {
    id: row.id,
    name: row.name,
    payload: JSON.parse(row.payload) as unknown,
    attempt: row.attempts,
    maxAttempts: row.max_attempts,
    owner: row.lease_owner ?? '',
    leaseExpiresAt: row.lease_expires_at ?? 0,
  };
}

/** Claims, renews and finishes jobs for the workers of one database. */
export class JobQueue {
  constructor(
    private readonly db: Db,
    private readonly sql: WorkQueueSql,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Leases the oldest due job among `names` to `owner` for `leaseMs`; undefined when nothing is due. */
  async claim(owner: string, names: readonly string[], leaseMs: number): Promise<LeasedJob | undefined> {
    if (names.length === 0) return undefined;
    const now = this.clock();
    const row = await this.sql.claimJob(this.db, { owner, names, now, leaseExpiresAt: now + leaseMs });
    return row === undefined ? undefined : toLeasedJob(row);
  }

  /** Extends the lease; false when the job is no longer this worker's (its lease expired and was taken). */
  async renew(job: LeasedJob, leaseMs: number): Promise<boolean> {
    const now = this.clock();
    const result = await this.fenced(job)
      .set({ lease_expires_at: now + leaseMs, updated_at: now })
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Marks the job done; false when the lease had been lost (another worker owns the job now). */
  async complete(job: LeasedJob): Promise<boolean> {
    const now = this.clock();
    const result = await this.fenced(job)
      .set({ state: 'done', lease_owner: null, lease_expires_at: null, last_error: null, updated_at: now })
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /**
   * Records a failed attempt: the job is queued again after a backoff, or marked failed when it has no
   * attempts left (or `retry` is false). False when the lease had been lost.
   */
  async fail(job: LeasedJob, error: unknown, retry = true): Promise<boolean> {
    const now = this.clock();
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    const final = !retry || job.attempt >= job.maxAttempts;
    const result = await this.fenced(job)
      .set({
        state: final ? 'failed' : 'queued',
        run_at: final ? now : now + retryDelayMs(job.attempt),
        lease_owner: null,
        lease_expires_at: null,
        last_error: message,
        updated_at: now,
      })
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Marks failed the running jobs whose lease expired with no attempts left (their workers died every time). */
  async failAbandoned(): Promise<number> {
    const now = this.clock();
    const result = await this.db
      .updateTable('jobs')
      .set({
        state: 'failed',
        lease_owner: null,
        lease_expires_at: null,
        last_error: 'lease expired',
        updated_at: now,
      })
      .where('state', '=', 'running')
      .where('lease_expires_at', '<=', now)
      .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  private fenced(job: LeasedJob) {
    return this.db
      .updateTable('jobs')
      .where('id', '=', job.id)
      .where('state', '=', 'running')
      .where('lease_owner', '=', job.owner)
      .where('attempts', '=', job.attempt);
  }
}
