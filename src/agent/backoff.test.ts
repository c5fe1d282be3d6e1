import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fullJitterDelay } from './backoff.js';

describe('fullJitterDelay', () => {
  const policy = { baseMs: 1000, capMs: 300_000 };

  it('grows exponentially up to the cap', () => {
    const top = (attempt: number) => fullJitterDelay(attempt, policy, () => 0.999999);
    assert.equal(top(1), 999);
    assert.equal(top(2), 1999);
    assert.equal(top(5), 15_999);
    assert.equal(top(20), 299_999);
    assert.equal(top(1000), 299_999);
  });

  it('is uniform between zero and the ceiling', () => {
    assert.equal(
      fullJitterDelay(3, policy, () => 0),
      0,
    );
    assert.equal(
      fullJitterDelay(3, policy, () => 0.5),
      2000,
    );
    for (let i = 0; i < 100; i += 1) {
      const delay = fullJitterDelay(4, policy);
      assert.ok(delay >= 0 && delay < 8000);
    }
  });
});
