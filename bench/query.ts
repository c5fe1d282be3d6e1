/**
 * Query benchmark on a data dir prepared by bench/ingest.ts: GetFindings (one page of 100, indexed filters)
 * in-process through FindingsService and over HTTP through a real server, and insight group-by counts.
 *
 *   node dist/bench/query.js [--data-dir .bench/ingest] [--iterations 60] [--database postgres://…] [--explain]
 *
 * The engine is the one bench/ingest.ts used on that data dir (its bench-target.json); `--database`
 * overrides it. `--explain` prints, for every case, the statements it ran with EXPLAIN QUERY PLAN (SQLite)
 * or EXPLAIN (ANALYZE, BUFFERS) (PostgreSQL) instead of timing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CompiledQuery, type LogEvent } from 'kysely';
import { administratorAccessPolicy } from '../src/access/index.js';
import type { Ctx } from '../src/kernel/index.js';
import { FindingsService, FindingsStore, ownAccountOnly } from '../src/findings/index.js';
import type { FindingFilters } from '../src/findings/filters/index.js';
import { openDatabase } from '../src/storage/open-database.js';
import {
  percentile,
  parseFlags,
  rssMiB,
  SignedClient,
  startServer,
  type BenchKey,
  type BenchTarget,
} from './bench-client.js';
import { instanceArnOf, instancesPerAccount } from './generate-findings.js';

const flags = parseFlags(process.argv.slice(2));
const dataDir = resolve(flags.get('data-dir') ?? '.bench/ingest');
const iterations = Number(flags.get('iterations') ?? 60);
const region = 'us-east-1';
const targetFile = join(dataDir, 'bench-target.json');
const saved: Partial<BenchTarget> = existsSync(targetFile)
  ? (JSON.parse(readFileSync(targetFile, 'utf8')) as Partial<BenchTarget>)
  : {};
const target: BenchTarget = {
  dataDir,
  database: flags.get('database') ?? saved.database,
  masterKey: saved.masterKey,
};
const databaseUrl = target.database ?? join(dataDir, 'bulwark.sqlite');
const explain = flags.has('explain');
const keys = JSON.parse(readFileSync(join(dataDir, 'bench-keys.json'), 'utf8')) as BenchKey[];
const key = keys[0] as BenchKey;
const account = key.accountId;

interface QueryCase {
  name: string;
  filters: (i: number) => FindingFilters;
  sort?: { Field: string; SortOrder: string }[];
}

const eq = (Value: string): { Value: string; Comparison: 'EQUALS' } => ({ Value, Comparison: 'EQUALS' });
const cases: QueryCase[] = [
  { name: 'SeverityLabel EQUALS HIGH', filters: () => ({ SeverityLabel: [eq('HIGH')] }) },
  {
    name: 'WorkflowStatus NEW + RecordState ACTIVE',
    filters: () => ({ WorkflowStatus: [eq('NEW')], RecordState: [eq('ACTIVE')] }),
  },
  {
    name: 'ResourceId EQUALS (one instance)',
    filters: (i) => ({ ResourceId: [eq(instanceArnOf(account, region, (i * 37) % instancesPerAccount))] }),
  },
  {
    name: 'UpdatedAt DateRange last 7 days',
    filters: () => ({ UpdatedAt: [{ DateRange: { Value: 7, Unit: 'DAYS' } }] }),
  },
  {
    name: 'Title PREFIX "CVE-2023"',
    filters: () => ({ Title: [{ Value: 'CVE-2023', Comparison: 'PREFIX' }] }),
  },
  {
    name: 'SeverityLabel CRITICAL, sort UpdatedAt desc',
    filters: () => ({ SeverityLabel: [eq('CRITICAL')] }),
    sort: [{ Field: 'UpdatedAt', SortOrder: 'desc' }],
  },
  {
    name: 'no filter, sort CreatedAt desc',
    filters: () => ({}),
    sort: [{ Field: 'CreatedAt', SortOrder: 'desc' }],
  },
];

const groupBys: { attribute: string; filters: FindingFilters; name: string }[] = [
  ...['SeverityLabel', 'AwsAccountId', 'ResourceType'].map((attribute) => ({
    attribute,
    filters: { RecordState: [eq('ACTIVE')] },
    name: 'RecordState=ACTIVE',
  })),
  {
    attribute: 'SeverityLabel',
    filters: { RecordState: [eq('ACTIVE')], WorkflowStatus: [eq('NEW'), eq('NOTIFIED')] },
    name: 'ACTIVE, Workflow NEW|NOTIFIED',
  },
];

const rows: string[][] = [];
const ms = (value: number): string => value.toFixed(2);

// In-process: FindingsService on its own connection to the file, one read transaction per call.
{
  // --explain: the statements of one call, captured from Kysely's log.
  let captured: CompiledQuery[] | undefined;
  const log = (event: LogEvent): void => {
    if (captured !== undefined && event.level === 'query') captured.push(event.query);
  };
  const { db, traits } = await openDatabase(databaseUrl, { log });
  const service = new FindingsService(
    new FindingsStore(),
    {
      rulesFor: () => Promise.resolve([]),
      isProductEnabled: () => Promise.resolve(true),
    },
    ownAccountOnly,
  );
  const actor = {
    accountId: account,
    principalId: 'AIDABENCH',
    principalArn: `arn:aws:iam::${account}:user/admin`,
    principalName: 'admin',
    principalType: 'user' as const,
    accessKeyId: key.accessKeyId,
    policies: [administratorAccessPolicy],
  };
  const inCtx = <T>(body: (ctx: Ctx) => Promise<T>): Promise<T> =>
    db
      .transaction()
      .execute((tx) => body({ actor, accountId: account, region, requestId: 'bench', now: new Date(), tx }));
  const total = await db
    .selectFrom('findings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  console.log(
    `${traits.engine} ${target.database ?? dataDir}: ${Number(total.n)} findings in ${keys.length} accounts; ` +
      `caller ${account}\n`,
  );
  const explainCall = async (name: string, call: () => Promise<unknown>): Promise<void> => {
    captured = [];
    await call();
    const queries = captured.filter((q) => /from "findings"/.test(q.sql));
    captured = undefined;
    console.log(`=== ${name}`);
    for (const query of queries) {
      const prefix = traits.engine === 'sqlite' ? 'explain query plan ' : 'explain (analyze, buffers) ';
      const plan = await db.executeQuery(CompiledQuery.raw(prefix + query.sql, [...query.parameters]));
      console.log(`${query.sql}\n  -- ${JSON.stringify(query.parameters)}`);
      for (const row of plan.rows as Record<string, unknown>[]) {
        console.log(`  ${String(row['detail'] ?? row['QUERY PLAN'])}`);
      }
    }
    console.log('');
  };
  if (explain) {
    for (const c of cases) {
      await explainCall(`GetFindings: ${c.name}`, () =>
        inCtx((ctx) =>
          service.getFindings(ctx, {
            filters: c.filters(0),
            sortCriteria: c.sort ?? [],
            nextToken: undefined,
            maxResults: 100,
          }),
        ),
      );
    }
    for (const g of groupBys) {
      await explainCall(`group-by ${g.attribute}, ${g.name}`, () =>
        inCtx((ctx) => service.countFindings(ctx, g.filters, g.attribute)),
      );
    }
    await db.destroy();
    process.exit(0);
  }
  for (const c of cases) {
    const samples: number[] = [];
    let returned = 0;
    for (let i = -5; i < iterations; i += 1) {
      const started = performance.now();
      const page = await inCtx((ctx) =>
        service.getFindings(ctx, {
          filters: c.filters(i + 5),
          sortCriteria: c.sort ?? [],
          nextToken: undefined,
          maxResults: 100,
        }),
      );
      if (i >= 0) samples.push(performance.now() - started);
      returned = page.findings.length;
    }
    rows.push([
      `GetFindings in-process: ${c.name}`,
      '≤ 5 ms p95',
      `${ms(percentile(samples, 50))} / ${ms(percentile(samples, 95))}`,
      String(returned),
    ]);
  }
  for (const { attribute, filters, name } of groupBys) {
    const samples: number[] = [];
    let groups = 0;
    for (let i = -2; i < Math.min(iterations, 20); i += 1) {
      const started = performance.now();
      const result = await inCtx((ctx) => service.countFindings(ctx, filters, attribute));
      if (i >= 0) samples.push(performance.now() - started);
      groups = result.length;
    }
    rows.push([
      `group-by ${attribute}, ${name}`,
      '≤ 50 ms',
      `${ms(percentile(samples, 50))} / ${ms(percentile(samples, 95))}`,
      `${groups} groups`,
    ]);
  }
  await db.destroy();
}

// Over HTTP: a real server, the lean signed client (response JSON parsed).
{
  const server = await startServer(target);
  const client = new SignedClient(server.endpoint, key, region);
  for (const c of cases) {
    const samples: number[] = [];
    let returned = 0;
    for (let i = -5; i < iterations; i += 1) {
      const body = JSON.stringify({
        Filters: c.filters(i + 5),
        MaxResults: 100,
        ...(c.sort ? { SortCriteria: c.sort } : {}),
      });
      const started = performance.now();
      const page = (await client.call('POST', '/findings', body)) as { Findings: unknown[] };
      if (i >= 0) samples.push(performance.now() - started);
      returned = page.Findings.length;
    }
    rows.push([
      `GetFindings over HTTP: ${c.name}`,
      '≤ 15 ms p95',
      `${ms(percentile(samples, 50))} / ${ms(percentile(samples, 95))}`,
      String(returned),
    ]);
  }
  rows.push([
    'server RSS after the HTTP queries',
    '≤ 300 MiB',
    `${rssMiB(server.process.pid).toFixed(0)} MiB`,
    '',
  ]);
  client.close();
  await server.stop();
}

const widths = [0, 1, 2, 3].map((i) =>
  Math.max(...[['path', 'budget', 'p50 / p95 ms', 'rows'], ...rows].map((r) => (r[i] ?? '').length)),
);
const line = (r: string[]): string => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
console.log(line(['path', 'budget', 'p50 / p95 ms', 'rows']));
for (const r of rows) console.log(line(r));
