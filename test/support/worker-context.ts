/** Worker-test support: a fresh test database with the work-queue statements of its engine. */
import { sql } from 'kysely';
import { pino, type Logger } from 'pino';
import type { Db } from '../../src/storage/database.js';
import type { DialectTraits } from '../../src/storage/dialect-traits.js';
import { storageEngineOf } from '../../src/storage/storage-engine.js';
import type { WorkQueueSql } from '../../src/storage/work-queue-sql.js';
import { openTestDatabase } from './service-context.js';

/** A test database and how its engine claims jobs. */
export interface TestWorkQueue {
  db: Db;
  queueSql: WorkQueueSql;
  engine: 'sqlite' | 'postgres';
  traits: DialectTraits;
}

/** openTestDatabase() plus the work-queue statements of the engine it chose. */
export async function openTestWorkQueue(): Promise<TestWorkQueue> {
  const db = await openTestDatabase();
  const { workQueue, traits } = storageEngineOf(db);
  return { db, queueSql: workQueue, engine: traits.engine, traits };
}

/** A logger that prints nothing. */
export const silentLogger: Logger = pino({ level: 'silent' });

/** A clock tests move by hand. */
export function manualClock(start = Date.UTC(2026, 0, 1)): { now: () => number; advance(ms: number): void } {
  let current = start;
  return {
    now: () => current,
    advance(ms: number) {
      current += ms;
    },
  };
}

/**
 * Waits (bounded) until every outbox event lies below PostgreSQL's snapshot horizon, so that one dispatch round
 * sees all of them: delivery rightly waits while any older transaction on the server is open, and other test
 * files running at the same time on the same server open such transactions. SQLite has nothing to wait for.
 */
export async function settleOutbox(t: TestWorkQueue): Promise<void> {
  if (t.engine !== 'postgres') return;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const result = await sql<{
      ready: boolean;
    }>`select coalesce(max(txid), 0) < pg_snapshot_xmin(pg_current_snapshot())::text::bigint as ready from outbox`.execute(
      t.db,
    );
    if (result.rows[0]?.ready === true) return;
    if (Date.now() > deadline) throw new Error('outbox events stayed behind an open transaction for 30 s');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
