/** Kysely row types of background work: the job queue, the outbox with its subscriber cursors and dead letters, and recurring schedules. */
import type { Generated } from 'kysely';

/** A unit of background work: queued, leased to one worker while running, then done or failed. */
export interface JobsTable {
  id: Generated<number>;
  name: string;
  payload: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  run_at: number;
  attempts: number;
  max_attempts: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: number;
  updated_at: number;
}

/** An event raised by a committed change, written in the change's own transaction. */
export interface OutboxTable {
  seq: Generated<number>;
  /** The writing transaction's id on PostgreSQL (column default); 0 on SQLite, whose commits are serial. */
  txid: Generated<number>;
  type: string;
  account_id: string;
  payload: string;
  created_at: number;
}

/** How far one subscriber has got through the outbox, and which worker holds it. */
export interface OutboxCursorsTable {
  subscriber: string;
  last_txid: number;
  last_seq: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  failures: number;
  retry_at: number;
  last_error: string | null;
  updated_at: number;
}

/** An event a subscriber gave up on after repeated failures, with its payload, kept until redriven or discarded. */
export interface OutboxDeadLettersTable {
  subscriber: string;
  seq: number;
  error: string;
  failed_at: number;
  /** The event (null only for dead letters whose outbox row was pruned before payloads were kept). */
  txid: number | null;
  type: string | null;
  account_id: string | null;
  payload: string | null;
  created_at: number | null;
  /** Set by a redrive request: a worker handles the event again. */
  redrive_requested_at: number | null;
  attempts: Generated<number>;
}

/** A recurring job: when its next occurrence is due. */
export interface SchedulesTable {
  name: string;
  every_ms: number;
  next_run_at: number;
  updated_at: number;
}

/** The worker tables by name. */
export interface WorkerTables {
  jobs: JobsTable;
  outbox: OutboxTable;
  outbox_cursors: OutboxCursorsTable;
  outbox_dead_letters: OutboxDeadLettersTable;
  schedules: SchedulesTable;
}
