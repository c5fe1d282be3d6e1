import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  batchBySizeAndCount,
  batchImportLimits,
  fitsInRequest,
  requestBytes,
  type Sized,
} from './finding-batches.js';

async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

const items = (count: number, bytes: number): (Sized & { n: number })[] =>
  Array.from({ length: count }, (_, n) => ({ n, bytes }));

describe('batchBySizeAndCount', () => {
  it('splits by count: 100 findings per request, in order', async () => {
    const batches = await collect(batchBySizeAndCount(items(250, 1000)));
    assert.deepEqual(
      batches.map((b) => b.length),
      [100, 100, 50],
    );
    assert.deepEqual(
      batches.flat().map((i) => i.n),
      Array.from({ length: 250 }, (_, n) => n),
    );
  });

  it('splits by size: at most 6 MB of request body', async () => {
    const mb = 1024 * 1024;
    const batches = await collect(batchBySizeAndCount(items(12, mb)));
    assert.deepEqual(
      batches.map((b) => b.length),
      [5, 5, 2],
    );
    for (const batch of batches) assert.ok(requestBytes(batch) <= batchImportLimits.maxBytes);
  });

  it('fills a request exactly to the limit, and not one byte over', async () => {
    const limits = { maxFindings: 100, maxBytes: 15 + 10 + 1 + 10 };
    assert.deepEqual(
      (await collect(batchBySizeAndCount(items(3, 10), limits))).map((b) => b.length),
      [2, 1],
    );
    const tighter = { maxFindings: 100, maxBytes: 15 + 10 + 1 + 10 - 1 };
    assert.deepEqual(
      (await collect(batchBySizeAndCount(items(3, 10), tighter))).map((b) => b.length),
      [1, 1, 1],
    );
  });

  it('mixes sizes and count limits', async () => {
    const limits = { maxFindings: 3, maxBytes: 100 };
    const sizes = [10, 10, 10, 10, 60, 30, 5];
    const batches = await collect(
      batchBySizeAndCount(
        sizes.map((bytes) => ({ bytes })),
        limits,
      ),
    );
    assert.deepEqual(
      batches.map((b) => b.map((i) => i.bytes)),
      [
        [10, 10, 10],
        [10, 60],
        [30, 5],
      ],
    );
    for (const batch of batches) assert.ok(requestBytes(batch) <= limits.maxBytes);
  });

  it('yields nothing for no input', async () => {
    assert.deepEqual(await collect(batchBySizeAndCount([])), []);
  });
});

describe('request size', () => {
  it('requestBytes is the length of the real body', () => {
    const findings = [{ Id: 'a' }, { Id: 'é' }, { Id: 'c', Title: 'x' }];
    const sized = findings.map((f) => ({ bytes: Buffer.byteLength(JSON.stringify(f)) }));
    assert.equal(requestBytes(sized), Buffer.byteLength(JSON.stringify({ Findings: findings })));
  });

  it('fitsInRequest rejects a finding bigger than a request', () => {
    assert.equal(fitsInRequest({ bytes: 1000 }), true);
    assert.equal(fitsInRequest({ bytes: batchImportLimits.maxBytes }), false);
  });
});
