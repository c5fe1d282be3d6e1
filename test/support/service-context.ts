/** Service-test support: a real (in-memory SQLite) database and a Ctx for calling services directly. */
import { administratorAccessPolicy, type Actor } from '../../src/access/index.js';
import type { Ctx } from '../../src/kernel/index.js';
import type { Db } from '../../src/storage/database.js';
import { openDatabase } from '../../src/storage/open-database.js';
import { testRunId } from './test-run-id.js';

/**
 * A fresh, migrated database: in-memory SQLite, or — when `BULWARK_TEST_DATABASE_URL` names a PostgreSQL
 * server — a new schema of its own on that server.
 */
export async function openTestDatabase(): Promise<Db> {
  const url = process.env['BULWARK_TEST_DATABASE_URL'];
  if (url === undefined || url === '') return (await openDatabase(':memory:')).db;
  const schema = `test_${testRunId}_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  return (await openDatabase(url, { schema })).db;
}

/** An administrator actor of `accountId`. */
export function testActor(accountId = '111122223333'): Actor {
  return {
    accountId,
    principalId: 'AIDATESTPRINCIPAL',
    principalArn: `arn:aws:iam::${accountId}:user/admin`,
    principalName: 'admin',
    principalType: 'user',
    accessKeyId: 'AKIATESTKEY',
    policies: [administratorAccessPolicy],
  };
}

/** Runs `body` in one transaction with a Ctx for `accountId` in `region` at `now`. */
export async function inCtx<T>(
  db: Db,
  body: (ctx: Ctx) => Promise<T>,
  options: { accountId?: string; region?: string; now?: Date } = {},
): Promise<T> {
  const actor = testActor(options.accountId);
  return db.transaction().execute((tx) =>
    body({
      actor,
      accountId: actor.accountId,
      region: options.region ?? 'us-east-1',
      requestId: 'test-request',
      now: options.now ?? new Date(),
      tx,
    }),
  );
}
