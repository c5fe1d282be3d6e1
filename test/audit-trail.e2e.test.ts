/** E2E: the audit trail through the real server — LookupEvents (raw awsJson and the aws CLI), the audit CLI, tampering. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { BatchImportFindingsCommand } from '@aws-sdk/client-securityhub';
import { openDatabase } from '../src/storage/open-database.js';
import { enabledAccount, type TestAccount } from './support/accounts.js';
import { rawFetch } from './support/aws-request.js';
import { bulwarkBin, commandExists, repoRoot, type Credentials } from './support/server-harness.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';

const run = promisify(execFile);
const target = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents';
const hasAwsCli = commandExists('aws');

interface LookupEvent {
  EventId: string;
  EventName: string;
  ReadOnly: string;
  AccessKeyId?: string;
  EventTime: number;
  EventSource: string;
  Username?: string;
  Resources: { ResourceType?: string; ResourceName: string }[];
  CloudTrailEvent: string;
}

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('AWS_') && !key.startsWith('BULWARK_')) env[key] = value;
  }
  return { ...env, ...extra };
}

describe('audit trail (e2e)', () => {
  let server: InProcessServer;
  let account: TestAccount;

  before(async () => {
    server = await startInProcessServer();
    account = await enabledAccount(server);
  });
  after(async () => {
    await server?.dispose();
  });

  async function lookup(body: unknown, key: Credentials = account.key): Promise<Response> {
    return rawFetch(
      server.endpoint,
      {
        method: 'POST',
        path: '/',
        body,
        service: 'cloudtrail',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      },
      key,
    );
  }

  async function events(
    body: unknown,
    key: Credentials = account.key,
  ): Promise<{ Events: LookupEvent[]; NextToken?: string }> {
    const response = await lookup(body, key);
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(response.headers.get('content-type'), 'application/x-amz-json-1.1');
    return (await response.json()) as { Events: LookupEvent[]; NextToken?: string };
  }

  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        [bulwarkBin, 'audit', ...args, '--data-dir', server.dataDir, '--database', server.databaseUrl],
        { cwd: repoRoot, env: cleanEnv(), timeout: 60_000 },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }

  it('records Security Hub calls as CloudTrail events that LookupEvents returns, newest first', async () => {
    const findings = [account.finding(), account.finding()];
    await account.client.send(new BatchImportFindingsCommand({ Findings: findings }));
    const found = await events({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'BatchImportFindings' }],
    });
    assert.equal(found.Events.length, 1);
    const event = found.Events[0] as LookupEvent;
    assert.equal(event.EventSource, 'securityhub.amazonaws.com');
    assert.equal(event.ReadOnly, 'false');
    assert.equal(event.AccessKeyId, account.key.accessKeyId);
    assert.equal(typeof event.EventTime, 'number');
    assert.ok(Math.abs(event.EventTime - Date.now() / 1000) < 120, 'EventTime is epoch seconds');
    assert.deepEqual(event.Resources, [
      {
        ResourceType: 'AWS::SecurityHub::Hub',
        ResourceName: `arn:aws:securityhub:us-east-1:${account.accountId}:hub/default`,
      },
    ]);
    const record = JSON.parse(event.CloudTrailEvent) as Record<string, unknown>;
    assert.equal(record['eventName'], 'BatchImportFindings');
    assert.equal(record['eventType'], 'AwsApiCall');
    assert.equal(record['recipientAccountId'], account.accountId);
    assert.deepEqual(record['requestParameters'], { findingCount: 2, findingIds: findings.map((f) => f.Id) });
    assert.deepEqual(record['responseElements'], { FailedCount: 0, SuccessCount: 2 });
    assert.equal((record['userIdentity'] as Record<string, unknown>)['type'], 'IAMUser');

    const all = await events({});
    const names = all.Events.map((e) => e.EventName);
    assert.deepEqual(names.slice(0, 3), ['LookupEvents', 'BatchImportFindings', 'EnableSecurityHub']);
    const page = await events({ MaxResults: 1 });
    assert.equal(page.Events.length, 1);
    assert.ok(page.NextToken);
    const next = await events({ MaxResults: 1, NextToken: page.NextToken });
    assert.notEqual(next.Events[0]?.EventId, page.Events[0]?.EventId);
    const mismatched = await lookup({
      MaxResults: 1,
      NextToken: page.NextToken,
      LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }],
    });
    assert.equal(mismatched.status, 400);
    assert.equal(((await mismatched.json()) as { __type: string }).__type, 'InvalidNextTokenException');
  });

  it('records denied calls, visible to the targeted account only', async () => {
    const badSecret = await rawFetch(
      server.endpoint,
      { method: 'GET', path: '/accounts' },
      { accessKeyId: account.key.accessKeyId, secretAccessKey: 'not-the-secret' },
    );
    assert.equal(badSecret.status, 403);
    const denied = await events({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DescribeHub' }],
    });
    const record = JSON.parse(denied.Events[0]?.CloudTrailEvent ?? '{}') as Record<string, unknown>;
    assert.match(String(record['errorCode']), /^InvalidSignature/);
    assert.deepEqual(record['userIdentity'], {
      type: 'Unknown',
      accountId: account.accountId,
      accessKeyId: account.key.accessKeyId,
    });
    const other = await server.createKey();
    const theirs = await events({}, other);
    assert.ok(
      theirs.Events.every((e) => !e.CloudTrailEvent.includes(account.accountId)),
      'no other account events',
    );
  });

  it('speaks awsJson1_1 errors', async () => {
    const tooMany = await lookup({
      LookupAttributes: [
        { AttributeKey: 'EventName', AttributeValue: 'a' },
        { AttributeKey: 'Username', AttributeValue: 'b' },
      ],
    });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.headers.get('x-amzn-errortype'), 'InvalidLookupAttributesException');
    const body = (await tooMany.json()) as Record<string, unknown>;
    assert.equal(body['__type'], 'InvalidLookupAttributesException');
    assert.equal(typeof body['message'], 'string');
    const unknown = await rawFetch(
      server.endpoint,
      {
        method: 'POST',
        path: '/',
        body: {},
        service: 'cloudtrail',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.Nope',
        },
      },
      account.key,
    );
    assert.equal(unknown.status, 400);
    assert.equal(((await unknown.json()) as { __type: string }).__type, 'UnknownOperationException');
    assert.ok(unknown.headers.get('x-amzn-requestid'));
  });

  it(
    'aws cloudtrail lookup-events works against the server',
    { skip: hasAwsCli ? false : 'the aws CLI is not on PATH' },
    async () => {
      const { stdout } = await run(
        'aws',
        [
          'cloudtrail',
          'lookup-events',
          '--lookup-attributes',
          'AttributeKey=EventName,AttributeValue=BatchImportFindings',
          '--endpoint-url',
          server.endpoint,
          '--output',
          'json',
        ],
        {
          env: cleanEnv({
            AWS_ACCESS_KEY_ID: account.key.accessKeyId,
            AWS_SECRET_ACCESS_KEY: account.key.secretAccessKey,
            AWS_DEFAULT_REGION: 'us-east-1',
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
            AWS_PAGER: '',
            AWS_MAX_ATTEMPTS: '1',
          }),
          timeout: 60_000,
        },
      );
      const parsed = JSON.parse(stdout) as { Events: { EventName: string; EventTime: string | number }[] };
      assert.equal(parsed.Events.length, 1);
      assert.equal(parsed.Events[0]?.EventName, 'BatchImportFindings');
      // CLI v1 prints the wire value (epoch seconds), v2 an ISO-8601 string: either way a current timestamp.
      const time = parsed.Events[0]?.EventTime;
      const ms = typeof time === 'number' ? time * 1000 : Date.parse(time ?? '');
      assert.ok(Math.abs(ms - Date.now()) < 300_000, `EventTime ${String(time)} is a current timestamp`);
    },
  );

  it('bulwark audit search, export, seal and public-key', async () => {
    const search = await cli(['search', '--event-name', 'BatchImportFindings', '--json']);
    assert.equal(search.code, 0, search.stderr);
    const lines = search.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.['eventName'], 'BatchImportFindings');
    const sealed = await cli(['seal']);
    assert.equal(sealed.code, 0, sealed.stderr);
    assert.match(sealed.stdout, /sealed records seq \d+\.\.\d+ .* in digest 1/);
    const exported = await cli(['export', '--format', 'jsonl', '--digests']);
    assert.equal(exported.code, 0, exported.stderr);
    const rows = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.ok(
      rows.some(
        (row) => row['eventName'] === 'BatchImportFindings' && typeof row['bulwarkHash'] === 'string',
      ),
    );
    assert.ok(rows.some((row) => row['bulwarkDigest'] !== undefined && typeof row['publicKey'] === 'string'));
    const publicKey = await cli(['public-key']);
    assert.match(publicKey.stdout, /BEGIN PUBLIC KEY/);
  });

  it('1,000 junk unauthenticated requests from one address add a bounded number of bytes to the trail', async () => {
    const { db } = await openDatabase(server.databaseUrl);
    const trailBytes = async (): Promise<{ rows: number; bytes: number }> => {
      const rows = await db.selectFrom('audit_records').selectAll().execute();
      return { rows: rows.length, bytes: rows.reduce((sum, row) => sum + JSON.stringify(row).length, 0) };
    };
    try {
      const before = await trailBytes();
      const junkKey = 'AKIA' + 'J'.repeat(6000);
      for (let i = 0; i < 1000; i += 1) {
        const response = await fetch(`${server.endpoint}/findings`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'junk/' + 'u'.repeat(6000),
            authorization: `AWS4-HMAC-SHA256 Credential=${junkKey}/20240101/${'r'.repeat(2000)}/securityhub/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`,
            'x-amz-date': '20240101T000000Z',
          },
          body: '{}',
        });
        assert.ok(response.status >= 400 && response.status < 500, `status ${response.status}`);
        await response.arrayBuffer();
      }
      const after = await trailBytes();
      const added = after.bytes - before.bytes;
      assert.ok(
        added < 64 * 1024,
        `1,000 junk requests added ${added} bytes in ${after.rows - before.rows} records`,
      );
      assert.ok(after.rows > before.rows, 'the first failures from the address are still recorded');
    } finally {
      await db.destroy();
    }
  });

  it('bulwark audit verify trusts only a key from outside the database, and compares with the anchor', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'bulwark-verify-'));
    try {
      const verifyElsewhere = async (
        extra: string[],
      ): Promise<{ code: number; stdout: string; stderr: string }> => {
        try {
          const { stdout, stderr } = await run(
            process.execPath,
            [
              bulwarkBin,
              'audit',
              'verify',
              '--data-dir',
              elsewhere,
              '--database',
              server.databaseUrl,
              ...extra,
            ],
            { cwd: repoRoot, env: cleanEnv(), timeout: 60_000 },
          );
          return { code: 0, stdout, stderr };
        } catch (error) {
          const failed = error as { code?: number; stdout?: string; stderr?: string };
          return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
        }
      };
      // Without the signing key file and without --public-key, the key stored in the database is not trusted.
      const refused = await verifyElsewhere([]);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /no trusted public key/);
      const publicKey = await cli(['public-key']);
      const keyFile = join(elsewhere, 'trusted.pem');
      writeFileSync(keyFile, publicKey.stdout);
      const anchor = join(server.dataDir, 'audit-anchor.jsonl');
      assert.ok(existsSync(anchor), 'sealing appended the digest to the data directory’s anchor');
      const trusted = await verifyElsewhere(['--public-key', keyFile, '--anchor', anchor]);
      assert.equal(trusted.code, 0, trusted.stdout + trusted.stderr);
      assert.match(trusted.stdout, /audit trail intact/);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('bulwark audit verify passes on the untouched trail and names each tampered record', async () => {
    const intact = await cli(['verify']);
    assert.equal(intact.code, 0, intact.stdout + intact.stderr);
    assert.match(intact.stdout, /audit trail intact/);

    const { db } = await openDatabase(server.databaseUrl);
    try {
      const rows = await db.selectFrom('audit_records').selectAll().orderBy('seq').execute();
      assert.ok(rows.length >= 6);
      const [modified, deleted, swapA, swapB] = [rows[1], rows[3], rows[4], rows[5]].map((row) => {
        assert.ok(row);
        return row;
      }) as [(typeof rows)[number], (typeof rows)[number], (typeof rows)[number], (typeof rows)[number]];

      await db
        .updateTable('audit_records')
        .set({ action: 'DeleteEverything' })
        .where('seq', '=', modified.seq)
        .execute();
      let result = await cli(['verify']);
      assert.equal(result.code, 1);
      assert.match(
        result.stdout,
        new RegExp(`record seq ${modified.seq} \\(eventID ${modified.event_id}\\) was modified`),
      );
      await db
        .updateTable('audit_records')
        .set({ action: modified.action })
        .where('seq', '=', modified.seq)
        .execute();

      await db.deleteFrom('audit_records').where('seq', '=', deleted.seq).execute();
      result = await cli(['verify']);
      assert.equal(result.code, 1);
      assert.match(result.stdout, new RegExp(`record seq ${deleted.seq} is missing \\(deleted\\)`));
      await db.insertInto('audit_records').values(deleted).execute();

      await db.updateTable('audit_records').set({ seq: -1 }).where('seq', '=', swapA.seq).execute();
      await db.updateTable('audit_records').set({ seq: swapA.seq }).where('seq', '=', swapB.seq).execute();
      await db.updateTable('audit_records').set({ seq: swapB.seq }).where('seq', '=', -1).execute();
      result = await cli(['verify']);
      assert.equal(result.code, 1);
      assert.match(
        result.stdout,
        new RegExp(`record seq ${swapA.seq} \\(eventID ${swapB.event_id}\\) is out of order \\(reordered\\)`),
      );
    } finally {
      await db.destroy();
    }
  });
});
