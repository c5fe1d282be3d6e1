#!/usr/bin/env node
// Runs the compiled test suite with node's test runner: every test on the embedded SQLite engine, then again on
// PostgreSQL every test file that uses the test database (service tests and e2e servers each get a fresh
// database, a copy of one template database the run migrates once: test/support/test-databases.ts; the runner
// drops them all at the end). A file that never reads BULWARK_TEST_DATABASE_URL, itself or through its imports,
// runs once: its PostgreSQL pass would repeat the same test (scripts/test-files.js).
// Ends with one "N passed, N failed, N skipped" line over both runs (cancelled tests, e.g. timeouts, count as
// failed; skipped counts skipped tests and suites and todo tests, whose outcome never fails a run).
//
// Skips. A test may be skipped only by declaring it (`{ skip: reason }` / `{ todo }` in its options, never a
// `return` or `t.skip()` inside its body), so every skip shows up in the TAP output with its reason and is
// listed here. In CI (env BULWARK_CI=1, which .ci/run sets, or CI set to anything but "false"/"0") a skip
// fails the run, because CI installs every tool the tests need: the only skips allowed are a test that means
// something on one engine only, declared with test/support/engine-only.ts, whose reason begins "only on
// PostgreSQL:" (allowed in the SQLite pass) or "only on SQLite:" (allowed in the PostgreSQL pass). The same
// reason in its own engine's pass is a bug and fails too. Outside CI skips are listed and counted, not fatal.
//
// BULWARK_TEST_ROOTS (colon-separated, default dist/src:dist/test) names what to run (the runner's own test).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireTestPostgres, dropTestArtifacts } from './test-postgres.js';
import { engineDependentFiles, listTestFiles } from './test-files.js';

const extra = process.argv.slice(2);
const reportDir = mkdtempSync(join(tmpdir(), 'bulwark-tests-'));
// Names this run's PostgreSQL schemas and databases, so cleanup never drops those of a run beside it.
const runId = process.env.BULWARK_TEST_RUN_ID ?? `r${process.pid}`;
const ci =
  process.env.BULWARK_CI === '1' ||
  (process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI.toLowerCase()));
const engineNames = { sqlite: 'SQLite', postgres: 'PostgreSQL' };
// Test files at once: one more than the cores, because much of an e2e file's time is spent waiting (for agents,
// workers, timeouts, PostgreSQL) rather than computing (on 2 cores a pass used 1.2 of them with 2 files at once).
// BULWARK_TEST_CONCURRENCY overrides it.
const concurrency = Number(process.env.BULWARK_TEST_CONCURRENCY ?? availableParallelism() + 1);
const roots = (process.env.BULWARK_TEST_ROOTS ?? 'dist/src:dist/test')
  .split(':')
  .filter((root) => root !== '');

/** The skipped and todo tests of a TAP report: `{ name, directive, reason }`, nested subtests included. */
function skippedInTap(tap) {
  const skipped = [];
  for (const line of tap.split('\n')) {
    const match = /^\s*(?:not )?ok \d+ - (.*?)(?<!\\) # (SKIP|TODO)(?: (.*))?$/.exec(line);
    if (match === null) continue;
    const name = (match[1] ?? '').replace(/\\#/g, '#').replace(/\\\\/g, '\\');
    skipped.push({ name, directive: match[2], reason: (match[3] ?? '').trim() });
  }
  return skipped;
}

/** Whether `skip` is a declared one-engine test skipped in the other engine's pass. */
function isOtherEngineSkip(skip, engine) {
  const other = engine === 'sqlite' ? 'postgres' : 'sqlite';
  return skip.directive === 'SKIP' && skip.reason.startsWith(`only on ${engineNames[other]}:`);
}

function run(label, engine, files, env) {
  process.stdout.write(`\n=== ${label} (${files.length} files) ===\n`);
  if (files.length === 0) return { ok: true, passed: 0, failed: 0, skipped: [] };
  const tapFile = join(reportDir, `${label.replace(/\W+/g, '-')}.tap`);
  const result = spawnSync(
    process.execPath,
    [
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
      ...extra,
      ...files,
    ],
    {
      stdio: 'inherit',
      env: {
        ...process.env,
        BULWARK_LOG_LEVEL: process.env.BULWARK_LOG_LEVEL ?? 'silent',
        BULWARK_TEST_RUN_ID: runId,
        ...env,
      },
    },
  );
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  const count = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  const skipped = skippedInTap(tap).map((skip) => ({
    ...skip,
    pass: engineNames[engine],
    allowed: isOtherEngineSkip(skip, engine),
  }));
  return {
    ok: result.status === 0,
    passed: count('pass'),
    failed: count('fail') + count('cancelled'),
    skipped,
  };
}

const files = listTestFiles(roots.filter((root) => existsSync(root)));
const results = [];
results.push(
  run('SQLite: unit, service and end-to-end tests', 'sqlite', files, { BULWARK_TEST_DATABASE_URL: '' }),
);

let postgres;
try {
  postgres = await acquireTestPostgres();
  process.stdout.write(`\nPostgreSQL for the store tests: ${postgres.url.replace(/\/\/[^@]*@/, '//')}\n`);
  results.push(
    run('PostgreSQL: the tests that use the test database', 'postgres', engineDependentFiles(files), {
      BULWARK_TEST_DATABASE_URL: postgres.url,
      // The tests leave their databases to dropTestArtifacts below, which drops them together.
      BULWARK_TEST_RUNNER_DROPS_DATABASES: '1',
    }),
  );
} catch (error) {
  process.stderr.write(String(error instanceof Error ? error.message : error) + '\n');
  results.push({ ok: false, passed: 0, failed: 1, skipped: [] });
} finally {
  if (postgres !== undefined) await dropTestArtifacts(postgres.url, runId).catch(() => {});
  postgres?.stop();
  rmSync(reportDir, { recursive: true, force: true });
}

const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
const skipped = results.flatMap((r) => r.skipped);
const unexpected = skipped.filter((skip) => !skip.allowed);
if (skipped.length > 0) {
  process.stdout.write(`\nSkipped (${skipped.length}):\n`);
  for (const skip of skipped) {
    const mark = skip.allowed ? 'other engine' : ci ? 'NOT ALLOWED IN CI' : 'skipped';
    process.stdout.write(
      `  [${skip.pass}] ${skip.directive} ${skip.name}${skip.reason === '' ? '' : ` — ${skip.reason}`} (${mark})\n`,
    );
  }
}
const skipsFail = ci && unexpected.length > 0;
if (skipsFail) {
  process.stdout.write(
    `\nCI: ${unexpected.length} test(s) that must run in CI did not run (see above); CI installs what they need, ` +
      'so a skip here means a missing tool or a skip that is not declared as one engine only.\n',
  );
}
const ok = results.every((r) => r.ok);
process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped.length} skipped\n`);
process.exit(ok && failed === 0 && !skipsFail ? 0 : 1);
