import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignInThrottle } from './sign-in-throttle.js';

describe('sign-in throttle', () => {
  const t0 = new Date('2026-06-01T00:00:00Z');
  const at = (ms: number): Date => new Date(t0.getTime() + ms);

  it('admits a burst per address, then one per refill interval, and says how long to wait', () => {
    const throttle = new SignInThrottle({ burst: 3, perMinute: 6 });
    for (let i = 0; i < 3; i += 1) assert.equal(throttle.take('192.0.2.1', t0), undefined);
    assert.equal(throttle.take('192.0.2.1', t0), 10);
    // Another address has its own bucket.
    assert.equal(throttle.take('192.0.2.2', t0), undefined);
    assert.equal(throttle.take('192.0.2.1', at(5_000)), 5);
    assert.equal(throttle.take('192.0.2.1', at(10_000)), undefined);
    assert.equal(throttle.take('192.0.2.1', at(10_000)), 10);
    // A long pause refills no more than the burst.
    for (let i = 0; i < 3; i += 1) assert.equal(throttle.take('192.0.2.1', at(3_600_000)), undefined);
    assert.notEqual(throttle.take('192.0.2.1', at(3_600_000)), undefined);
  });
});
