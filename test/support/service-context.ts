/** Service-test support: a real (in-memory SQLite) database and a Ctx for calling services directly. */
import { administratorAccessPolicy, type Actor } from '../../src/access/index.js';
import type { Ctx } from '../../src/app/ctx.js';
import type { Db } from '../../src/storage/database.js';
import { openDatabase } from '../../src/storage/open-database.js';

/** A fresh, migrated in-memory database. */
export async function openTestDatabase(): Promise<Db> {
  return (await openDatabase(':memory:')).db;
}

/** An administrator actor of `accountId`. */
export function testActor(accountId = '111122223333'): Actor {
  return {
    accountId,
    principalId: 'AIDATESTPRINCIPAL',
    principalArn: `arn:aws:iam::${accountId}:user/admin`,
    principalName: 'admin',
    accessKeyId: 'AKIATESTKEY',
    policy: administratorAccessPolicy,
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
