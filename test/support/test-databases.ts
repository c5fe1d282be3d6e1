/**
 * Fresh, migrated PostgreSQL databases for tests. A test run migrates one template database (the first test
 * process that needs it does, under an advisory lock) and every test database is `CREATE DATABASE … TEMPLATE`
 * of it: a copy of the migrated catalog, so the migration run when it is opened has nothing to do.
 *
 * Every database is named after the run (`bulwark_<kind>_<runId>_…`), so scripts/run-tests.js drops them all
 * when the run ends. A template is named after the migrations too: a changed migration gets a new template.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { openDatabase } from '../../src/storage/open-database.js';
import { testRunId } from './test-run-id.js';

/** The compiled migrations; their text names the template (this file runs from dist/test/support/). */
const migrationsDir = new URL('../../src/storage/migrations/', import.meta.url);

/** A short digest of the compiled migrations. */
function migrationsDigest(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsDir).sort()) {
    if (!file.endsWith('.js') || file.endsWith('.test.js')) continue;
    hash.update(file).update(readFileSync(new URL(file, migrationsDir)));
  }
  return hash.digest('hex').slice(0, 12);
}

/** `url` with its database part replaced by `database`. */
export function databaseUrl(url: string, database: string): string {
  const copy = new URL(url);
  copy.pathname = `/${database}`;
  return copy.toString();
}

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

let counter = 0;

/** A new database name of this run and process, e.g. `bulwark_test_<runId>_<pid>_<n>` for kind `test`. */
export function testDatabaseName(kind: string): string {
  counter += 1;
  return `bulwark_${kind}_${testRunId}_${process.pid}_${Date.now().toString(36)}_${counter}`;
}

/** Runs `body` with a client connected to `url`, then disconnects. */
async function withClient<T>(url: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/**
 * Makes the template database `name` unless it is there and complete. A complete template refuses connections
 * (so copying it never waits for a session on it); one left half-migrated by a crashed process is made again.
 */
async function buildTemplate(url: string, name: string): Promise<void> {
  await withClient(url, async (client) => {
    // Session-level lock, scoped to this database: one process builds, the others wait and find it built.
    await client.query('select pg_advisory_lock(hashtext($1))', [name]);
    try {
      const found = await client.query<{ datallowconn: boolean }>(
        'select datallowconn from pg_database where datname = $1',
        [name],
      );
      const existing = found.rows[0];
      if (existing !== undefined && !existing.datallowconn) return;
      if (existing !== undefined) await client.query(`drop database ${quoted(name)} with (force)`);
      await client.query(`create database ${quoted(name)}`);
      await client.query(`alter database ${quoted(name)} set synchronous_commit = off`);
      const { db } = await openDatabase(databaseUrl(url, name));
      await db.destroy();
      await client.query(`alter database ${quoted(name)} with allow_connections false`);
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
}

const templates = new Map<string, Promise<string>>();

/** The migrated template database of this run on the server of `url` (built on first use). */
function templateFor(url: string): Promise<string> {
  const server = databaseUrl(url, '');
  let template = templates.get(server);
  if (template === undefined) {
    const name = `bulwark_tpl_${testRunId}_${migrationsDigest()}`;
    template = buildTemplate(url, name).then(() => name);
    // A failed build is tried again by the next caller rather than failing every later test.
    template.catch(() => templates.delete(server));
    templates.set(server, template);
  }
  return template;
}

/**
 * Creates database `name` on the PostgreSQL server of `url` as a copy of this run's migrated template and
 * returns its URL.
 */
export async function createMigratedDatabase(url: string, name: string): Promise<string> {
  const template = await templateFor(url);
  await withClient(url, async (client) => {
    await client.query(`create database ${quoted(name)} template ${quoted(template)}`);
    // A test database holds nothing that must survive the PostgreSQL server crashing, so its commits do not
    // wait for the WAL flush (a few ms each, thousands per run). What a commit makes visible is unchanged,
    // and a Bulwark process killed mid-write (the durability tests) loses nothing that committed.
    await client.query(`alter database ${quoted(name)} set synchronous_commit = off`);
  });
  return databaseUrl(url, name);
}
