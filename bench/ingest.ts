/**
 * Ingest benchmark: BatchImportFindings end to end (HTTP + SigV4 + validation + upsert) against a real
 * `bulwark server` child on the embedded engine.
 *
 *   node dist/bench/ingest.js [--count 1000000] [--data-dir .bench/ingest] [--accounts 5]
 *                             [--concurrency 8] [--reimport 0.05] [--cpu-prof]
 *
 * Each account has its own key and imports its own findings in batches of 100. `--reimport` is the share
 * of batches that re-send earlier findings with a newer UpdatedAt (scanners re-report), exercising the
 * update path. The data dir is left for `bench/query.ts`.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createKey, parseFlags, rssMiB, SignedClient, startServer } from './bench-client.js';
import { generateFinding, type GeneratorScope } from './generate-findings.js';

const flags = parseFlags(process.argv.slice(2));
const count = Number(flags.get('count') ?? 1_000_000);
const dataDir = resolve(flags.get('data-dir') ?? '.bench/ingest');
const accounts = Number(flags.get('accounts') ?? 5);
const concurrency = Number(flags.get('concurrency') ?? 8);
const reimportShare = Number(flags.get('reimport') ?? 0.05);
const batchSize = 100;
const region = 'us-east-1';

rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
const keys = Array.from({ length: accounts }, () => createKey(dataDir));
const server = await startServer(
  dataDir,
  flags.has('cpu-prof') ? ['--cpu-prof', `--cpu-prof-dir=${join(dataDir, 'profile')}`] : [],
);
const pid = server.process.pid;
const clients = keys.map((key) => new SignedClient(server.endpoint, key, region));
for (const client of clients) await client.call('POST', '/accounts', '{}');

const now = Date.now();
const scopes: GeneratorScope[] = keys.map((key) => ({ accountId: key.accountId, region, now }));
const nextSequence = keys.map(() => 0);
let stored = 0;
let sent = 0;
let batchNumber = 0;
let failures = 0;
const started = performance.now();
const marks: { stored: number; at: number }[] = [{ stored: 0, at: started }];

function nextBatch(): { account: number; body: string; fresh: number } | undefined {
  if (stored + inFlightFresh >= count) return undefined;
  const account = batchNumber % accounts;
  batchNumber += 1;
  const scope = scopes[account] as GeneratorScope;
  const have = nextSequence[account] ?? 0;
  const findings: Record<string, unknown>[] = [];
  let fresh = 0;
  if (have > batchSize * 10 && Math.random() < reimportShare) {
    const start = Math.floor(Math.random() * (have - batchSize));
    for (let i = 0; i < batchSize; i += 1) findings.push(generateFinding(scope, start + i, 1 + batchNumber));
  } else {
    fresh = Math.min(batchSize, count - stored - inFlightFresh);
    for (let i = 0; i < fresh; i += 1) findings.push(generateFinding(scope, have + i));
    nextSequence[account] = have + fresh;
  }
  return { account, body: JSON.stringify({ Findings: findings }), fresh };
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
      `${((sent / (at - started)) * 1000).toFixed(0)} imported/s overall  rss ${rssMiB(pid).toFixed(0)} MiB\n`,
  );
};

async function worker(): Promise<void> {
  for (;;) {
    const batch = nextBatch();
    if (batch === undefined) return;
    inFlightFresh += batch.fresh;
    const client = clients[batch.account] as SignedClient;
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
const rss = rssMiB(pid);
const dbBytes = statSync(join(dataDir, 'bulwark.sqlite'), { throwIfNoEntry: false })?.size ?? 0;
const summary = {
  count: stored,
  importedTotal: sent,
  failures,
  seconds: Number(seconds.toFixed(1)),
  newFindingsPerSecond: Math.round(stored / seconds),
  importedPerSecond: Math.round(sent / seconds),
  lastWindowNewPerSecond: Math.round(lastRate),
  serverRssMiB: Math.round(rss),
  databaseMiB: Math.round(dbBytes / 2 ** 20),
  concurrency,
  accounts,
};
writeFileSync(join(dataDir, 'bench-keys.json'), JSON.stringify(keys, null, 2));
writeFileSync(join(dataDir, 'bench-ingest.json'), JSON.stringify(summary, null, 2));
for (const client of clients) client.close();
await server.stop();
console.log('\npath                                   measured');
console.log(
  `BatchImportFindings, new findings/s     ${summary.newFindingsPerSecond} overall, ${summary.lastWindowNewPerSecond} over the last 100k`,
);
console.log(
  `  incl. re-imports (${reimportShare * 100}% of batches)      ${summary.importedPerSecond} findings/s`,
);
console.log(`stored / failed                         ${stored} / ${failures}`);
console.log(`server RSS at end                       ${summary.serverRssMiB} MiB`);
console.log(`database file                           ${summary.databaseMiB} MiB (${dataDir})`);
console.log(`wall time                               ${summary.seconds} s`);
