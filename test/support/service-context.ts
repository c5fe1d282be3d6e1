/** Service-test support: a real, migrated database (in-memory SQLite or PostgreSQL) and a Ctx for calling services directly. */
import { administratorAccessPolicy, type Actor } from '../../src/access/index.js';
import type { Ctx } from '../../src/kernel/index.js';
import type { Db } from '../../src/storage/database.js';
import { openDatabase } from '../../src/storage/open-database.js';
import { createMigratedDatabase, testDatabaseName } from './test-databases.js';

/**
 * A fresh, migrated database: in-memory SQLite, or — when `BULWARK_TEST_DATABASE_URL` names a PostgreSQL
 * server — a new database of its own on that server, copied from the run's migrated template.
 */
export async function openTestDatabase(): Promise<Db> {
  const url = process.env['BULWARK_TEST_DATABASE_URL'];
  if (url === undefined || url === '') return (await openDatabase(':memory:')).db;
  return (await openDatabase(await createMigratedDatabase(url, testDatabaseName('test')))).db;
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
