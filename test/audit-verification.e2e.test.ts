/**
 * E2E: GetAuditTrailVerification (`GET /bulwark/auditTrail/verification`, cloudtrail:GetAuditTrailVerification)
 * signed with SigV4 against an in-process server whose worker runs the audit-verify job. Null before the first
 * run; INTACT after it; FAILED once a record is changed in SQL, and INTACT again once it is restored. Every
 * account sees the same verdict and nothing else (no counts, no problem naming another account's eventID); a
 * key without the action is refused; parameters are refused; the call is itself audited as CloudTrail's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { BatchImportFindingsCommand } from '@aws-sdk/client-securityhub';
import { enqueue } from '../src/worker/job-queue.js';
import { enabledAccount, type TestAccount } from './support/accounts.js';
import { rawFetch } from './support/aws-request.js';
import type { Credentials } from './support/server-harness.js';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';
import { eventually } from './support/ssm.js';

interface Verdict {
  CheckedAt: string;
  Status: 'INTACT' | 'FAILED';
  SealedThrough: number;
  UnsealedTooLong: boolean;
  Overdue: boolean;
}

const path = '/bulwark/auditTrail/verification';

describe('GetAuditTrailVerification (e2e)', () => {
  let server: InProcessServer;
  let a: TestAccount;
  let b: TestAccount;

  before(async () => {
    server = await startInProcessServer({ env: { BULWARK_WORKER_POLL_MS: '50' } });
    a = await enabledAccount(server);
    b = await enabledAccount(server);
  });
  after(async () => {
    await server?.dispose();
  });

  async function call(key: Credentials, query?: Record<string, string>): Promise<Response> {
    return rawFetch(
      server.endpoint,
      { method: 'GET', path, service: 'cloudtrail', ...(query === undefined ? {} : { query }) },
      key,
    );
  }

  async function verdict(key: Credentials): Promise<Verdict | null> {
    const response = await call(key);
    const text = await response.text();
    assert.equal(response.status, 200, text);
    const body = JSON.parse(text) as { Verification: Verdict | null };
    assert.deepEqual(Object.keys(body), ['Verification']);
    return body.Verification;
  }

  /** Runs a job as its schedule would (the worker picks it up) and waits for it to finish. */
  async function runJob(name: 'audit-seal' | 'audit-verify'): Promise<void> {
    const id = await enqueue(server.app.db, { name });
    assert.ok(id !== undefined);
    await eventually(
      () =>
        server.app.db
          .selectFrom('jobs')
          .select(['state', 'last_error'])
          .where('id', '=', id)
          .executeTakeFirst(),
      (job) => job?.state === 'done' || job?.state === 'failed',
      `job ${name}`,
    );
  }

  it('answers a null verification before the first run', async () => {
    assert.equal(await verdict(a.key), null);
  });

  it('answers the worker’s verdict: INTACT, FAILED after a record is changed in SQL, INTACT once restored; every account sees only that', async () => {
    await b.client.send(new BatchImportFindingsCommand({ Findings: [b.finding()] }));
    await runJob('audit-seal');
    await runJob('audit-verify');
    const intact = await verdict(a.key);
    assert.ok(intact !== null);
    assert.equal(intact.Status, 'INTACT');
    assert.ok(intact.SealedThrough > 0);
    assert.equal(intact.UnsealedTooLong, false);
    assert.equal(intact.Overdue, false);
    assert.ok(Math.abs(Date.parse(intact.CheckedAt) - Date.now()) < 60_000);

    const victim = await server.app.db
      .selectFrom('audit_records')
      .select(['seq', 'action', 'event_id'])
      .where('account_id', '=', b.accountId)
      .where('action', '=', 'BatchImportFindings')
      .where('seq', '<=', intact.SealedThrough)
      .executeTakeFirstOrThrow();
    await server.app.db
      .updateTable('audit_records')
      .set({ action: 'DisableSecurityHub' })
      .where('seq', '=', victim.seq)
      .execute();
    await runJob('audit-verify');
    const failed = await verdict(a.key);
    assert.ok(failed !== null);
    assert.equal(failed.Status, 'FAILED');
    assert.ok(Date.parse(failed.CheckedAt) >= Date.parse(intact.CheckedAt));
    assert.deepEqual(Object.keys(failed).sort(), [
      'CheckedAt',
      'Overdue',
      'SealedThrough',
      'Status',
      'UnsealedTooLong',
    ]);
    // The stored result names the record (for `bulwark audit verify`); no caller is told which.
    const stored = await server.app.db
      .selectFrom('audit_verifications')
      .selectAll()
      .executeTakeFirstOrThrow();
    assert.match(stored.problems, new RegExp(String(victim.event_id)));
    for (const key of [a.key, b.key, server.credentials]) {
      const response = await call(key);
      const text = await response.text();
      assert.doesNotMatch(text, new RegExp(String(victim.event_id)));
      assert.deepEqual(JSON.parse(text), { Verification: failed }, 'the same verdict for every account');
    }

    await server.app.db
      .updateTable('audit_records')
      .set({ action: victim.action })
      .where('seq', '=', victim.seq)
      .execute();
    await runJob('audit-verify');
    assert.equal((await verdict(b.key))?.Status, 'INTACT');
  });

  it('is audited as a CloudTrail call', async () => {
    await verdict(a.key);
    const trail = new CloudTrailClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: a.key.accessKeyId, secretAccessKey: a.key.secretAccessKey },
      maxAttempts: 1,
    });
    try {
      const events = await trail.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetAuditTrailVerification' }],
        }),
      );
      assert.ok((events.Events ?? []).length > 0);
      assert.ok((events.Events ?? []).every((event) => event.EventSource === 'cloudtrail.amazonaws.com'));
    } finally {
      trail.destroy();
    }
  });

  it('refuses a key whose policies do not allow cloudtrail:GetAuditTrailVerification', async () => {
    const issued = await server.app.access.administration.createKey(
      { accountId: a.accountId, name: 'importer', policies: ['SecurityHubImporter'] },
      new Date(),
    );
    const response = await call(issued);
    assert.equal(response.status, 403);
    const body = (await response.json()) as { __type?: string; message?: string };
    assert.match(String(body.__type), /AccessDeniedException/);
    assert.match(String(body.message), /cloudtrail:GetAuditTrailVerification/);
    const auditor = await server.app.access.administration.createKey(
      { accountId: a.accountId, name: 'auditor', policies: ['SecurityHubReadOnly'] },
      new Date(),
    );
    assert.equal((await verdict(auditor))?.Status, 'INTACT');
  });

  it('refuses query parameters it does not take, and a request signed for another service', async () => {
    for (const query of [{ MaxResults: '5' }, { '%%garbage': '\u0000' }]) {
      const response = await call(a.key, query);
      assert.equal(response.status, 400, JSON.stringify(query));
    }
    const response = await rawFetch(server.endpoint, { method: 'GET', path }, a.key);
    assert.ok(response.status >= 400 && response.status < 500, String(response.status));
  });
});
