/** E2E: the built `bulwark findings import|list` commands against a real server. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { asffSamplesDir, buildFinding } from './factories.js';
import { enabledAccount, type TestAccount } from './support/accounts.js';
import { bulwarkBin, repoRoot } from './support/server-harness.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';
import { onlyOn } from './support/engine-only.js';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const sampleFiles = readdirSync(asffSamplesDir)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => join(asffSamplesDir, file));

// The CLI is a Security Hub API client: what it does is the same whatever engine the server uses; the server's
// side of BatchImportFindings and GetFindings runs on both engines in findings-import and findings-query.
const clientOnly = onlyOn(
  'sqlite',
  'the CLI is an API client; the server side runs on both engines elsewhere',
);

describe('bulwark findings import|list (e2e)', clientOnly, () => {
  let server: InProcessServer;
  let account: TestAccount;
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-cli-e2e-'));

  before(async () => {
    server = await startInProcessServer();
    account = await enabledAccount(server);
  });
  after(async () => {
    await server?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  // Runs the built CLI with the account's key in the standard AWS variables; nothing else of ours leaks in.
  function cli(
    args: string[],
    options: { as?: TestAccount; stdin?: string; env?: Record<string, string> } = {},
  ): Promise<CliResult> {
    const as = options.as ?? account;
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (!key.startsWith('BULWARK_') && !key.startsWith('AWS_')) env[key] = value;
    }
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: as.key.accessKeyId,
      AWS_SECRET_ACCESS_KEY: as.key.secretAccessKey,
      AWS_REGION: as.region,
      AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
      BULWARK_ENDPOINT: server.endpoint,
      ...options.env,
    });
    const child = spawn(process.execPath, [bulwarkBin, ...args], { cwd: repoRoot, env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.end(options.stdin ?? '');
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  }

  async function listJson(args: string[], as?: TestAccount): Promise<Record<string, unknown>[]> {
    const result = await cli(
      ['findings', 'list', '--output', 'json', ...args],
      as === undefined ? {} : { as },
    );
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as Record<string, unknown>[];
  }

  it('imports the published samples with --retarget (exit 0) and lists them back', async () => {
    const own = await enabledAccount(server);
    const imported = await cli(['findings', 'import', '--retarget', ...sampleFiles], { as: own });
    assert.equal(imported.code, 0, imported.stderr + imported.stdout);
    assert.equal(imported.stdout, 'imported 13, failed 0\n');
    assert.doesNotMatch(imported.stderr, /Warning/);

    const all = await listJson([], own);
    assert.equal(all.length, 13);
    for (const finding of all) {
      assert.equal(finding['AwsAccountId'], own.accountId);
      assert.equal(finding['ProductArn'], own.productArn);
    }
    const trivy = all.find((f) => f['Id'] === 'alpine:3.10 (alpine 3.10.9)/CVE-2021-36159');
    assert.ok(trivy !== undefined);
    assert.equal(trivy['ProductName'], 'Trivy');
    assert.equal(
      (trivy['Resources'] as { Region?: string }[])[0]?.Region,
      own.region,
      'empty Region filled in',
    );

    const critical = await listJson(['--severity', 'critical'], own);
    assert.deepEqual(
      critical.map((f) => f['Id']),
      ['alpine:3.10 (alpine 3.10.9)/CVE-2021-36159'],
    );
    const severe = await listJson(['--filter', 'SeverityNormalized=gte:70', '--sort', 'Id:asc'], own);
    assert.deepEqual(
      severe.map((f) => f['Id']),
      [
        'Ruby/CVE-2020-25613',
        'alpine:3.10 (alpine 3.10.9)/CVE-2021-36159',
        'prowler-check12-123456789012-us-west-2-User_example-user_has_Password_enabled_but_MFA_disabled',
      ],
    );
    const fromTrivy = await cli(['findings', 'list', '--product-name', 'Trivy', '--output', 'jsonl'], {
      as: own,
    });
    assert.equal(fromTrivy.code, 0, fromTrivy.stderr);
    assert.equal(fromTrivy.stdout.trimEnd().split('\n').length, 2);
    assert.equal(
      (
        await listJson(
          [
            '--filters-json',
            '{"Title":[{"Value":"CloudTrail","Comparison":"CONTAINS"}]}',
            '--record-state',
            'ACTIVE',
          ],
          own,
        )
      ).length,
      all.filter((f) => String(f['Title']).includes('CloudTrail')).length,
    );
    assert.equal(
      (await listJson(['--filter', 'UpdatedAt=within:30d'], own)).length,
      0,
      'the samples are old',
    );

    const firstTwo = await cli(
      ['findings', 'list', '--max', '2', '--sort', 'Title:asc', '--output', 'json'],
      { as: own },
    );
    assert.equal(firstTwo.code, 0);
    const titles = (JSON.parse(firstTwo.stdout) as { Title: string }[]).map((f) => f.Title);
    assert.equal(titles.length, 2);
    assert.deepEqual(titles, [...all.map((f) => String(f['Title']))].sort().slice(0, 2));
    assert.match(firstTwo.stderr, /stopped at --max 2; more findings match/);

    const table = await cli(['findings', 'list', '--workflow', 'NEW', '--severity', 'HIGH'], {
      as: own,
      env: { COLUMNS: '100' },
    });
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^Severity {2}Workflow {2}Record {2}Product {2}Title +Resource +UpdatedAt$/);
    assert.equal(lines.length, 3);
    assert.ok(lines.every((line) => line.length <= 100));
    assert.ok(lines.slice(1).every((line) => line.startsWith('HIGH      NEW       ACTIVE')));
  });

  it('reads get-findings output from stdin and many JSON lines in several requests', async () => {
    const own = await enabledAccount(server);
    const prowler = JSON.parse(readFileSync(join(asffSamplesDir, 'prowler-asff.json'), 'utf8')) as unknown[];
    const fromStdin = await cli(['findings', 'import', '--retarget', '-'], {
      as: own,
      stdin: JSON.stringify({ Findings: prowler, NextToken: null }, null, 4),
    });
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    assert.equal(fromStdin.stdout, 'imported 1, failed 0\n');

    const file = join(dir, 'many.jsonl');
    const findings = Array.from({ length: 250 }, (_, i) =>
      buildFinding({ Title: `bulk finding ${i}` }, own.target),
    );
    writeFileSync(file, findings.map((f) => JSON.stringify(f)).join('\n\n') + '\n');
    const bulk = await cli(['findings', 'import', file], { as: own });
    assert.equal(bulk.code, 0, bulk.stderr);
    assert.equal(bulk.stdout, 'imported 250, failed 0\n');
    const listed = await cli(['findings', 'list', '--title-contains', 'bulk finding', '--output', 'jsonl'], {
      as: own,
    });
    assert.equal(listed.stdout.trimEnd().split('\n').length, 250, 'paginated past 100');
  });

  it('exit 2 when some findings fail, naming each', async () => {
    const own = await enabledAccount(server);
    const good = buildFinding({}, own.target);
    const bad = { ...buildFinding({}, own.target), Id: 'bad-severity', Severity: { Label: 'URGENT' } };
    const file = join(dir, 'some-bad.json');
    writeFileSync(file, JSON.stringify([good, bad], null, 2));
    const result = await cli(['findings', 'import', file], { as: own });
    assert.equal(result.code, 2, result.stderr);
    const [summary, failure, ...rest] = result.stdout.trimEnd().split('\n');
    assert.equal(summary, 'imported 1, failed 1');
    assert.match(failure ?? '', /^ {2}bad-severity \(.*some-bad\.json:\d+\): InvalidInput: .*Severity/);
    assert.deepEqual(rest, []);
  });

  it('exit 1 on a request-level error, printing the AWS exception', async () => {
    const own = await enabledAccount(server);
    const foreign = await cli(['findings', 'import', join(asffSamplesDir, 'prowler-asff.json')], { as: own });
    assert.equal(foreign.code, 1);
    assert.equal(foreign.stdout, 'imported 0, failed 0\n');
    assert.match(
      foreign.stderr,
      /AccessDeniedException: User: .* is not authorized to perform: securityhub:BatchImportFindings/,
    );
    assert.match(foreign.stderr, /--retarget/, 'suggests rewriting the findings to the caller');

    const notEnabled = await server.createKey();
    const noHub = await cli(['findings', 'import', '--retarget', sampleFiles[0] as string], {
      as: { ...own, key: notEnabled, accountId: notEnabled.accountId },
    });
    assert.equal(noHub.code, 1);
    assert.match(noHub.stderr, /DescribeHub failed: InvalidAccessException: /);

    const unreachable = await cli(['findings', 'list', '--endpoint-url', 'http://127.0.0.1:9'], { as: own });
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /^bulwark: cannot reach the endpoint \(http:\/\/127\.0\.0\.1:9\)/);
  });

  it('exit 1 on unreadable input, naming the line, after sending what came before', async () => {
    const own = await enabledAccount(server);
    const file = join(dir, 'broken.jsonl');
    writeFileSync(file, `${JSON.stringify(buildFinding({}, own.target))}\n\n{"Id": oops}\n`);
    const result = await cli(['findings', 'import', file], { as: own });
    assert.equal(result.code, 1);
    assert.equal(result.stdout, 'imported 1, failed 0\n');
    assert.match(result.stderr, /broken\.jsonl:3: invalid JSON/);

    const missing = await cli(['findings', 'import', join(dir, 'nope.json')], { as: own });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /ENOENT/);
  });

  it('list rejects bad flags locally with exit 1', async () => {
    const cases: [string[], RegExp][] = [
      [['--filter', 'SeverityLabel=IS:HIGH'], /COMPARISON one of EQUALS/],
      [['--filter', 'Nope=EQUALS:x'], /unknown filter key "Nope"/],
      [['--severity', 'urgent'], /--severity "urgent"/],
      [['--filter', 'UpdatedAt=start:last-tuesday'], /invalid filters: .*last-tuesday/],
      [['--sort', 'Title:sideways'], /asc or desc/],
      [['--output', 'xml'], /--output must be one of table, json, jsonl/],
      [['--max', '0'], /--max must be a positive integer/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(['findings', 'list', '--endpoint-url', 'http://127.0.0.1:9', ...args]);
      assert.equal(result.code, 1, args.join(' '));
      assert.match(result.stderr, message, args.join(' '));
      assert.equal(result.stdout, '');
    }
  });
});
