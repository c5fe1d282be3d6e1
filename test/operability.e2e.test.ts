/** E2E: /healthz, /metrics and the audit record every API call leaves in the database. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../src/storage/open-database.js';
import {
  BatchImportFindingsCommand,
  DescribeHubCommand,
  EnableSecurityHubCommand,
  GetFindingsCommand,
} from '@aws-sdk/client-securityhub';
import { expectAwsError } from './support/assert-aws-error.js';
import { enabledAccount, type TestAccount } from './support/accounts.js';
import { rawFetch } from './support/aws-request.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';

interface AuditRow {
  request_id: string;
  action: string;
  outcome: string;
  error_code: string | null;
  principal_arn: string | null;
  account_id: string | null;
  access_key_id: string | null;
  region: string | null;
  event_source: string;
}

/** The value of one Prometheus sample line, or undefined. */
function sample(metrics: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const matchesLabels = Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
    if (matchesLabels) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('operability: health, metrics and audit (e2e)', () => {
  let server: InProcessServer;
  let account: TestAccount;

  before(async () => {
    server = await startInProcessServer();
    account = await enabledAccount(server);
  });
  after(async () => {
    await server?.dispose();
  });

  it('GET /healthz answers 200', async () => {
    const response = await fetch(`${server.endpoint}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  it('GET /metrics counts requests per operation and reports findings stored', async () => {
    const findings = [account.finding(), account.finding(), account.finding()];
    await account.client.send(new BatchImportFindingsCommand({ Findings: findings }));
    for (let i = 0; i < 3; i += 1) await account.client.send(new DescribeHubCommand({}));
    await expectAwsError(
      account.client.send(new GetFindingsCommand({ MaxResults: 0 })),
      'InvalidInputException',
      400,
    );
    const response = await fetch(server.metricsEndpoint);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await response.text();
    assert.match(text, /# TYPE bulwark_requests_total counter/);
    assert.ok(
      (sample(text, 'bulwark_requests_total', { operation: 'DescribeHub' }) ?? 0) >= 3,
      'DescribeHub counted',
    );
    assert.equal(sample(text, 'bulwark_requests_total', { operation: 'BatchImportFindings' }), 1);
    assert.equal(
      sample(text, 'bulwark_requests_total', { operation: 'GetFindings', outcome: 'InvalidInputException' }),
      1,
    );
    assert.equal(sample(text, 'bulwark_findings_stored', {}), 3);
    assert.match(text, /bulwark_request_duration_seconds_bucket\{[^}]*operation="DescribeHub"/);
  });

  it('writes an audit record for every API call, successful or not, keyed by x-amzn-requestid', async () => {
    const calls: {
      requestId: string;
      action: string;
      outcome: string;
      errorCode: string | null;
      signed: boolean;
    }[] = [];
    const ok = await account.client.send(new DescribeHubCommand({}));
    calls.push({
      requestId: String(ok.$metadata.requestId),
      action: 'DescribeHub',
      outcome: 'Success',
      errorCode: null,
      signed: true,
    });
    const imported = await account.client.send(
      new BatchImportFindingsCommand({ Findings: [account.finding()] }),
    );
    calls.push({
      requestId: String(imported.$metadata.requestId),
      action: 'BatchImportFindings',
      outcome: 'Success',
      errorCode: null,
      signed: true,
    });
    const conflict = await expectAwsError(
      account.client.send(new EnableSecurityHubCommand({})),
      'ResourceConflictException',
      409,
    );
    calls.push({
      requestId: String(conflict.$metadata?.requestId),
      action: 'EnableSecurityHub',
      outcome: 'Failure',
      errorCode: 'ResourceConflictException',
      signed: true,
    });
    const invalid = await expectAwsError(
      account.client.send(new GetFindingsCommand({ MaxResults: 500 })),
      'InvalidInputException',
      400,
    );
    calls.push({
      requestId: String(invalid.$metadata?.requestId),
      action: 'GetFindings',
      outcome: 'Failure',
      errorCode: 'InvalidInputException',
      signed: true,
    });
    const badSecret = await rawFetch(
      server.endpoint,
      { method: 'GET', path: '/accounts' },
      { accessKeyId: account.key.accessKeyId, secretAccessKey: 'not-the-secret' },
    );
    assert.equal(badSecret.status, 403);
    calls.push({
      requestId: String(badSecret.headers.get('x-amzn-requestid')),
      action: 'DescribeHub',
      outcome: 'Failure',
      errorCode: 'InvalidSignatureException',
      signed: false,
    });
    const anonymous = await rawFetch(
      server.endpoint,
      { method: 'POST', path: '/findings', body: {} },
      undefined,
    );
    assert.equal(anonymous.status, 403);
    calls.push({
      requestId: String(anonymous.headers.get('x-amzn-requestid')),
      action: 'GetFindings',
      outcome: 'Failure',
      errorCode: 'MissingAuthenticationTokenException',
      signed: false,
    });
    const notJson = await rawFetch(
      server.endpoint,
      { method: 'POST', path: '/findings', body: '{"Filters": ' },
      account.key,
    );
    assert.equal(notJson.status, 400);
    assert.equal(notJson.headers.get('x-amzn-errortype'), 'InvalidInputException');
    calls.push({
      requestId: String(notJson.headers.get('x-amzn-requestid')),
      action: 'GetFindings',
      outcome: 'Failure',
      errorCode: 'InvalidInputException',
      signed: true,
    });
    for (const call of calls) assert.match(call.requestId, /^[0-9a-f-]{36}$/, `${call.action} request id`);

    const { db } = await openDatabase(server.databaseUrl);
    try {
      for (const call of calls) {
        const rows = (await db
          .selectFrom('audit_records')
          .selectAll()
          .where('request_id', '=', call.requestId)
          .execute()) as AuditRow[];
        assert.equal(rows.length, 1, `one audit record for ${call.action} ${call.errorCode ?? ''}`);
        const row = rows[0] as AuditRow;
        assert.equal(row.action, call.action);
        assert.equal(row.outcome, call.outcome);
        assert.equal(row.error_code, call.errorCode);
        assert.equal(row.event_source, 'securityhub.amazonaws.com');
        if (call.signed) {
          assert.equal(row.principal_arn, account.key.principalArn, `${call.action} principal`);
          assert.equal(row.account_id, account.accountId);
          assert.equal(row.access_key_id, account.key.accessKeyId);
          assert.equal(row.region, 'us-east-1');
        } else {
          assert.equal(row.principal_arn, null, `an unauthenticated ${call.action} names no principal`);
        }
      }
    } finally {
      await db.destroy();
    }
  });
});
