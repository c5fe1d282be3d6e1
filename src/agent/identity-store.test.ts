import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { identityPath, loadIdentity, saveIdentity } from './identity-store.js';

const identity = {
  hub: 'https://hub.example.com',
  region: 'us-east-1',
  instanceId: 'mi-0123456789abcdef0',
  accessKeyId: 'AKID',
  secretAccessKey: 'SECRET',
  accountId: '123456789012',
};

describe('identity-store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-identity-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the identity with mode 0600 (directory 0700) and loads it back', async () => {
    const stateDir = join(dir, 'state');
    await saveIdentity(stateDir, identity);
    assert.equal(statSync(identityPath(stateDir)).mode & 0o777, 0o600);
    assert.equal(statSync(stateDir).mode & 0o777, 0o700);
    assert.deepEqual(await loadIdentity(stateDir), identity);
    assert.deepEqual(readdirSync(stateDir), ['identity.json'], 'no temporary files left');
  });

  it('refuses a file group or others can read', async () => {
    const stateDir = join(dir, 'open');
    await saveIdentity(stateDir, identity);
    chmodSync(identityPath(stateDir), 0o644);
    await assert.rejects(loadIdentity(stateDir), /mode 644/);
    chmodSync(identityPath(stateDir), 0o640);
    await assert.rejects(loadIdentity(stateDir), /must not be accessible/);
  });

  it('explains a missing identity', async () => {
    await assert.rejects(loadIdentity(join(dir, 'none')), /bulwark agent register/);
  });
});
