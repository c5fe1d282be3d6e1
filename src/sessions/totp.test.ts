import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  base32Decode,
  base32Encode,
  hotp,
  matchTotp,
  newTotpSecret,
  otpauthUri,
  totpCode,
  totpStep,
} from './totp.js';

const rfcSecret = Buffer.from('12345678901234567890', 'ascii');
const rfcSecretBase32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP (RFC 6238, SHA-1)', () => {
  it('encodes and decodes RFC 4648 base32', () => {
    assert.equal(base32Encode(rfcSecret), rfcSecretBase32);
    assert.deepEqual(base32Decode(rfcSecretBase32), rfcSecret);
    assert.deepEqual(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq===='), rfcSecret);
    assert.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI');
    assert.throws(() => base32Decode('GEZ1'), /base32/);
    const secret = newTotpSecret();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.equal(base32Decode(secret).length, 20);
  });

  it('matches the RFC 4226 HOTP vectors', () => {
    const expected = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ];
    expected.forEach((code, counter) => assert.equal(hotp(rfcSecret, counter), code));
  });

  it('matches the RFC 6238 SHA-1 vectors in 8 digits, and their last 6 digits in 6', () => {
    const vectors: [number, string][] = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
      [20000000000, '65353130'],
    ];
    for (const [seconds, code] of vectors) {
      const at = new Date(seconds * 1000);
      assert.equal(totpCode(rfcSecretBase32, at, 8), code, `T=${seconds}`);
      assert.equal(totpCode(rfcSecretBase32, at), String(Number(code) % 1_000_000).padStart(6, '0'));
    }
  });

  it('accepts one step either side of now, and no further', () => {
    const now = new Date(1_700_000_000_000);
    const at = (steps: number): Date => new Date(now.getTime() + steps * 30_000);
    for (const steps of [-1, 0, 1]) {
      assert.deepEqual(matchTotp(rfcSecretBase32, totpCode(rfcSecretBase32, at(steps)), now, undefined), {
        step: totpStep(now) + steps,
        replayed: false,
      });
    }
    for (const steps of [-2, 2]) {
      assert.equal(
        matchTotp(rfcSecretBase32, totpCode(rfcSecretBase32, at(steps)), now, undefined),
        undefined,
      );
    }
    assert.equal(matchTotp(rfcSecretBase32, '12345', now, undefined), undefined);
    assert.equal(matchTotp(rfcSecretBase32, 'abcdef', now, undefined), undefined);
  });

  it('calls a code of a step already used (or older) a replay', () => {
    const now = new Date(1_700_000_000_000);
    const code = totpCode(rfcSecretBase32, now);
    const step = totpStep(now);
    assert.deepEqual(matchTotp(rfcSecretBase32, code, now, step), { step, replayed: true });
    assert.deepEqual(matchTotp(rfcSecretBase32, code, now, step + 1), { step, replayed: true });
    assert.deepEqual(matchTotp(rfcSecretBase32, code, now, step - 1), { step, replayed: false });
  });

  it('builds the otpauth URI an authenticator app scans', () => {
    const uri = new URL(otpauthUri(rfcSecretBase32, 'alice', '123456789012'));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/Bulwark:alice@123456789012');
    assert.equal(uri.searchParams.get('secret'), rfcSecretBase32);
    assert.equal(uri.searchParams.get('issuer'), 'Bulwark');
    assert.equal(uri.searchParams.get('algorithm'), 'SHA1');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
  });
});
