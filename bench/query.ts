/**
 * Query benchmark on a data dir prepared by bench/ingest.ts: GetFindings (one page of 100, indexed filters)
 * in-process through FindingsService and over HTTP through a real server, and insight group-by counts.
 *
 *   node dist/bench/query.js [--data-dir .bench/ingest] [--iterations 60]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { administratorAccessPolicy } from '../src/access/index.js';
import type { Ctx } from '../src/app/ctx.js';
import { FindingsService, FindingsStore, ownAccountOnly } from '../src/findings/index.js';
import type { FindingFilters } from '../src/findings/filters/index.js';
import { openDatabase } from '../src/storage/open-database.js';
import { percentile, parseFlags, rssMiB, SignedClient, startServer, type BenchKey } from './bench-client.js';
import { instanceArnOf, instancesPerAccount } from './generate-findings.js';

const flags = parseFlags(process.argv.slice(2));
const dataDir = resolve(flags.get('data-dir') ?? '.bench/ingest');
const iterations = Number(flags.get('iterations') ?? 60);
const region = 'us-east-1';
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
];

const groupBys = ['SeverityLabel', 'AwsAccountId', 'ResourceType'];
const activeOnly: FindingFilters = { RecordState: [eq('ACTIVE')] };

const rows: string[][] = [];
const ms = (value: number): string => value.toFixed(2);

// In-process: FindingsService on its own connection to the file, one read transaction per call.
{
  const { db } = await openDatabase(join(dataDir, 'bulwark.sqlite'));
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
    `data dir ${dataDir}: ${Number(total.n)} findings in ${keys.length} accounts; caller ${account}\n`,
  );
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
  for (const attribute of groupBys) {
    const samples: number[] = [];
    let groups = 0;
    for (let i = -2; i < Math.min(iterations, 20); i += 1) {
      const started = performance.now();
      const result = await inCtx((ctx) => service.countFindings(ctx, activeOnly, attribute));
      if (i >= 0) samples.push(performance.now() - started);
      groups = result.length;
    }
    rows.push([
      `group-by ${attribute}, RecordState=ACTIVE`,
      '≤ 50 ms',
      `${ms(percentile(samples, 50))} / ${ms(percentile(samples, 95))}`,
      `${groups} groups`,
    ]);
  }
  await db.destroy();
}

// Over HTTP: a real server, the lean signed client (response JSON parsed).
{
  const server = await startServer(dataDir);
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
