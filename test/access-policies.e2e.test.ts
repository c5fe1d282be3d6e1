/** E2E: least-privilege keys made with `bulwark admin`, enforced by the real server through the AWS SDK. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  DescribeHubCommand,
  EnableSecurityHubCommand,
  GetFindingsCommand,
} from '@aws-sdk/client-securityhub';
import { buildFinding } from './factories.js';
import { expectAwsError } from './support/assert-aws-error.js';
import { bulwarkBin, repoRoot, type Credentials } from './support/server-harness.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';
import { onlyOn } from './support/engine-only.js';

// Policies are evaluated in memory on every call; the access store and the cache a change on another node (or
// the CLI) invalidates run on both engines in src/access/administration.test.ts.
const evaluationOnly = onlyOn(
  'sqlite',
  'policies are evaluated in memory; the access store runs on both engines',
);

describe('least-privilege policies (e2e)', evaluationOnly, () => {
  let server: InProcessServer;
  let account = '';
  const policyDir = mkdtempSync(join(tmpdir(), 'bulwark-policies-'));

  /** Runs `bulwark admin <args> --json` on the server's database and returns the parsed output. */
  async function admin(...args: string[]): Promise<Record<string, unknown>> {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('BULWARK_')) env[key] = value;
    const child = spawn(
      process.execPath,
      [
        bulwarkBin,
        'admin',
        ...args,
        '--data-dir',
        server.dataDir,
        '--database',
        server.databaseUrl,
        '--json',
      ],
      { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`bulwark admin ${args.join(' ')} failed (${String(code)}): ${stderr}`);
    return JSON.parse(stdout) as Record<string, unknown>;
  }

  /** A new user of the bootstrap account with `policies` and one key. */
  async function userWith(name: string, ...policies: string[]): Promise<Credentials> {
    await admin(
      'create-user',
      '--account',
      account,
      '--name',
      name,
      ...policies.flatMap((p) => ['--policy', p]),
    );
    const key = await admin('create-key', '--account', account, '--name', name);
    return {
      accountId: String(key['accountId']),
      accessKeyId: String(key['accessKeyId']),
      secretAccessKey: String(key['secretAccessKey']),
    };
  }

  async function customPolicy(name: string, document: unknown): Promise<void> {
    const file = join(policyDir, `${name}.json`);
    writeFileSync(file, JSON.stringify(document, null, 2));
    await admin('create-policy', '--account', account, '--name', name, '--document', `file://${file}`);
  }

  before(async () => {
    server = await startInProcessServer();
    account = server.accountId;
    await server.client().send(new EnableSecurityHubCommand({}));
    await server.client('eu-west-1').send(new EnableSecurityHubCommand({}));
  });
  after(async () => {
    await server?.dispose();
    rmSync(policyDir, { recursive: true, force: true });
  });

  const hubArn = (region = 'us-east-1'): string => `arn:aws:securityhub:${region}:${account}:hub/default`;
  const findingOf = () => buildFinding({}, { accountId: account });

  it('an importer key (SecurityHubImporter) imports findings but cannot read them', async () => {
    const key = await userWith('importer', 'SecurityHubImporter');
    const client = server.client('us-east-1', key);
    const result = await client.send(new BatchImportFindingsCommand({ Findings: [findingOf()] }));
    assert.equal(result.SuccessCount, 1);
    await expectAwsError(
      client.send(new GetFindingsCommand({})),
      'AccessDeniedException',
      403,
      new RegExp(
        `^User: arn:aws:iam::${account}:user/importer is not authorized to perform: securityhub:GetFindings on resource: ${hubArn()}$`,
      ),
    );
  });

  it('a read-only key (SecurityHubReadOnly) reads findings but cannot update them', async () => {
    const finding = findingOf();
    await server.client().send(new BatchImportFindingsCommand({ Findings: [finding] }));
    const key = await userWith('auditor', 'SecurityHubReadOnly');
    const client = server.client('us-east-1', key);
    const page = await client.send(
      new GetFindingsCommand({ Filters: { Id: [{ Value: finding.Id, Comparison: 'EQUALS' }] } }),
    );
    assert.equal(page.Findings?.length, 1);
    await client.send(new DescribeHubCommand({}));
    await expectAwsError(
      client.send(
        new BatchUpdateFindingsCommand({
          FindingIdentifiers: [{ Id: finding.Id, ProductArn: finding.ProductArn }],
          Workflow: { Status: 'RESOLVED' },
        }),
      ),
      'AccessDeniedException',
      403,
      /user\/auditor is not authorized to perform: securityhub:BatchUpdateFindings/,
    );
    await expectAwsError(
      client.send(new BatchImportFindingsCommand({ Findings: [findingOf()] })),
      'AccessDeniedException',
      403,
    );
  });

  it('aws:SourceIp: an allow limited to 10.0.0.0/8 does not cover 127.0.0.1; a deny outside it is explicit', async () => {
    await customPolicy('OfficeOnly', {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'securityhub:*',
          Resource: '*',
          Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
        },
      ],
    });
    const office = server.client('us-east-1', await userWith('office', 'OfficeOnly'));
    await expectAwsError(
      office.send(new GetFindingsCommand({})),
      'AccessDeniedException',
      403,
      /securityhub:GetFindings on resource/,
    );

    await customPolicy('DenyOutsideOffice', {
      Version: '2012-10-17',
      Statement: {
        Sid: 'DenyOutsideOffice',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', 'fd00::/8'] } },
      },
    });
    const fenced = server.client(
      'us-east-1',
      await userWith('fenced', 'AdministratorAccess', 'DenyOutsideOffice'),
    );
    await expectAwsError(
      fenced.send(new DescribeHubCommand({})),
      'AccessDeniedException',
      403,
      /securityhub:DescribeHub on resource: .* with an explicit deny in an identity-based policy$/,
    );
    await customPolicy('LoopbackOnly', {
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Action: 'securityhub:Describe*',
        Resource: '*',
        Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } },
      },
    });
    const loopback = server.client('us-east-1', await userWith('loopback', 'LoopbackOnly'));
    await loopback.send(new DescribeHubCommand({}));
  });

  it('aws:RequestedRegion limits the Regions a key may use', async () => {
    await customPolicy('UsEastOnly', {
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Action: ['securityhub:Get*', 'securityhub:Describe*'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
      },
    });
    const key = await userWith('regional', 'UsEastOnly');
    await server.client('us-east-1', key).send(new DescribeHubCommand({}));
    await expectAwsError(
      server.client('eu-west-1', key).send(new DescribeHubCommand({})),
      'AccessDeniedException',
      403,
      new RegExp(`securityhub:DescribeHub on resource: ${hubArn('eu-west-1')}$`),
    );
  });

  it('attaching and detaching a policy with the CLI takes effect on the running server within seconds', async () => {
    const key = await userWith('promoted', 'SecurityHubImporter');
    const client = server.client('us-east-1', key);
    await expectAwsError(client.send(new DescribeHubCommand({})), 'AccessDeniedException', 403);
    await admin(
      'attach-policy',
      '--account',
      account,
      '--principal',
      'promoted',
      '--policy',
      'SecurityHubReadOnly',
    );
    await eventually(() => client.send(new DescribeHubCommand({})));
  });

  it('a key deactivated with the CLI is refused (UnrecognizedClientException), and works again once activated', async () => {
    const key = await userWith('temporary', 'SecurityHubReadOnly');
    const client = server.client('us-east-1', key);
    await client.send(new DescribeHubCommand({}));
    const deactivated = await admin('deactivate-key', key.accessKeyId);
    assert.equal(deactivated['status'], 'Inactive');
    await eventually(() =>
      expectAwsError(client.send(new DescribeHubCommand({})), 'UnrecognizedClientException', 403),
    );
    await admin('activate-key', key.accessKeyId);
    await eventually(() => client.send(new DescribeHubCommand({})));
    const keys = (await admin('list-keys', '--account', account, '--name', 'temporary')) as unknown as {
      accessKeyId: string;
      status: string;
      lastUsedAt: string | null;
    }[];
    assert.equal(keys.length, 1);
    assert.equal(keys[0]?.status, 'Active');
    assert.notEqual(keys[0]?.lastUsedAt, null);
  });

  it('rotate-key hands out a working key and retires the old one', async () => {
    const old = await userWith('rotated', 'SecurityHubReadOnly');
    const rotation = await admin('rotate-key', '--account', account, '--name', 'rotated', '--delete-old');
    assert.deepEqual(rotation['retiredAccessKeyIds'], [old.accessKeyId]);
    const fresh = {
      accessKeyId: String(rotation['accessKeyId']),
      secretAccessKey: String(rotation['secretAccessKey']),
    };
    await server.client('us-east-1', fresh).send(new DescribeHubCommand({}));
    await eventually(() =>
      expectAwsError(
        server.client('us-east-1', old).send(new DescribeHubCommand({})),
        'UnrecognizedClientException',
        403,
      ),
    );
  });

  it('create-key for a new principal of an existing account needs --policy; new accounts still get an administrator', async () => {
    await assert.rejects(
      admin('create-key', '--account', account, '--name', 'nobody'),
      /needs at least one policy/,
    );
    const fresh = await server.createKey();
    assert.notEqual(fresh.accountId, account);
    await server.client('us-east-1', fresh).send(new EnableSecurityHubCommand({}));
  });
});

/** Retries `check` for up to 6 s: the server re-reads the access generation at most every 2 s. */
async function eventually(check: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + 6_000;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
