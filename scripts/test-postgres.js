// Finds a PostgreSQL server for the tests: the configured/local one, else a throwaway cluster from the
// PostgreSQL binaries on this machine. Never lets the PostgreSQL half of the suite be skipped silently.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, chownSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const defaultUrl = 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function findBinaries() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(root, version, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

/** Runs a PostgreSQL binary, as the `postgres` user when we are root (initdb refuses root). */
function runAs(command, args) {
  const asRoot = process.getuid?.() === 0;
  const result = asRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
    : spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
}

async function startThrowawayCluster(bin) {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-pg-'));
  if (process.getuid?.() === 0)
    chownSync(
      dir,
      Number(spawnSync('id', ['-u', 'postgres']).stdout.toString().trim()),
      Number(spawnSync('id', ['-g', 'postgres']).stdout.toString().trim()),
    );
  const port = await freePort();
  runAs(join(bin, 'initdb'), ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync']);
  runAs(join(bin, 'pg_ctl'), [
    '-D',
    join(dir, 'data'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    '-w',
    'start',
    '-l',
    join(dir, 'log'),
  ]);
  runAs(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'test']);
  const stop = () => {
    try {
      runAs(join(bin, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'immediate', 'stop']);
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/test`, stop };
}

/** A reachable PostgreSQL for the tests and how to release it; throws with a loud message when there is none. */
export async function acquireTestPostgres() {
  const url = process.env.BULWARK_TEST_POSTGRES_URL || defaultUrl;
  if (await reachable(url)) return { url, stop: () => {} };
  const bin = findBinaries();
  if (bin !== undefined) {
    const cluster = await startThrowawayCluster(bin);
    if (await reachable(cluster.url)) return cluster;
    cluster.stop();
  }
  throw new Error(
    [
      '',
      '############################################################################',
      `#  PostgreSQL is NOT reachable at ${url}`,
      '#  and no PostgreSQL binaries were found to start a throwaway cluster.',
      '#  The PostgreSQL half of the test suite cannot run.',
      '#  Start PostgreSQL (or set BULWARK_TEST_POSTGRES_URL), or install it:',
      '#    apt-get install -y postgresql',
      '############################################################################',
      '',
    ].join('\n'),
  );
}

/** Runs `tasks` (functions returning promises) with at most `width` of them at a time. */
async function inParallel(tasks, width) {
  const queue = [...tasks];
  const lane = async () => {
    for (let task = queue.shift(); task !== undefined; task = queue.shift()) await task();
  };
  await Promise.all(Array.from({ length: Math.min(width, queue.length) }, lane));
}

/**
 * Drops the schemas and databases test run `runId` made: `test_<runId>_*` schemas, and the `bulwark_test_`,
 * `bulwark_e2e_` and `bulwark_tpl_<runId>_*` databases of test/support/test-databases.ts. The databases go
 * many at a time, on half the connections the server has free: every DROP DATABASE waits for a checkpoint,
 * and drops waiting together share one.
 */
export async function dropTestArtifacts(url, runId) {
  const { databases, freeConnections } = await withClient(url, async (client) => {
    const schemas = await client.query('select nspname from pg_namespace where starts_with(nspname, $1)', [
      `test_${runId}_`,
    ]);
    for (const { nspname } of schemas.rows) await client.query(`drop schema if exists "${nspname}" cascade`);
    const found = await client.query(
      'select datname from pg_database where starts_with(datname, $1) or starts_with(datname, $2) ' +
        'or starts_with(datname, $3)',
      [`bulwark_test_${runId}_`, `bulwark_e2e_${runId}_`, `bulwark_tpl_${runId}_`],
    );
    const free = await client.query(
      "select current_setting('max_connections')::int - count(*)::int as free from pg_stat_activity",
    );
    return { databases: found.rows.map((row) => row.datname), freeConnections: free.rows[0].free };
  });
  const width = Math.max(2, Math.min(64, Math.floor(freeConnections / 2)));
  // Templates last: a copy still being made from one would make its drop fail.
  const templates = databases.filter((name) => name.startsWith(`bulwark_tpl_${runId}_`));
  const copies = databases.filter((name) => !templates.includes(name));
  await inParallel(
    copies.map((name) => () => dropDatabase(url, name)),
    width,
  );
  await inParallel(
    templates.map((name) => () => dropDatabase(url, name)),
    width,
  );
}

/** Drops database `name`, trying again a few times when the server has no connection to spare. */
async function dropDatabase(url, name, attempt = 1) {
  try {
    await withClient(url, (client) =>
      client.query(`drop database if exists "${name.replace(/"/g, '""')}" with (force)`),
    );
  } catch (error) {
    if (error?.code !== '53300' || attempt >= 10) throw error;
    await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    await dropDatabase(url, name, attempt + 1);
  }
}

async function withClient(url, body) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}
