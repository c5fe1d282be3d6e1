/**
 * Console benchmark: with N findings stored, the server-side latency (p50/p95) of GetOverview and of a
 * GetFindings page of 50 as the console asks for it, called in-process through the operations' own
 * handlers (input validation, the service, the wire mapping; no HTTP, no SigV4, one transaction per call).
 *
 *   npm run bench:console
 *
 * Environment: BULWARK_BENCH_FINDINGS (default 1,000,000), BULWARK_BENCH_DATABASE_URL (a PostgreSQL database
 * named bench…, emptied when it must be seeded; default SQLite in the data dir), BULWARK_BENCH_DATA_DIR
 * (default .bench/console), BULWARK_BENCH_ITERATIONS (default 100), BULWARK_BENCH_ACCOUNTS (default 5),
 * BULWARK_BENCH_NODES (managed nodes of the caller, with Patch compliance; default 2,000).
 *
 * Seeding imports the findings through FindingsService (validation, the engine's findings writer and the
 * findings summary upkeep) in transactions of 1,000, as 5 accounts in one Region; a database that already
 * holds exactly N findings is reused, so the measurement can be repeated without seeding again.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { administratorAccessPolicy, type Actor } from '../src/access/index.js';
import { ComplianceStore, summarizeItems } from '../src/compliance/index.js';
import { FleetStore } from '../src/fleet/index.js';
import { loadConfig } from '../src/app/config.js';
import { buildServices, type Services } from '../src/app/services.js';
import { findingsRoutes } from '../src/findings/index.js';
import type { Ctx } from '../src/kernel/index.js';
import { overviewRoutes } from '../src/overview/index.js';
import type { Operation } from '../src/protocols/index.js';
import type { Db } from '../src/storage/database.js';
import { openDatabase } from '../src/storage/open-database.js';
import { percentile } from './bench-client.js';
import { benchInstance, benchInstanceId } from './bench-nodes.js';
import { generateFinding } from './generate-findings.js';

const env = process.env;
const findingCount = Number(env['BULWARK_BENCH_FINDINGS'] ?? 1_000_000);
const iterations = Number(env['BULWARK_BENCH_ITERATIONS'] ?? 100);
const accountCount = Number(env['BULWARK_BENCH_ACCOUNTS'] ?? 5);
const nodeCount = Number(env['BULWARK_BENCH_NODES'] ?? 2_000);
const dataDir = resolve(env['BULWARK_BENCH_DATA_DIR'] ?? '.bench/console');
const postgresUrl = env['BULWARK_BENCH_DATABASE_URL'];
const databaseUrl = postgresUrl ?? join(dataDir, 'bulwark.sqlite');
const region = 'us-east-1';
const accounts = Array.from({ length: accountCount }, (_, i) => `5${String(i + 1).padStart(11, '0')}`);
const caller = accounts[0] ?? '';
const seedTime = Date.parse('2026-11-01T00:00:00Z');

function actorOf(accountId: string): Actor {
  return {
    accountId,
    principalId: 'AIDABENCHCONSOLE',
    principalArn: `arn:aws:iam::${accountId}:user/admin`,
    principalName: 'admin',
    principalType: 'user',
    accessKeyId: 'AKIABENCHCONSOLE',
    policies: [administratorAccessPolicy],
  };
}

function inCtx<T>(db: Db, accountId: string, body: (ctx: Ctx) => Promise<T>): Promise<T> {
  const actor = actorOf(accountId);
  return db
    .transaction()
    .execute((tx) => body({ actor, accountId, region, requestId: 'bench', now: new Date(), tx }));
}

async function storedFindings(db: Db): Promise<number> {
  const row = await db
    .selectFrom('findings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Empties the bench database (PostgreSQL: its public schema; SQLite: the data dir). */
async function emptyDatabase(): Promise<void> {
  if (postgresUrl === undefined) {
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    return;
  }
  const name = new URL(postgresUrl).pathname.slice(1);
  if (!name.startsWith('bench')) throw new Error(`the database must be named bench…: ${name}`);
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query('drop schema public cascade; create schema public');
  await client.end();
}

