import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultScryptParameters,
  hashPassword,
  needsRehash,
  passwordProblem,
  verifyPassword,
} from './password-hash.js';

describe('console password hashing (scrypt)', () => {
  it('hashes with N = 2^15, r = 8, p = 1 and a 16-byte salt, and verifies', async () => {
    const hash = await hashPassword('correct horse battery staple');
    const match = /^\$scrypt\$ln=15,r=8,p=1\$([^$]+)\$([^$]+)$/.exec(hash);
    assert.ok(match, hash);
    assert.equal(Buffer.from(match[1] ?? '', 'base64').length, 16);
    assert.equal(Buffer.from(match[2] ?? '', 'base64').length, 32);
    assert.equal(await verifyPassword('correct horse battery staple', hash), true);
    assert.equal(await verifyPassword('correct horse battery stapler', hash), false);
    assert.equal(await verifyPassword('', hash), false);
    assert.equal(needsRehash(hash), false);
  });

  it('salts every hash', async () => {
    const cheap = { logN: 10, r: 8, p: 1 };
    assert.notEqual(await hashPassword('same password!', cheap), await hashPassword('same password!', cheap));
  });

  it('verifies a hash made with a lower cost, and says it needs re-making', async () => {
    const weak = await hashPassword('an older password', { logN: 10, r: 8, p: 1 });
    assert.equal(await verifyPassword('an older password', weak), true);
    assert.equal(needsRehash(weak), true);
    assert.equal(needsRehash(weak, { logN: 10, r: 8, p: 1 }), false);
    assert.equal(needsRehash('not a hash', defaultScryptParameters), true);
  });

  it('treats a composed and a decomposed accent as the same password', async () => {
    const hash = await hashPassword('mot de passe é 123', { logN: 10, r: 8, p: 1 });
    assert.equal(await verifyPassword('mot de passe e\u0301 123', hash), true);
  });

  it('refuses an unreadable hash and an absurdly long password', async () => {
    assert.equal(await verifyPassword('whatever password', '$scrypt$ln=15,r=8,p=1$$'), false);
    assert.equal(await verifyPassword('whatever password', 'plain text'), false);
    const hash = await hashPassword('x'.repeat(12), { logN: 10, r: 8, p: 1 });
    assert.equal(await verifyPassword('x'.repeat(10_000), hash), false);
  });

  it('requires at least 12 characters', () => {
    assert.match(passwordProblem('short pass!') ?? '', /at least 12/);
    assert.equal(passwordProblem('twelve chars'), undefined);
    assert.match(passwordProblem('x'.repeat(1025)) ?? '', /at most/);
  });
});
