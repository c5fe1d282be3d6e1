/**
 * Ingest benchmark: BatchImportFindings end to end (HTTP + SigV4 + validation + upsert) against real
 * `bulwark server` children, on the embedded engine or on PostgreSQL.
 *
 *   node dist/bench/ingest.js [--count 1000000] [--data-dir .bench/ingest] [--accounts 5]
 *                             [--concurrency 8] [--reimport 0.05] [--cpu-prof]
 *                             [--database postgres://…/bench_x [--api-nodes 2]]
 *
 * `--database` runs on that PostgreSQL database instead of the data dir's SQLite file; it must be named
 * `bench…` and is emptied first (schema public dropped). `--api-nodes N` (PostgreSQL only) starts N
 * `bulwark server --role api` nodes plus one `--role worker,scheduler` node on it, all with the same
 * BULWARK_MASTER_KEY, and spreads the batches round-robin over the API nodes; with one node (the default)
 * a single `bulwark server` runs every role, as on SQLite.
 *
 * Each account has its own key and imports its own findings in batches of 100. `--reimport` is the share
 * of batches that re-send earlier findings with a newer UpdatedAt (scanners re-report), exercising the
 * update path. The data dir is left for `bench/query.ts`.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import {
  createKey,
  parseFlags,
  rssMiB,
  SignedClient,
  startServer,
  type BenchServer,
  type BenchTarget,
} from './bench-client.js';
import { generateFinding, type GeneratorScope } from './generate-findings.js';

const flags = parseFlags(process.argv.slice(2));
const count = Number(flags.get('count') ?? 1_000_000);
const dataDir = resolve(flags.get('data-dir') ?? '.bench/ingest');
const accounts = Number(flags.get('accounts') ?? 5);
const concurrency = Number(flags.get('concurrency') ?? 8);
const reimportShare = Number(flags.get('reimport') ?? 0.05);
const database = flags.get('database');
const apiNodes = Number(flags.get('api-nodes') ?? 1);
const batchSize = 100;
const region = 'us-east-1';

if (apiNodes > 1 && database === undefined) throw new Error('--api-nodes needs --database postgres://…');
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
if (database !== undefined) {
  const name = new URL(database).pathname.slice(1);
  if (!name.startsWith('bench'))
    throw new Error(`--database must name a bench… database (it is emptied): ${name}`);
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  await client.query('drop schema public cascade; create schema public');
  await client.end();
}
const target: BenchTarget = { dataDir, database, masterKey: randomBytes(32).toString('base64') };
writeFileSync(join(dataDir, 'bench-target.json'), JSON.stringify(target, null, 2));
const keys = Array.from({ length: accounts }, () => createKey(target));
const profile = flags.has('cpu-prof') ? ['--cpu-prof', `--cpu-prof-dir=${join(dataDir, 'profile')}`] : [];
const servers: BenchServer[] = [];
if (apiNodes === 1) servers.push(await startServer(target, { nodeArgs: profile }));
else {
  for (let i = 0; i < apiNodes; i += 1)
    servers.push(await startServer(target, { nodeArgs: profile, roles: 'api' }));
}
const background =
  apiNodes > 1 ? await startServer(target, { nodeArgs: profile, roles: 'worker,scheduler' }) : undefined;
const pids = [...servers, ...(background === undefined ? [] : [background])].map((s) => s.process.pid);
const totalRss = (): number => pids.reduce<number>((sum, pid) => sum + rssMiB(pid), 0);
// clients[node][account]
const clients = servers.map((server) => keys.map((key) => new SignedClient(server.endpoint, key, region)));
for (const client of clients[0] ?? []) await client.call('POST', '/accounts', '{}');

const now = Date.now();
const scopes: GeneratorScope[] = keys.map((key) => ({ accountId: key.accountId, region, now }));
const nextSequence = keys.map(() => 0);
let stored = 0;
let sent = 0;
let batchNumber = 0;
let failures = 0;
const started = performance.now();
const marks: { stored: number; at: number }[] = [{ stored: 0, at: started }];

const completedBatches: number[][] = [];

function nextBatch():
  { account: number; node: number; body: string; fresh: number; start: number } | undefined {
  if (stored + inFlightFresh >= count) return undefined;
  const account = batchNumber % accounts;
  const node = Math.floor(batchNumber / accounts) % servers.length;
  batchNumber += 1;
  const scope = scopes[account] as GeneratorScope;
  const have = nextSequence[account] ?? 0;
  const findings: Record<string, unknown>[] = [];
  let fresh = 0;
  const done = completedBatches[account] ?? [];
  if (done.length > 10 && Math.random() < reimportShare) {
    // Only batches already acknowledged: re-sending a finding whose first import is still in flight races two
    // inserts of one identity (a unique violation, 500, on PostgreSQL — see the README).
    const start = done[Math.floor(Math.random() * done.length)] ?? 0;
    for (let i = 0; i < batchSize; i += 1) findings.push(generateFinding(scope, start + i, 1 + batchNumber));
  } else {
    fresh = Math.min(batchSize, count - stored - inFlightFresh);
    for (let i = 0; i < fresh; i += 1) findings.push(generateFinding(scope, have + i));
    nextSequence[account] = have + fresh;
  }
  return {
    account,
    node,
    body: JSON.stringify({ Findings: findings }),
    fresh,
    start: fresh === batchSize ? have : -1,
  };
}

let inFlightFresh = 0;
let nextReport = 100_000;
const report = (): void => {
  const at = performance.now();
  const previous = marks[marks.length - 1] ?? { stored: 0, at: started };
  marks.push({ stored, at });
  const windowRate = ((stored - previous.stored) / (at - previous.at)) * 1000;
  process.stdout.write(
    `${String(stored).padStart(8)} stored  ${windowRate.toFixed(0).padStart(6)} new findings/s (window)  ` +
      `${((sent / (at - started)) * 1000).toFixed(0)} imported/s overall  rss ${servers.map((s) => rssMiB(s.process.pid).toFixed(0)).join('+')} MiB  load ${loadavg()[0]?.toFixed(1)}\n`,
  );
};

async function worker(): Promise<void> {
  for (;;) {
    const batch = nextBatch();
    if (batch === undefined) return;
    inFlightFresh += batch.fresh;
    const client = clients[batch.node]?.[batch.account] as SignedClient;
    const result = (await client.call('POST', '/findings/import', batch.body)) as {
      SuccessCount: number;
      FailedCount: number;
      FailedFindings: unknown[];
    };
    inFlightFresh -= batch.fresh;
    if (result.FailedCount > 0) {
      failures += result.FailedCount;
      if (failures <= result.FailedCount)
        console.error('failed findings:', result.FailedFindings.slice(0, 2));
    }
    stored += batch.fresh;
    sent += result.SuccessCount;
    if (batch.start >= 0) (completedBatches[batch.account] ??= []).push(batch.start);
    while (stored >= nextReport) {
      report();
      nextReport += 100_000;
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, () => worker()));
const finished = performance.now();
if (marks[marks.length - 1]?.stored !== stored) report();
const seconds = (finished - started) / 1000;
const last = marks.find((mark) => mark.stored >= stored - 100_000) ?? marks[0];
const lastRate = last === undefined ? Number.NaN : ((stored - last.stored) / (finished - last.at)) * 1000;
const rss = totalRss();
const rssPerNode = pids.map((pid) => Math.round(rssMiB(pid)));
let dbBytes = statSync(join(dataDir, 'bulwark.sqlite'), { throwIfNoEntry: false })?.size ?? 0;
if (database !== undefined) {
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  const result = await client.query<{ size: string }>('select pg_database_size(current_database()) as size');
  dbBytes = Number(result.rows[0]?.size ?? 0);
  await client.end();
}
const summary = {
  count: stored,
  importedTotal: sent,
  failures,
  seconds: Number(seconds.toFixed(1)),
  newFindingsPerSecond: Math.round(stored / seconds),
  importedPerSecond: Math.round(sent / seconds),
  lastWindowNewPerSecond: Math.round(lastRate),
  serverRssMiB: Math.round(rss),
  serverRssMiBPerNode: rssPerNode,
  databaseMiB: Math.round(dbBytes / 2 ** 20),
  engine: database === undefined ? 'sqlite' : 'postgres',
  apiNodes,
  concurrency,
  accounts,
  loadAverageAtEnd: loadavg().map((value) => Number(value.toFixed(2))),
};
writeFileSync(join(dataDir, 'bench-keys.json'), JSON.stringify(keys, null, 2));
writeFileSync(join(dataDir, 'bench-ingest.json'), JSON.stringify(summary, null, 2));
for (const client of clients.flat()) client.close();
for (const server of [...servers, ...(background === undefined ? [] : [background])]) await server.stop();
console.log('\npath                                   measured');
console.log(
  `BatchImportFindings, new findings/s     ${summary.newFindingsPerSecond} overall, ${summary.lastWindowNewPerSecond} over the last 100k`,
);
console.log(
  `  incl. re-imports (${reimportShare * 100}% of batches)      ${summary.importedPerSecond} findings/s`,
);
console.log(`stored / failed                         ${stored} / ${failures}`);
console.log(
  `server RSS at end                       ${summary.serverRssMiB} MiB (per node: ${rssPerNode.join(', ')})`,
);
console.log(`engine / API nodes                      ${summary.engine} / ${apiNodes}`);
console.log(`database size                           ${summary.databaseMiB} MiB (${database ?? dataDir})`);
console.log(`load average at end                     ${summary.loadAverageAtEnd.join(' ')}`);
console.log(`wall time                               ${summary.seconds} s`);
