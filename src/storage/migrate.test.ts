import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openTestDatabase } from '../../test/support/service-context.js';
import { migrateToLatest } from './migrate.js';
import { postgresEngine } from './dialects/postgres/index.js';
import { sqliteEngine } from './dialects/sqlite/index.js';

const traits =
  (process.env['BULWARK_TEST_DATABASE_URL'] ?? '') === '' ? sqliteEngine.traits : postgresEngine.traits;

describe('migrations', () => {
  it('are idempotent: a migrated database migrates again without change', async () => {
    const db = await openTestDatabase();
    try {
      await migrateToLatest(db, traits, await currentSchema(db));
      const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
      assert.ok(rows.rows.length >= 1);
      assert.equal(rows.rows[0]?.name, '0001-initial');
    } finally {
      await db.destroy();
    }
  });

  it('refuse a database that a newer program has migrated', async () => {
    const db = await openTestDatabase();
    try {
      await sql`insert into kysely_migration (name, timestamp) values ('9999-from-the-future', '2030-01-01T00:00:00Z')`.execute(
        db,
      );
      await assert.rejects(migrateToLatest(db, traits, await currentSchema(db)), /newer than this program/);
    } finally {
      await db.destroy();
    }
  });
});

/** The PostgreSQL schema the test database lives in (undefined on SQLite). */
async function currentSchema(db: Awaited<ReturnType<typeof openTestDatabase>>): Promise<string | undefined> {
  if (traits.engine === 'sqlite') return undefined;
  const result = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return result.rows[0]?.schema;
}
