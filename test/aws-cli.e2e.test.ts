/** E2E: the AWS CLI and boto3 against the server (each skipped, with a reason, where not installed). */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { buildFinding } from './factories.js';
import { getFinding } from './support/accounts.js';
import { commandExists, type Credentials } from './support/server-harness.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';
import { awsCliEnv } from './support/aws-cli-env.js';
import { findBoto3Python } from './support/boto3-python.js';

const run = promisify(execFile);

const hasAwsCli = commandExists('aws');
const boto3Python = findBoto3Python();

/** Environment that uses only the given key: the developer's own AWS config and credentials are never read. */
interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('AWS CLI and boto3 (e2e)', () => {
  let server: InProcessServer;
  let workDir: string;

  before(async () => {
    server = await startInProcessServer();
    workDir = mkdtempSync(join(tmpdir(), 'bulwark-cli-'));
  });
  after(async () => {
    await server?.dispose();
    if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  });

  async function aws(credentials: Credentials, args: string[]): Promise<CliResult> {
    try {
      const { stdout, stderr } = await run(
        'aws',
        ['securityhub', ...args, '--endpoint-url', server.endpoint, '--output', 'json'],
        { env: awsCliEnv(credentials), timeout: 60_000 },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }

  it(
    'aws securityhub: enable, import from a file, get with --filters and --query, update, and an error',
    { skip: hasAwsCli ? false : 'the aws CLI is not on PATH' },
    async () => {
      const key = await server.createKey();
      const enabled = await aws(key, ['enable-security-hub', '--no-enable-default-standards']);
      assert.equal(enabled.code, 0, enabled.stderr);

      const target = { accountId: key.accountId };
      const critical = buildFinding(
        { Severity: { Label: 'CRITICAL' }, Title: 'cli critical finding' },
        target,
      );
      const low = buildFinding({ Severity: { Label: 'LOW' }, Title: 'cli low finding' }, target);
      const file = join(workDir, 'findings.json');
      writeFileSync(file, JSON.stringify([critical, low]));
      const imported = await aws(key, ['batch-import-findings', '--findings', `file://${file}`]);
      assert.equal(imported.code, 0, imported.stderr);
      assert.deepEqual(JSON.parse(imported.stdout), { FailedCount: 0, SuccessCount: 2, FailedFindings: [] });

      const filters = JSON.stringify({
        SeverityLabel: [{ Value: 'CRITICAL', Comparison: 'EQUALS' }],
        RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      });
      const got = await aws(key, ['get-findings', '--filters', filters, '--query', 'Findings[].[Id,Title]']);
      assert.equal(got.code, 0, got.stderr);
      assert.deepEqual(JSON.parse(got.stdout), [[critical.Id, 'cli critical finding']]);

      const identifiers = JSON.stringify([{ Id: low.Id, ProductArn: low.ProductArn }]);
      const updated = await aws(key, [
        'batch-update-findings',
        '--finding-identifiers',
        identifiers,
        '--workflow',
        'Status=SUPPRESSED',
        '--note',
        'Text=accepted risk,UpdatedBy=cli-test',
      ]);
      assert.equal(updated.code, 0, updated.stderr);
      assert.deepEqual(JSON.parse(updated.stdout), {
        ProcessedFindings: [{ Id: low.Id, ProductArn: low.ProductArn }],
        UnprocessedFindings: [],
      });
      const client = server.client('us-east-1', key);
      const stored = await getFinding(client, String(low.Id));
      assert.equal(stored.Workflow?.Status, 'SUPPRESSED');
      assert.equal(stored.Note?.Text, 'accepted risk');

      const again = await aws(key, ['enable-security-hub', '--no-enable-default-standards']);
      assert.notEqual(again.code, 0);
      assert.match(again.stderr, /ResourceConflictException/);
      assert.match(again.stderr, /already subscribed/);

      const badFilter = await aws(key, [
        'get-findings',
        '--filters',
        '{"NetworkSourceIpV4":[{"Cidr":"300.1.1.1/8"}]}',
      ]);
      assert.notEqual(badFilter.code, 0);
      assert.match(badFilter.stderr, /InvalidInputException/);
    },
  );

  it(
    'boto3: import, read back and a modeled error',
    {
      skip:
        boto3Python === undefined
          ? 'no python3 with boto3 (python3 on PATH, /usr/bin/python3, BULWARK_TEST_PYTHON)'
          : false,
    },
    async () => {
      const key = await server.createKey();
      const finding = buildFinding({}, { accountId: key.accountId });
      const script = `
import json, sys, boto3
from botocore.config import Config
args = json.loads(sys.argv[1])
client = boto3.client('securityhub', endpoint_url=args['endpoint'], region_name='us-east-1',
                      config=Config(retries={'max_attempts': 1, 'mode': 'standard'}))
out = {}
try:
    client.describe_hub()
except client.exceptions.InvalidAccessException as error:
    out['before_enable'] = error.response['Error']['Code']
client.enable_security_hub(EnableDefaultStandards=False)
out['import'] = client.batch_import_findings(Findings=[args['finding']])['SuccessCount']
found = client.get_findings(Filters={'Id': [{'Value': args['finding']['Id'], 'Comparison': 'EQUALS'}]})['Findings']
out['titles'] = [f['Title'] for f in found]
out['severity'] = found[0]['Severity']['Label']
pages = client.get_paginator('get_findings').paginate(PaginationConfig={'PageSize': 1})
out['paged'] = sum(len(page['Findings']) for page in pages)
print(json.dumps(out))
`;
      const { stdout } = await run(
        boto3Python ?? 'python3',
        ['-c', script, JSON.stringify({ endpoint: server.endpoint, finding })],
        {
          env: awsCliEnv(key),
          timeout: 60_000,
        },
      );
      assert.deepEqual(JSON.parse(stdout), {
        before_enable: 'InvalidAccessException',
        import: 1,
        titles: [finding.Title],
        severity: 'MEDIUM',
        paged: 1,
      });
    },
  );
});
