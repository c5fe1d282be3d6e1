#!/usr/bin/env node
// Runs the compiled test suite with node's test runner: every test on the embedded SQLite engine, then every
// test again on PostgreSQL (service tests get a fresh schema, e2e servers a fresh database).
// Ends with one "N passed, M failed" line over both runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireTestPostgres, dropTestArtifacts } from './test-postgres.js';

const extra = process.argv.slice(2);
const reportDir = mkdtempSync(join(tmpdir(), 'bulwark-tests-'));
// Names this run's PostgreSQL schemas and databases, so cleanup never drops those of a run beside it.
const runId = process.env.BULWARK_TEST_RUN_ID ?? `r${process.pid}`;

function run(label, roots, env) {
  process.stdout.write(`\n=== ${label} ===\n`);
  const tapFile = join(reportDir, `${label.replace(/\W+/g, '-')}.tap`);
  const result = spawnSync(
    process.execPath,
    [
      '--test',
      '--test-concurrency=2',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
      ...extra,
      ...roots.filter((root) => existsSync(root)),
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
  return { ok: result.status === 0, passed: count('pass'), failed: count('fail') };
}

const results = [];
results.push(run('SQLite: unit, service and end-to-end tests', ['dist/src', 'dist/test'], {}));

let postgres;
try {
  postgres = await acquireTestPostgres();
  process.stdout.write(`\nPostgreSQL for the store tests: ${postgres.url.replace(/\/\/[^@]*@/, '//')}\n`);
  results.push(
    run('PostgreSQL: unit, service and end-to-end tests', ['dist/src', 'dist/test'], {
      BULWARK_TEST_DATABASE_URL: postgres.url,
    }),
  );
} catch (error) {
  process.stderr.write(String(error instanceof Error ? error.message : error) + '\n');
  results.push({ ok: false, passed: 0, failed: 1 });
} finally {
  if (postgres !== undefined) await dropTestArtifacts(postgres.url, runId).catch(() => {});
  postgres?.stop();
  rmSync(reportDir, { recursive: true, force: true });
}

const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
const ok = results.every((r) => r.ok);
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(ok && failed === 0 ? 0 : 1);
