/**
 * Background work: the job queue, the event outbox with one cursor per subscriber, and recurring schedules.
 *
 * - `jobs`: one row per unit of work. A worker claims a due `queued` row (or a `running` row whose lease has
 *   expired, i.e. whose worker died) by setting `state = running`, `lease_owner`, `lease_expires_at` and
 *   `attempts + 1` in one statement; `attempts` doubles as the fencing token that `complete`/`fail`/renewal
 *   must present, so a worker that lost its lease cannot overwrite its successor's outcome. `dedupe_key` is
 *   unique (NULLs allowed): a schedule occurrence is enqueued at most once.
 * - `outbox`: events written by the transaction that made the change. `txid` is the writing transaction's id
 *   on PostgreSQL (column default), 0 on SQLite. Subscribers read in (txid, seq) order, only below the oldest
 *   still-running transaction (PostgreSQL's snapshot xmin), so an event that commits late can never fall behind
 *   a cursor that has already moved past it; SQLite commits one writer at a time, so seq order is commit order.
 * - `outbox_cursors`: one row per subscriber — its position (last_txid, last_seq), the worker leasing it, and
 *   retry state. Handling an event and moving the cursor from exactly the position read to that event commit
 *   in one transaction (compare-and-set), so each event takes effect once per subscriber even when two
 *   workers race after a lease expiry: the loser's compare-and-set matches no row and its transaction rolls back.
 * - `outbox_dead_letters`: events a subscriber gave up on after repeated failures.
 * - `schedules`: one row per recurring job with its next occurrence; a node enqueues an occurrence only by
 *   moving `next_run_at` from the value it read (compare-and-set) in the same transaction as the enqueue.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

export function jobsAndOutboxSchema(traits: DialectTraits): Migration {
  const big = traits.bigInteger;
  const serial = traits.autoIncrementKey;
  const primary = traits.engine === 'sqlite';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('jobs')
        .addColumn('id', serial, (c) => (primary ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('run_at', big, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', big)
        .addColumn('last_error', 'text')
        .addColumn('dedupe_key', 'text', (c) => c.unique())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('jobs_due').on('jobs').columns(['state', 'run_at', 'id']).execute();
      await db.schema.createIndex('jobs_leased').on('jobs').columns(['state', 'lease_expires_at']).execute();
      await db.schema.createIndex('jobs_finished').on('jobs').columns(['state', 'updated_at']).execute();

      await db.schema
        .createTable('outbox')
        .addColumn('seq', serial, (c) => (primary ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('txid', big, (c) =>
          c.notNull().defaultTo(traits.engine === 'postgres' ? sql`(pg_current_xact_id()::text::bigint)` : 0),
        )
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('outbox_order').on('outbox').columns(['txid', 'seq']).execute();

      await db.schema
        .createTable('outbox_cursors')
        .addColumn('subscriber', 'text', (c) => c.primaryKey())
        .addColumn('last_txid', big, (c) => c.notNull())
        .addColumn('last_seq', big, (c) => c.notNull())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', big)
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('retry_at', big, (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('updated_at', big, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('outbox_dead_letters')
        .addColumn('subscriber', 'text', (c) => c.notNull())
        .addColumn('seq', big, (c) => c.notNull())
        .addColumn('error', 'text', (c) => c.notNull())
        .addColumn('failed_at', big, (c) => c.notNull())
        .addPrimaryKeyConstraint('outbox_dead_letters_pk', ['subscriber', 'seq'])
        .execute();

      await db.schema
        .createTable('schedules')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('every_ms', big, (c) => c.notNull())
        .addColumn('next_run_at', big, (c) => c.notNull())
        .addColumn('updated_at', big, (c) => c.notNull())
        .execute();
    },
  };
}
