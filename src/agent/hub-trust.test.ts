import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HubClient, normalizeFingerprint, registerWithHub } from './hub-client.js';

const identity = { region: 'us-east-1', instanceId: 'mi-0', accessKeyId: 'AKIA', secretAccessKey: 's' };

describe('hub trust', () => {
  it('normalizes SHA-256 fingerprints with or without colons and rejects anything else', () => {
    const hex = 'ab'.repeat(32);
    assert.equal(normalizeFingerprint('AB:'.repeat(31) + 'AB'), hex);
    assert.equal(normalizeFingerprint(`sha256:${hex.toUpperCase()}`), hex);
    assert.throws(() => normalizeFingerprint('ab:cd'), /not a SHA-256 fingerprint/);
  });

  it('refuses plain http:// beyond loopback before connecting, unless insecureHttp is set', async () => {
    assert.throws(() => new HubClient({ ...identity, hub: 'http://10.0.0.1:8440' }), /refusing plain http/);
    assert.throws(
      () => new HubClient({ ...identity, hub: 'http://hub.example.com' }),
      /hub\.example\.com, which is not a loopback/,
    );
    await assert.rejects(registerWithHub('http://hub.example.com', {}), /refusing plain http/);
    assert.doesNotThrow(
      () => new HubClient({ ...identity, hub: 'http://hub.example.com', insecureHttp: true }),
    );
    assert.doesNotThrow(() => new HubClient({ ...identity, hub: 'http://127.0.0.1:8440' }));
    assert.doesNotThrow(() => new HubClient({ ...identity, hub: 'http://[::1]:8440' }));
    assert.doesNotThrow(() => new HubClient({ ...identity, hub: 'https://hub.example.com' }));
  });
});
