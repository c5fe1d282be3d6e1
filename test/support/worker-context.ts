/** Worker-test support: a fresh test database with the work-queue statements of its engine. */
import { pino, type Logger } from 'pino';
import type { Db } from '../../src/storage/database.js';
import { dialectTraitsFor } from '../../src/storage/open-database.js';
import { workQueueSqlFor, type WorkQueueSql } from '../../src/storage/work-queue-sql.js';
import { openTestDatabase } from './service-context.js';

/** A test database and how its engine claims jobs. */
export interface TestWorkQueue {
  db: Db;
  queueSql: WorkQueueSql;
  engine: 'sqlite' | 'postgres';
}

/** openTestDatabase() plus the work-queue statements of the engine it chose. */
export async function openTestWorkQueue(): Promise<TestWorkQueue> {
  const db = await openTestDatabase();
  const traits = dialectTraitsFor(process.env['BULWARK_TEST_DATABASE_URL'] || ':memory:');
  return { db, queueSql: workQueueSqlFor(traits), engine: traits.engine };
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