/** Imports `findingCount` findings spread over the accounts; returns the findings per second. */
async function seed(db: Db, services: Services): Promise<number> {
  const findings = services.findings.findings;
  for (const accountId of accounts) {
    await inCtx(db, accountId, (ctx) => services.findings.hub.enable(ctx, { EnableDefaultStandards: true }));
  }
  const started = performance.now();
  let lapStarted = started;
  let lapDone = 0;
  const perTransaction = 1_000;
  for (let done = 0; done < findingCount;) {
    const accountId = accounts[Math.floor(done / perTransaction) % accounts.length] ?? caller;
    const sequence = Math.floor(done / (perTransaction * accounts.length)) * perTransaction;
    const size = Math.min(perTransaction, findingCount - done);
    const scope = { accountId, region, now: seedTime };
    await inCtx(db, accountId, async (ctx) => {
      for (let start = 0; start < size; start += 100) {
        const batch = Array.from({ length: Math.min(100, size - start) }, (_, i) =>
          generateFinding(scope, sequence + start + i),
        );
        const result = await findings.importFindings(ctx, batch);
        if (result.FailedCount > 0) throw new Error(JSON.stringify(result.FailedFindings[0]));
      }
    });
    done += size;
    if (done % 100_000 === 0 || done === findingCount) {
      const now = performance.now();
      console.log(
        `seeded ${done.toLocaleString('en')} (${Math.round((done - lapDone) / ((now - lapStarted) / 1000)).toLocaleString('en')}/s since the previous line, load ${loadavg()[0]?.toFixed(1)})`,
      );
      lapStarted = now;
      lapDone = done;
    }
  }
  return findingCount / ((performance.now() - started) / 1000);
}

/** The caller's managed nodes: 1 in 20 silent for an hour, 1 in 4 missing patches, 1 in 10 never scanned. */
async function seedNodes(db: Db): Promise<void> {
  const fleet = new FleetStore();
  const compliance = new ComplianceStore();
  const now = new Date();
  const scope = { accountId: caller, region };
  for (let start = 0; start < nodeCount; start += 500) {
    await db.transaction().execute(async (tx) => {
      for (let i = start; i < Math.min(nodeCount, start + 500); i += 1) {
        const instanceId = benchInstanceId(i);
        await fleet.insertInstance(
          tx,
          benchInstance(i, scope, now, {
            lastPingAt: i % 20 === 0 ? new Date(now.getTime() - 3_600_000) : now,
          }),
        );
        if (i % 10 === 9) continue;
        const status = i % 4 === 0 ? ('NON_COMPLIANT' as const) : ('COMPLIANT' as const);
        await compliance.saveSet(
          tx,
          { ...scope, resourceType: 'ManagedInstance', resourceId: instanceId, complianceType: 'Patch' },
          summarizeItems([{ severity: 'HIGH', status }]),
          { executionTime: now, executionId: undefined, executionType: 'Command' },
          undefined,
          now,
        );
      }
    });
  }
}

/** p50 and p95 (ms) of `iterations` calls of `operation` with `request`, after 5 warm-up calls. */
async function measure(
  db: Db,
  operation: Operation,
  request: { query?: Record<string, string>; body?: unknown },
): Promise<{ p50: number; p95: number; result: unknown }> {
  const call = () =>
    inCtx(db, caller, (ctx) =>
      operation
        .prepare({ labels: {}, query: new URLSearchParams(request.query ?? {}), body: request.body ?? {} })
        .run(ctx),
    );
  let result: unknown;
  for (let i = 0; i < 5; i++) result = await call();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    result = await call();
    samples.push(performance.now() - started);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), result };
}

const operationNamed = (routes: { operation: Operation }[], name: string): Operation => {
  const found = routes.find((route) => route.operation.name === name);
  if (found === undefined) throw new Error(`no operation ${name}`);
  return found.operation;
};

