import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exceedsJsonBytes } from './json-size.js';

const exact = (value: unknown, limit: number): boolean => Buffer.byteLength(JSON.stringify(value)) > limit;

test('agrees with the serialized byte length at and around the limit', () => {
  const limit = 240 * 1024;
  for (const filler of ['a', 'é', '\u0001', '😀', '"']) {
    for (const delta of [-2, -1, 0, 1, 2]) {
      const overhead = Buffer.byteLength(JSON.stringify({ Id: 'x', Description: '' }));
      const unit = Buffer.byteLength(JSON.stringify(filler)) - 2;
      const count = Math.floor((limit - overhead) / unit) + delta;
      const value = { Id: 'x', Description: filler.repeat(Math.max(0, count)) };
      assert.equal(exceedsJsonBytes(value, limit), exact(value, limit), `${filler} ${delta}`);
    }
  }
});

test('small findings are within the limit without serializing, large ones are not', () => {
  const finding = {
    Id: 'a',
    Resources: [{ Type: 'Other', Id: 'r', Tags: { a: 'b' } }],
    Confidence: 1.5e-300,
    Ok: true,
    No: null,
  };
  assert.equal(exceedsJsonBytes(finding, 240 * 1024), false);
  assert.equal(exceedsJsonBytes(finding, 10), exact(finding, 10));
  const big = { Items: Array.from({ length: 20_000 }, (_, i) => ({ n: i, s: 'value' })) };
  assert.equal(exceedsJsonBytes(big, 240 * 1024), exact(big, 240 * 1024));
});
