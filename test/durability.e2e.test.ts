/** E2E: acknowledged writes survive kill -9, and SIGTERM lets an in-flight request finish before a clean exit. */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { BatchImportFindingsCommand, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { enabledAccount, getAllFindings, type TestAccount } from './support/accounts.js';
import { signRaw } from './support/aws-request.js';
import { startServer, type ExitStatus, type RunningServer } from './support/server-harness.js';

describe('durability and graceful shutdown (e2e)', () => {
  let server: RunningServer;
  let account: TestAccount;

  before(async () => {
    server = await startServer();
    account = await enabledAccount(server);
  });
  after(async () => {
    await server?.dispose();
  });

  it('keeps every acknowledged finding after kill -9 the instant a response arrives', async () => {
    const batches = Array.from({ length: 4 }, (_, b) =>
      Array.from({ length: 50 }, (_, i) => account.finding({ Title: `durable ${b}/${i}` })),
    );
    const acknowledged: AwsSecurityFinding[] = [];
    let killed = false;
    const calls = batches.map(async (findings) => {
      const result = await account.client.send(new BatchImportFindingsCommand({ Findings: findings }));
      assert.equal(result.SuccessCount, findings.length);
      acknowledged.push(...findings);
      if (!killed) {
        killed = true;
        server.process.kill('SIGKILL');
      }
    });
    const settled = await Promise.allSettled(calls);
    assert.ok(
      settled.some((s) => s.status === 'fulfilled'),
      'at least one batch was acknowledged',
    );
    const status = await server.kill9();
    assert.equal(status.signal, 'SIGKILL');

    await server.restart();
    const client = server.client('us-east-1', account.key);
    const stored = new Set((await getAllFindings(client)).map((f) => f.Id));
    const lost = acknowledged.filter((f) => !stored.has(f.Id)).map((f) => f.Title);
    assert.deepEqual(lost, [], 'acknowledged findings lost after kill -9');
    assert.ok(acknowledged.length >= 50);
  });

  it('finishes an in-flight BatchImportFindings on SIGTERM, answers 200 and exits 0', async () => {
    // 100 findings of ~50 KB each: a request of about 5 MB that takes a while to read, validate and store.
    const bulk = Object.fromEntries(
      Array.from({ length: 24 }, (_, i) => [`evidence/${i}`, `${i}:`.padEnd(2000, 'x')]),
    );
    const findings = Array.from({ length: 100 }, (_, i) =>
      account.finding({ Title: `graceful ${i}`, ProductFields: bulk }),
    );
    const signed = await signRaw(
      server.endpoint,
      { method: 'POST', path: '/findings/import', body: { Findings: findings } },
      account.key,
    );
    const body = Buffer.from(signed.body ?? '');
    assert.ok(body.length > 4_000_000 && body.length < 6_000_000, `body is ${body.length} bytes`);

    let exit: Promise<ExitStatus> | undefined;
    const response = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(signed.url, {
        method: signed.method,
        headers: { ...signed.headers, 'content-length': String(body.length) },
        agent: false,
      });
      req.on('error', reject);
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      // Half the body goes out, then SIGTERM, then the rest: the request is certainly in flight.
      req.write(body.subarray(0, body.length / 2), () => {
        setTimeout(() => {
          exit = server.stop('SIGTERM');
          setTimeout(() => req.end(body.subarray(body.length / 2)), 200);
        }, 100);
      });
    });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(JSON.parse(response.text), { FailedCount: 0, SuccessCount: 100, FailedFindings: [] });
    assert.ok(exit !== undefined, 'SIGTERM was sent while the request was in flight');
    const status = await exit;
    assert.deepEqual(status, { code: 0, signal: null });

    await server.restart();
    const client = server.client('us-east-1', account.key);
    const stored = await getAllFindings(client, { Title: [{ Value: 'graceful ', Comparison: 'PREFIX' }] });
    assert.equal(stored.length, 100);
  });
});