mkdirSync(dataDir, { recursive: true });
let opened = await openDatabase(databaseUrl);
let seededRate: number | undefined;
let seedSeconds: number | undefined;
const config = loadConfig({ dataDir, database: databaseUrl, logLevel: 'silent' }, {}, undefined);
// What a previous run seeded here: reused when it matches this run's settings.
const markerFile = join(dataDir, 'bench-console.json');
const wanted = JSON.stringify({
  findings: findingCount,
  accounts: accountCount,
  nodes: nodeCount,
  databaseUrl,
});
const marked = existsSync(markerFile) ? readFileSync(markerFile, 'utf8') : undefined;
if (marked !== wanted || (await storedFindings(opened.db)) < findingCount) {
  await opened.db.destroy();
  await emptyDatabase();
  opened = await openDatabase(databaseUrl);
  const started = performance.now();
  const seeding = buildServices(opened.db, opened.findingsWriter, config);
  seededRate = await seed(opened.db, seeding);
  await seedNodes(opened.db);
  // One control evaluation of the caller's nodes: the scores and failing controls have data.
  await opened.db
    .transaction()
    .execute((tx) =>
      seeding.controls.evaluator.evaluate(tx, { accountId: caller, region }, new Date(), { kind: 'all' }),
    );
  seedSeconds = (performance.now() - started) / 1000;
  if (opened.traits.engine === 'postgres') await sql`analyze`.execute(opened.db);
  writeFileSync(markerFile, wanted);
}
const { db, findingsWriter, traits } = opened;
const services = buildServices(db, findingsWriter, config);
const hub = services.findings.hub;
const getOverview = operationNamed(overviewRoutes(hub, services.overview), 'GetOverview');
const getFindings = operationNamed(findingsRoutes(hub, services.findings.findings), 'GetFindings');
const eq = (Value: string) => ({ Value, Comparison: 'EQUALS' });
const active = { RecordState: [eq('ACTIVE')], WorkflowStatus: [eq('NEW'), eq('NOTIFIED')] };
const cases: { name: string; operation: Operation; body?: unknown; budget: number }[] = [
  { name: 'GetOverview', operation: getOverview, budget: 150 },
  {
    name: 'GetFindings 50, ACTIVE + NEW|NOTIFIED, default order (newest stored first)',
    operation: getFindings,
    body: { Filters: active, MaxResults: 50 },
    budget: 100,
  },
  {
    name: 'GetFindings 50, ACTIVE + NEW|NOTIFIED, SeverityNormalized desc, UpdatedAt desc',
    operation: getFindings,
    body: {
      Filters: active,
      SortCriteria: [
        { Field: 'SeverityNormalized', SortOrder: 'desc' },
        { Field: 'UpdatedAt', SortOrder: 'desc' },
      ],
      MaxResults: 50,
    },
    budget: 100,
  },
  {
    name: 'GetFindings 50, SeverityLabel CRITICAL + ACTIVE, UpdatedAt desc',
    operation: getFindings,
    body: {
      Filters: { SeverityLabel: [eq('CRITICAL')], RecordState: [eq('ACTIVE')] },
      SortCriteria: [{ Field: 'UpdatedAt', SortOrder: 'desc' }],
      MaxResults: 50,
    },
    budget: 100,
  },
];

const stored = await storedFindings(db);
console.log(
  `${traits.engine} ${postgresUrl === undefined ? databaseUrl : 'PostgreSQL'}: ${stored.toLocaleString('en')} findings in ${accounts.length} accounts; caller ${caller} with ${nodeCount.toLocaleString('en')} managed nodes; ${iterations} calls per case`,
);
if (seededRate !== undefined) {
  console.log(
    `seeding: ${seedSeconds?.toFixed(0)} s, ${Math.round(seededRate).toLocaleString('en')} findings/s (in-process imports of 100, 1,000 per transaction)`,
  );
}
for (const c of cases) {
  const { p50, p95, result } = await measure(db, c.operation, { body: c.body ?? {} });
  const verdict = p95 <= c.budget ? 'within' : 'OVER';
  console.log(
    `${c.name}: p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms (budget ${c.budget} ms: ${verdict}; load ${loadavg()[0]?.toFixed(1)})`,
  );
  if (c.name === 'GetOverview') {
    const body = result as Record<string, unknown>;
    for (const key of [
      'ActiveFindingsBySeverity',
      'FleetPatchCompliance',
      'SecurityScores',
      'TopFailingControls',
    ])
      console.log(`  ${key}: ${JSON.stringify(body[key])}`);
  }
}
await db.destroy();
