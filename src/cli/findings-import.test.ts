import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { scanFindings, type FindingSource } from './finding-file-reader.js';
import {
  formatImportSummary,
  importFindings,
  importStopHint,
  type BatchImportResult,
  type SendBatch,
} from './findings-import.js';
import type { ImportProgress } from './progress.js';

function source(name: string, text: string): FindingSource {
  let read = 0;
  return {
    name,
    size: Buffer.byteLength(text),
    bytesRead: () => read,
    findings: () =>
      scanFindings(
        (async function* () {
          read = Buffer.byteLength(text);
          yield* Readable.from([text]);
        })() as AsyncIterable<string>,
        name,
      ),
  };
}

const jsonLines = (ids: string[]): string =>
  ids.map((Id) => JSON.stringify({ Id, Title: `t ${Id}` })).join('\n');
const idsFrom = (n: number, prefix = 'f'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

function recordingSender(answer: (findings: Record<string, unknown>[]) => BatchImportResult = () => ({})): {
  send: SendBatch;
  batches: Record<string, unknown>[][];
  maxInFlight: () => number;
} {
  const batches: Record<string, unknown>[][] = [];
  let inFlight = 0;
  let max = 0;
  return {
    batches,
    maxInFlight: () => max,
    send: async (findings) => {
      batches.push(findings);
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      return { SuccessCount: findings.length, FailedCount: 0, FailedFindings: [], ...answer(findings) };
    },
  };
}

describe('importFindings', () => {
  it('sends every finding in batches of 100 with at most `concurrency` requests in flight', async () => {
    const sender = recordingSender();
    const report = await importFindings({
      sources: [source('a.jsonl', jsonLines(idsFrom(650)))],
      sendBatch: sender.send,
      concurrency: 4,
    });
    assert.equal(report.imported, 650);
    assert.equal(report.failedCount, 0);
    assert.equal(report.read, 650);
    assert.equal(report.stopped, undefined);
    assert.deepEqual(
      sender.batches.map((b) => b.length),
      [100, 100, 100, 100, 100, 100, 50],
    );
    assert.ok(sender.maxInFlight() <= 4, `max in flight ${sender.maxInFlight()}`);
    assert.ok(sender.maxInFlight() > 1, 'requests overlap');
  });

  it('reads several sources as one stream and splits by size', async () => {
    const sender = recordingSender();
    const big = 'x'.repeat(1000);
    const text = JSON.stringify(idsFrom(30).map((Id) => ({ Id, Description: big })));
    const report = await importFindings({
      sources: [source('one.json', text), source('two.json', jsonLines(['y1', 'y2']))],
      sendBatch: sender.send,
      limits: { maxFindings: 100, maxBytes: 10_000 },
    });
    assert.equal(report.imported, 32);
    assert.ok(sender.batches.length >= 4);
    for (const batch of sender.batches)
      assert.ok(Buffer.byteLength(JSON.stringify({ Findings: batch })) <= 10_000);
  });

  it('reports failed findings with where they came from, keeping the first N', async () => {
    const sender = recordingSender((findings) => {
      const failed = findings.filter((f) => Number(String(f['Id']).slice(1)) % 2 === 1);
      return {
        SuccessCount: findings.length - failed.length,
        FailedCount: failed.length,
        FailedFindings: failed.map((f) => ({
          Id: String(f['Id']),
          ErrorCode: 'InvalidInput',
          ErrorMessage: 'bad',
        })),
      };
    });
    const report = await importFindings({
      sources: [source('in.jsonl', jsonLines(idsFrom(50)))],
      sendBatch: sender.send,
      keepFailures: 20,
    });
    assert.equal(report.imported, 25);
    assert.equal(report.failedCount, 25);
    assert.equal(report.failures.length, 20);
    assert.deepEqual(report.failures[0], {
      Id: 'f1',
      ErrorCode: 'InvalidInput',
      ErrorMessage: 'bad',
      where: 'in.jsonl:2',
    });
    const summary = formatImportSummary(report);
    assert.match(summary, /^imported 25, failed 25\n {2}f1 \(in\.jsonl:2\): InvalidInput: bad\n/);
    assert.match(summary, / {2}… and 5 more failed findings\n$/);
    assert.equal(summary.split('\n').length, 1 + 20 + 1 + 1);
  });

  it('retargets before sending', async () => {
    const sender = recordingSender();
    await importFindings({
      sources: [
        source(
          't.jsonl',
          JSON.stringify({
            Id: 'x',
            AwsAccountId: '000000',
            ProductArn: 'arn:aws:securityhub:eu-west-2::product/aquasecurity/aquasecurity',
          }),
        ),
      ],
      sendBatch: sender.send,
      retarget: { partition: 'aws', region: 'us-east-1', accountId: '123456789012' },
    });
    assert.equal(sender.batches[0]?.[0]?.['AwsAccountId'], '123456789012');
    assert.equal(
      sender.batches[0]?.[0]?.['ProductArn'],
      'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default',
    );
  });

  it('rejects locally a finding too big for any request, and goes on', async () => {
    const sender = recordingSender();
    const report = await importFindings({
      sources: [
        source(
          's.jsonl',
          jsonLines(['small']) + '\n' + JSON.stringify({ Id: 'huge', Description: 'x'.repeat(500) }),
        ),
      ],
      sendBatch: sender.send,
      limits: { maxFindings: 100, maxBytes: 200 },
    });
    assert.equal(report.imported, 1);
    assert.equal(report.failedCount, 1);
    assert.equal(report.failures[0]?.ErrorCode, 'FindingSizeExceeded');
    assert.equal(report.failures[0]?.where, 's.jsonl:2');
  });

  it('stops at a request-level error and reports it', async () => {
    let calls = 0;
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    const report = await importFindings({
      sources: [source('d.jsonl', jsonLines(idsFrom(1000)))],
      sendBatch: async (findings) => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (calls === 2) throw denied;
        return { SuccessCount: findings.length };
      },
      concurrency: 1,
    });
    assert.equal(report.stopped?.kind, 'request');
    assert.equal(report.stopped.kind === 'request' && report.stopped.error, denied);
    assert.equal(report.imported, 100);
    assert.ok(calls <= 3, `stopped sending (${calls} calls)`);
  });

  it('suggests --retarget when the request was denied and the findings were sent as read', () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    const stop = { kind: 'request', error: denied, findingsInRequest: 3 } as const;
    assert.match(importStopHint(stop, false) ?? '', /--retarget/);
    assert.equal(importStopHint(stop, true), undefined);
    const throttled = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
    assert.equal(importStopHint({ ...stop, error: throttled }, false), undefined);
    assert.equal(importStopHint({ kind: 'input', error: denied }, false), undefined);
  });

  it('stops at a bad line, after the requests already in flight finish', async () => {
    const sender = recordingSender();
    const text = `${jsonLines(idsFrom(150))}\n{"Id": broken}\n${jsonLines(['after'])}`;
    const report = await importFindings({ sources: [source('bad.jsonl', text)], sendBatch: sender.send });
    assert.equal(report.stopped?.kind, 'input');
    assert.match(
      String(report.stopped.kind === 'input' && report.stopped.error),
      /bad\.jsonl:151: invalid JSON/,
    );
    assert.equal(report.imported, 150, 'every finding before the bad line went out');
    assert.equal(report.read, 150);
  });

  it('reports progress until everything is sent', async () => {
    const seen: ImportProgress[] = [];
    await importFindings({
      sources: [source('p.jsonl', jsonLines(idsFrom(250)))],
      sendBatch: recordingSender().send,
      onProgress: (p) => seen.push({ ...p }),
    });
    const last = seen.at(-1);
    assert.deepEqual(last, { sent: 250, failed: 0, read: 250, readDone: true, readFraction: 1 });
    assert.ok(seen.some((p) => p.sent > 0 && p.sent < 250));
  });
});
