import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSignature, verifySignature } from '../http/sigv4.js';
import { signRequest } from './sigv4-signer.js';

const credentials = { accessKeyId: 'AKIDAGENT', secretAccessKey: 'secret/with+chars' };

function signed(url: string, body: string, now: Date) {
  const headers = signRequest({
    method: 'POST',
    url: new URL(url),
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AmazonSSM.PutInventory' },
    body,
    region: 'eu-west-1',
    service: 'ssm',
    ...credentials,
    now,
  });
  const parsed = new URL(url);
  return {
    method: 'POST',
    rawPath: parsed.pathname,
    rawQuery: parsed.search.slice(1),
    headers,
    body: Buffer.from(body),
  };
}

describe('sigv4-signer', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it('produces signatures the server verifier accepts', () => {
    for (const url of [
      'http://127.0.0.1:8440/',
      'https://hub.example.com/base/path/',
      'http://h:1/?b=2&a=x y',
    ]) {
      const request = signed(url, '{"InstanceId":"mi-0123456789abcdef0","Items":[{"Name":"é"}]}', now);
      const parsed = parseSignature(request);
      assert.equal(parsed.region, 'eu-west-1');
      assert.equal(parsed.service, 'ssm');
      verifySignature(request, parsed, credentials.secretAccessKey, now);
    }
  });

  it('is rejected with the wrong secret or a changed body', () => {
    const request = signed('http://127.0.0.1:8440/', '{}', now);
    assert.throws(() => verifySignature(request, parseSignature(request), 'other', now), /signature/i);
    const tampered = { ...request, body: Buffer.from('{"x":1}') };
    assert.throws(() =>
      verifySignature(tampered, parseSignature(tampered), credentials.secretAccessKey, now),
    );
  });
});
