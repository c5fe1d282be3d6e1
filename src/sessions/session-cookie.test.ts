import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clearedSessionCookie, sessionCookie } from './session-cookie.js';
import {
  csrfTokenMatches,
  newCsrfToken,
  newSessionId,
  newSessionRef,
  sessionHash,
} from './session-secrets.js';

describe('console session cookie and secrets', () => {
  it('sets HttpOnly, SameSite=Strict, Path=/console and Max-Age; Secure (and the __Secure- name) under TLS', () => {
    const id = newSessionId();
    assert.equal(
      sessionCookie(id, { secure: false, maxAgeSeconds: 43_200 }),
      `bulwark-console=${id}; Path=/console; Max-Age=43200; HttpOnly; SameSite=Strict`,
    );
    assert.equal(
      sessionCookie(id, { secure: true, maxAgeSeconds: 1.9 }),
      `__Secure-bulwark-console=${id}; Path=/console; Max-Age=1; HttpOnly; SameSite=Strict; Secure`,
    );
    assert.equal(
      clearedSessionCookie({ secure: true }),
      '__Secure-bulwark-console=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict; Secure',
    );
    assert.throws(() => sessionCookie('a;b', { secure: false, maxAgeSeconds: 1 }));
  });

  it('makes 256-bit session ids, stores only their SHA-256, and shows an ASIA-shaped reference', () => {
    const id = newSessionId();
    assert.match(id, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(id, 'base64url').length, 32);
    assert.notEqual(newSessionId(), id);
    assert.match(sessionHash(id), /^[0-9a-f]{64}$/);
    assert.ok(!sessionHash(id).includes(id));
    assert.match(newSessionRef(), /^ASIA[A-Z2-7]{16}$/);
  });

  it('compares CSRF tokens in constant time, whatever the presented length', () => {
    const token = newCsrfToken();
    assert.equal(csrfTokenMatches(token, token), true);
    assert.equal(csrfTokenMatches(token, `${token}x`), false);
    assert.equal(csrfTokenMatches(token, token.slice(1)), false);
    assert.equal(csrfTokenMatches(token, ''), false);
    assert.equal(csrfTokenMatches(token, undefined), false);
    assert.equal(csrfTokenMatches('', ''), false);
  });
});
