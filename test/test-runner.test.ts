/**
 * The test runner (scripts/run-tests.js) on fixture suites: it counts skipped, todo and cancelled tests, lists
 * every skip with its reason, and in CI fails a run where a test was skipped unless the skip is a declared
 * one-engine test in the other engine's pass.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from './support/server-harness.js';

/** A fixture test that runs on the engine `BULWARK_TEST_DATABASE_URL` names, like test/support/engine-only.ts. */
const engineOnlyFixture = `
import { it } from 'node:test';
const onPostgres = /^postgres/.test(process.env.BULWARK_TEST_DATABASE_URL ?? '');
it('runs everywhere', () => {});
it('needs PostgreSQL', { skip: onPostgres ? false : 'only on PostgreSQL: one writer on SQLite' }, () => {});
`;

const undeclaredFixture = `
import { describe, it } from 'node:test';
it('needs the aws CLI', { skip: 'the aws CLI is not on PATH' }, () => {});
it('skips itself', (t) => { t.skip('found no boto3'); });
it('not written yet', { todo: 'later' }, () => {});
describe('a whole suite', { skip: 'no chroot' }, () => { it('inside', () => {}); });
it('checks with the CLI too', async (t) => {
  await t.test('the aws CLI agrees', { skip: 'the aws CLI is not on PATH' }, () => {});
});
it('times out', { timeout: 50 }, () => new Promise((resolve) => setTimeout(resolve, 2000)));
`;

interface RunnerResult {
  status: number | null;
  output: string;
  lastLine: string;
}

describe('scripts/run-tests.js', { timeout: 180_000 }, () => {
  let dir: string;
  let engineOnly: string;
  let undeclared: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-runner-'));
    engineOnly = join(dir, 'engine-only');
    undeclared = join(dir, 'undeclared');
    for (const [sub, text] of [
      [engineOnly, engineOnlyFixture],
      [undeclared, undeclaredFixture],
    ] as const) {
      spawnSync('mkdir', ['-p', sub]);
      writeFileSync(join(sub, 'fixture.test.mjs'), text);
    }
  });
  after(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  function runner(roots: string[], ci: boolean): RunnerResult {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      // NODE_TEST_CONTEXT would make the nested `node --test` think it runs inside this test and run nothing.
      if (!key.startsWith('BULWARK_') && key !== 'CI' && key !== 'NODE_TEST_CONTEXT') env[key] = value;
    }
    // The PostgreSQL this run uses, if any, serves the nested run's PostgreSQL pass too.
    const outerPostgres =
      process.env['BULWARK_TEST_DATABASE_URL'] || process.env['BULWARK_TEST_POSTGRES_URL'];
    if (outerPostgres !== undefined && outerPostgres !== '') env['BULWARK_TEST_POSTGRES_URL'] = outerPostgres;
    const result = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'run-tests.js')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...env,
        BULWARK_TEST_ROOTS: roots.join(':'),
        // Its own run id: the nested runner drops the PostgreSQL artifacts of its run id when it ends.
        BULWARK_TEST_RUN_ID: `runner${process.pid}`,
        ...(ci ? { BULWARK_CI: '1' } : {}),
      },
    });
    const output = `${result.stdout}${result.stderr}`;
    const lines = result.stdout.trimEnd().split('\n');
    return { status: result.status, output, lastLine: lines[lines.length - 1] ?? '' };
  }

  it('in CI passes a run whose only skips are one-engine tests in the other engine’s pass', () => {
    const result = runner([engineOnly], true);
    assert.equal(result.status, 0, result.output);
    assert.equal(result.lastLine, '3 passed, 0 failed, 1 skipped');
    assert.match(
      result.output,
      /\[SQLite\] SKIP needs PostgreSQL — only on PostgreSQL: one writer on SQLite \(other engine\)/,
    );
  });

  it('in CI fails a run with any other skip, naming each, and counts todo, suite skips and timeouts', () => {
    const result = runner([undeclared], true);
    assert.equal(result.status, 1, result.output);
    // 5 skipped (a test, a subtest, t.skip, todo, a suite) and the timed-out test failed. The file never reads
    // the test database, so it runs in the SQLite pass only.
    assert.equal(result.lastLine, '1 passed, 1 failed, 5 skipped');
    for (const shown of [
      'SKIP needs the aws CLI — the aws CLI is not on PATH (NOT ALLOWED IN CI)',
      'SKIP skips itself — found no boto3 (NOT ALLOWED IN CI)',
      'TODO not written yet — later (NOT ALLOWED IN CI)',
      'SKIP a whole suite — no chroot (NOT ALLOWED IN CI)',
      'SKIP the aws CLI agrees — the aws CLI is not on PATH (NOT ALLOWED IN CI)',
    ]) {
      assert.ok(result.output.includes(`[SQLite] ${shown}`), `SQLite: ${shown}\n${result.output}`);
    }
    assert.doesNotMatch(result.output, /\[PostgreSQL\]/);
    assert.match(result.output, /=== PostgreSQL: the tests that use the test database \(0 files\) ===/);
    assert.match(result.output, /CI: 5 test\(s\) that must run in CI did not run/);
  });

  it('runs a file again on PostgreSQL when a module it imports reads the test database', () => {
    const imported = join(dir, 'imported');
    spawnSync('mkdir', ['-p', join(imported, 'support')]);
    writeFileSync(
      join(imported, 'support', 'engine.mjs'),
      "export const engine = /^postgres/.test(process.env['BULWARK_TEST_DATABASE_URL'] ?? '') ? 'pg' : 'sqlite';\n",
    );
    writeFileSync(
      join(imported, 'uses.test.mjs'),
      "import { it } from 'node:test';\nimport { engine } from './support/engine.mjs';\nit(`on ${engine}`, () => {});\n",
    );
    writeFileSync(
      join(imported, 'pure.test.mjs'),
      "import { it } from 'node:test';\nit('pure', () => {});\n",
    );
    const result = runner([imported], true);
    assert.equal(result.status, 0, result.output);
    assert.equal(result.lastLine, '3 passed, 0 failed, 0 skipped');
    assert.match(result.output, /on sqlite/);
    assert.match(result.output, /on pg/);
    // The support module is not a test file of its own.
    assert.doesNotMatch(result.output, /engine\.mjs/);
  });

  it('outside CI lists and counts skips without failing for them', () => {
    const result = runner([engineOnly, undeclared], false);
    assert.match(result.lastLine, /^4 passed, 1 failed, 6 skipped$/);
    assert.equal(result.status, 1, 'the timed-out test fails the run');
    assert.doesNotMatch(result.output, /NOT ALLOWED IN CI|must run in CI/);
    const skipsOnly = runner([engineOnly], false);
    assert.equal(skipsOnly.status, 0, skipsOnly.output);
  });
});
