import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  DeleteInsightCommand,
  GetFindingsCommand,
  SecurityHubClient,
  UntagResourceCommand,
} from '@aws-sdk/client-securityhub';
import { ApiError, type ErrorKind } from '../kernel/index.js';
import { parseSignature, verifySignature, type ParsedSignature, type SignedRequest } from './sigv4.js';
import {
  buildCanonicalRequest,
  canonicalHeaders,
  canonicalQueryString,
  canonicalUri,
  parseQuery,
  sha256Hex,
} from './sigv4-canonical.js';

const ACCESS_KEY_ID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const NOW = new Date('2026-01-01T00:30:00Z');
const HOST = '127.0.0.1:4566';
const INSIGHT_PATH =
  '/insights/arn%3Aaws%3Asecurityhub%3Aus-east-1%3A123456789012%3Ainsight/123456789012/custom/abc';

interface SignerOptions {
  secret?: string;
  sessionToken?: string;
  applyChecksum?: boolean;
}

function makeSigner(options: SignerOptions = {}): SignatureV4 {
  return new SignatureV4({
    credentials: {
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: options.secret ?? SECRET,
      ...(options.sessionToken !== undefined ? { sessionToken: options.sessionToken } : {}),
    },
    region: 'us-east-1',
    service: 'securityhub',
    sha256: Sha256,
    applyChecksum: options.applyChecksum ?? true,
  });
}

interface RequestShape {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
}

function makeRequest(shape: RequestShape): HttpRequest {
  return new HttpRequest({
    method: shape.method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4566,
    path: shape.path,
    query: shape.query ?? {},
    headers: { host: HOST, ...(shape.headers ?? {}) },
    ...(shape.body !== undefined ? { body: shape.body } : {}),
  });
}

/** The SDK's own query serialisation (smithy `escapeUri` + `buildQueryString`), so the wire matches what it sends. */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function buildWireQuery(query: HttpRequest['query']): string {
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    const name = escapeUri(key);
    if (Array.isArray(value)) for (const item of value) parts.push(`${name}=${escapeUri(item)}`);
    else if (typeof value === 'string') parts.push(`${name}=${escapeUri(value)}`);
    else parts.push(name);
  }
  return parts.join('&');
}

/** What the server would see for a signed smithy request: headers lower-cased as node delivers them. */
function toWire(request: HttpRequest, body: string | undefined = undefined): SignedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  const rawBody = body ?? (typeof request.body === 'string' ? request.body : '');
  return {
    method: request.method,
    rawPath: request.path,
    rawQuery: buildWireQuery(request.query),
    headers,
    body: Buffer.from(rawBody, 'utf8'),
  };
}

async function signed(
  shape: RequestShape,
  options: SignerOptions = {},
  signingDate = NOW,
): Promise<SignedRequest> {
  const request = makeRequest(shape);
  return toWire((await makeSigner(options).sign(request, { signingDate })) as HttpRequest);
}

async function presigned(
  shape: RequestShape,
  expiresIn = 900,
  options: SignerOptions = {},
  signingDate = NOW,
): Promise<SignedRequest> {
  const request = makeRequest(shape);
  return toWire((await makeSigner(options).presign(request, { signingDate, expiresIn })) as HttpRequest);
}

function verify(request: SignedRequest, secret = SECRET, now = NOW): ParsedSignature {
  const parsed = parseSignature(request);
  verifySignature(request, parsed, secret, now);
  return parsed;
}

function expectApiError(run: () => unknown, kind: ErrorKind, message?: string | RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ApiError, `expected ApiError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  });
}

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

function withHeaders(request: SignedRequest, changes: Record<string, string | undefined>): SignedRequest {
  return { ...request, headers: { ...request.headers, ...changes } };
}

function authorization(request: SignedRequest): string {
  const value = request.headers['authorization'];
  assert.equal(typeof value, 'string');
  return value as string;
}

const findingsBody = JSON.stringify({
  Filters: { SeverityLabel: [{ Value: 'CRITICAL', Comparison: 'EQUALS' }] },
});
const postFindings: RequestShape = {
  method: 'POST',
  path: '/findings',
  headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(findingsBody)) },
  body: findingsBody,
};
const getWithQuery: RequestShape = {
  method: 'GET',
  path: '/tags/arn%3Aaws%3Asecurityhub%3Aus-east-1%3A123456789012%3Ahub%2Fdefault',
  query: { tagKeys: ['b', 'a'], 'weird key': "x y+z/é*~!'()", empty: '' },
};
const deleteInsight: RequestShape = { method: 'DELETE', path: INSIGHT_PATH };

describe('sigv4 canonical form', () => {
  it('double-encodes the wire path and normalises empty and dot segments', () => {
    assert.equal(canonicalUri(''), '/');
    assert.equal(canonicalUri('/'), '/');
    assert.equal(canonicalUri('/a//b/./c/../d/'), '/a/b/d/');
    assert.equal(canonicalUri('/arn%3Aaws%3Ax/y'), '/arn%253Aaws%253Ax/y');
    assert.equal(canonicalUri('/%C3%A9~x'), '/%25C3%25A9~x');
  });

  it('sorts by encoded name then value, renders bare keys as key= and re-encodes to RFC 3986', () => {
    assert.equal(canonicalQueryString(parseQuery('b=2&a=&c&a=1')), 'a=&a=1&b=2&c=');
    assert.equal(canonicalQueryString(parseQuery('k=%7e%3a%2f&t=~')), 'k=~%3A%2F&t=~');
    assert.equal(canonicalQueryString(parseQuery('k=a+b&s=a%20b&z=%zz')), 'k=a%2Bb&s=a%20b&z=%25zz');
    assert.equal(canonicalQueryString(parseQuery('X-Amz-Signature=abc&a=1'), 'X-Amz-Signature'), 'a=1');
  });

  it('collapses inner whitespace in signed header values and joins repeats with commas', () => {
    const result = canonicalHeaders({ host: 'h', 'x-a': '  a   b\tc ', 'x-b': ['1', ' 2 '] }, [
      'host',
      'x-a',
      'x-b',
    ]);
    assert.deepEqual(result, { block: 'host:h\nx-a:a b c\nx-b:1,2\n' });
    assert.deepEqual(canonicalHeaders({ host: 'h' }, ['host', 'x-gone']), { missing: 'x-gone' });
  });

  it('matches the AWS SigV4 test suite get-vanilla and get-vanilla-query-order-key-case vectors', () => {
    const base = {
      method: 'GET',
      rawPath: '/',
      headers: {
        host: 'example.amazonaws.com',
        'x-amz-date': '20150830T123600Z',
        authorization: '',
      },
      body: Buffer.alloc(0),
    };
    const vectors = [
      { rawQuery: '', signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31' },
      {
        rawQuery: 'Param2=value2&Param1=value1',
        signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
      },
    ];
    for (const vector of vectors) {
      const request: SignedRequest = {
        ...base,
        rawQuery: vector.rawQuery,
        headers: {
          ...base.headers,
          authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${vector.signature}`,
        },
      };
      verify(request, SECRET, new Date('2015-08-30T12:36:00Z'));
    }
  });
});

describe('sigv4 verification of SDK-signed requests', () => {
  it('accepts a POST with a JSON body and reports who signed it', async () => {
    const request = await signed(postFindings);
    const parsed = verify(request);
    assert.equal(parsed.form, 'header');
    assert.equal(parsed.accessKeyId, ACCESS_KEY_ID);
    assert.equal(parsed.date, '20260101');
    assert.equal(parsed.amzDate, '20260101T003000Z');
    assert.equal(parsed.region, 'us-east-1');
    assert.equal(parsed.service, 'securityhub');
    assert.ok(parsed.signedHeaders.includes('host'));
    assert.ok(parsed.signedHeaders.includes('x-amz-content-sha256'));
    assert.equal(parsed.sessionToken, undefined);
  });

  it('accepts a POST signed without x-amz-content-sha256 (hash of the body)', async () => {
    const request = await signed(postFindings, { applyChecksum: false });
    assert.equal(request.headers['x-amz-content-sha256'], undefined);
    verify(request);
  });

  it('accepts a GET with repeated keys and values that need encoding', async () => {
    const request = await signed(getWithQuery);
    // The SDK keeps list order on the wire; the canonical query sorts it.
    assert.match(request.rawQuery, /tagKeys=b&tagKeys=a/);
    verify(request);
  });

  it('accepts the query in any wire order', async () => {
    const request = await signed(getWithQuery);
    verify({ ...request, rawQuery: request.rawQuery.split('&').reverse().join('&') });
  });

  it('accepts a DELETE whose path holds a percent-encoded ARN', async () => {
    verify(await signed(deleteInsight));
  });

  it('accepts a path the signer normalised (double slashes, dot segments)', async () => {
    verify(await signed({ method: 'GET', path: '/findings//a/./b/../c' }));
  });

  it('returns the session token the client signed', async () => {
    const parsed = verify(await signed(postFindings, { sessionToken: 'session-token' }));
    assert.equal(parsed.sessionToken, 'session-token');
    assert.ok(parsed.signedHeaders.includes('x-amz-security-token'));
  });

  it('ignores changes to headers that were not signed and to inner whitespace of signed ones', async () => {
    const request = await signed({
      ...postFindings,
      headers: { ...postFindings.headers, 'x-custom': 'a b' },
    });
    verify(withHeaders(request, { 'user-agent': 'something-else', 'x-custom': '  a     b ' }));
  });

  it('accepts repeated signed headers given as node headersDistinct arrays', async () => {
    const request = await signed({ ...postFindings, headers: { ...postFindings.headers, 'x-multi': 'a,b' } });
    verify(withHeaders(request, {}));
    verify({ ...request, headers: { ...request.headers, 'x-multi': ['a', 'b'] } });
  });

  it('accepts presigned URLs, with and without a session token', async () => {
    const request = await presigned({ method: 'GET', path: '/accounts', query: { HubArn: 'arn:aws:x/y' } });
    assert.match(request.rawQuery, /X-Amz-Signature=/);
    assert.equal(request.headers['authorization'], undefined);
    const parsed = verify(request);
    assert.equal(parsed.form, 'query');
    assert.equal(parsed.expiresSeconds, 900);
    assert.deepEqual(parsed.signedHeaders, ['host']);

    const withToken = verify(
      await presigned({ method: 'GET', path: INSIGHT_PATH }, 60, { sessionToken: 'tok' }),
    );
    assert.equal(withToken.sessionToken, 'tok');
  });

  it('accepts a presigned POST whose body hash was signed, and rejects another body', async () => {
    const request = await presigned(postFindings);
    verify(request);
    expectApiError(() => verify({ ...request, body: Buffer.from('{}') }), 'InvalidSignature', MISMATCH);
  });

  it('accepts a presigned URL that signed UNSIGNED-PAYLOAD (as S3 clients do) with any body', async () => {
    const request = await presigned({
      method: 'PUT',
      path: '/findings',
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    assert.match(request.rawQuery, /x-amz-content-sha256=UNSIGNED-PAYLOAD/);
    verify({ ...request, body: Buffer.from('anything') });
  });
});

describe('sigv4 rejects tampering', () => {
  it('rejects a changed body against x-amz-content-sha256', async () => {
    const request = await signed(postFindings);
    expectApiError(
      () => verify({ ...request, body: Buffer.from(findingsBody.replace('CRITICAL', 'LOW')) }),
      'InvalidSignature',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  });

  it('rejects a changed body when no x-amz-content-sha256 was sent', async () => {
    const request = await signed(postFindings, { applyChecksum: false });
    expectApiError(() => verify({ ...request, body: Buffer.from('{}') }), 'InvalidSignature', MISMATCH);
  });

  it('rejects a changed body together with a matching recomputed x-amz-content-sha256', async () => {
    const request = await signed(postFindings);
    const body = Buffer.from('{}');
    expectApiError(
      () => verify(withHeaders({ ...request, body }, { 'x-amz-content-sha256': sha256Hex(body) })),
      'InvalidSignature',
      MISMATCH,
    );
  });

  it('rejects a changed path, including a single- instead of double-encoded one', async () => {
    const request = await signed(deleteInsight);
    expectApiError(
      () => verify({ ...request, rawPath: INSIGHT_PATH.replace('abc', 'abd') }),
      'InvalidSignature',
      MISMATCH,
    );
    expectApiError(
      () => verify({ ...request, rawPath: decodeURIComponent(INSIGHT_PATH) }),
      'InvalidSignature',
      MISMATCH,
    );
  });

  it('rejects a changed, added or removed query parameter', async () => {
    const request = await signed(getWithQuery);
    expectApiError(
      () => verify({ ...request, rawQuery: request.rawQuery.replace('tagKeys=a', 'tagKeys=c') }),
      'InvalidSignature',
      MISMATCH,
    );
    expectApiError(
      () => verify({ ...request, rawQuery: `${request.rawQuery}&extra=1` }),
      'InvalidSignature',
      MISMATCH,
    );
    expectApiError(
      () => verify({ ...request, rawQuery: request.rawQuery.replace('tagKeys=a&', '') }),
      'InvalidSignature',
      MISMATCH,
    );
  });

  it('rejects a changed or missing signed header and a changed method', async () => {
    const request = await signed(postFindings);
    expectApiError(
      () => verify(withHeaders(request, { 'content-type': 'text/plain' })),
      'InvalidSignature',
      MISMATCH,
    );
    expectApiError(
      () => verify(withHeaders(request, { host: 'evil.example:4566' })),
      'InvalidSignature',
      MISMATCH,
    );
    expectApiError(
      () => verify(withHeaders(request, { 'content-type': undefined })),
      'InvalidSignature',
      MISMATCH,
    );
    expectApiError(() => verify({ ...request, method: 'PUT' }), 'InvalidSignature', MISMATCH);
  });

  it('rejects a request signed with another secret', async () => {
    const request = await signed(postFindings, { secret: 'not-the-secret' });
    expectApiError(() => verify(request), 'InvalidSignature', MISMATCH);
  });

  it('rejects a credential scope date that differs from X-Amz-Date', async () => {
    const request = await signed(postFindings);
    const tampered = withHeaders(request, {
      authorization: authorization(request).replace('/20260101/', '/20251231/'),
    });
    expectApiError(
      () => verify(tampered),
      'InvalidSignature',
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20251231' != '20260101', from '20260101T003000Z'.",
    );
  });

  it('rejects a changed region or service in the scope', async () => {
    const request = await signed(postFindings);
    for (const [from, to] of [
      ['/us-east-1/', '/eu-west-1/'],
      ['/securityhub/', '/ssm/'],
    ] as const) {
      const tampered = withHeaders(request, { authorization: authorization(request).replace(from, to) });
      expectApiError(() => verify(tampered), 'InvalidSignature', MISMATCH);
    }
  });

  it('rejects a changed X-Amz-Date or signature', async () => {
    const request = await signed(postFindings);
    expectApiError(
      () => verify(withHeaders(request, { 'x-amz-date': '20260101T003001Z' })),
      'InvalidSignature',
      MISMATCH,
    );
    const signature = /Signature=([0-9a-f]+)/.exec(authorization(request))?.[1] ?? '';
    for (const replacement of [
      '0'.repeat(64),
      signature.slice(0, 63),
      `${signature}0`,
      signature.toUpperCase(),
    ]) {
      const tampered = withHeaders(request, {
        authorization: authorization(request).replace(signature, replacement),
      });
      expectApiError(() => verify(tampered), 'InvalidSignature', MISMATCH);
    }
  });

  it('rejects a tampered presigned URL', async () => {
    const request = await presigned({ method: 'GET', path: '/accounts', query: { HubArn: 'a' } });
    expectApiError(
      () => verify({ ...request, rawQuery: request.rawQuery.replace('HubArn=a', 'HubArn=b') }),
      'InvalidSignature',
      MISMATCH,
    );
    expectApiError(
      () =>
        verify({ ...request, rawQuery: request.rawQuery.replace('X-Amz-Expires=900', 'X-Amz-Expires=3600') }),
      'InvalidSignature',
      MISMATCH,
    );
  });
});

describe('sigv4 request time', () => {
  const minutes = (n: number): number => n * 60 * 1000;

  it('accepts a request signed exactly 15 minutes either side of now', async () => {
    verify(await signed(postFindings, {}, new Date(NOW.getTime() - minutes(15))));
    verify(await signed(postFindings, {}, new Date(NOW.getTime() + minutes(15))));
  });

  it('rejects a stale request with AWS wording', async () => {
    const request = await signed(postFindings, {}, new Date('2026-01-01T00:00:00Z'));
    expectApiError(
      () => verify(request, SECRET, new Date('2026-01-01T00:30:00Z')),
      'InvalidSignature',
      'Signature expired: 20260101T000000Z is now earlier than 20260101T001500Z (20260101T003000Z - 15 min.)',
    );
  });

  it('rejects a request from the future with AWS wording', async () => {
    const request = await signed(postFindings, {}, new Date('2026-01-01T01:00:00Z'));
    expectApiError(
      () => verify(request, SECRET, new Date('2026-01-01T00:30:00Z')),
      'InvalidSignature',
      'Signature not yet current: 20260101T010000Z is still later than 20260101T004500Z (20260101T003000Z + 15 min.)',
    );
  });

  it('lets a presigned URL live until X-Amz-Date + X-Amz-Expires, then denies it', async () => {
    const request = await presigned({ method: 'GET', path: '/accounts' }, 3600);
    verify(request, SECRET, new Date(NOW.getTime() + minutes(60)));
    expectApiError(
      () => verify(request, SECRET, new Date(NOW.getTime() + minutes(60) + 1000)),
      'AccessDenied',
      'Request has expired',
    );
  });

  it('denies a presigned URL dated more than 15 minutes ahead of now', async () => {
    const request = await presigned({ method: 'GET', path: '/accounts' }, 3600);
    verify(request, SECRET, new Date(NOW.getTime() - minutes(15)));
    expectApiError(
      () => verify(request, SECRET, new Date(NOW.getTime() - minutes(16))),
      'AccessDenied',
      'Request is not yet valid',
    );
  });

  it('refuses X-Amz-Expires above one week', async () => {
    const request = await presigned({ method: 'GET', path: '/accounts' }, 900);
    expectApiError(
      () =>
        parseSignature({
          ...request,
          rawQuery: request.rawQuery.replace('X-Amz-Expires=900', 'X-Amz-Expires=604801'),
        }),
      'IncompleteSignature',
      /604800/,
    );
  });
});

describe('sigv4 parse errors', () => {
  it('asks for authentication when there is neither header nor presigned query', () => {
    expectApiError(
      () =>
        parseSignature({
          method: 'GET',
          rawPath: '/',
          rawQuery: 'a=1',
          headers: { host: HOST },
          body: Buffer.alloc(0),
        }),
      'MissingAuthenticationToken',
      'Missing Authentication Token',
    );
  });

  it('requires host to be signed', async () => {
    const request = makeRequest(postFindings);
    const signedRequest = await makeSigner().sign(request, {
      signingDate: NOW,
      unsignableHeaders: new Set(['host']),
    });
    const wire = toWire(signedRequest as HttpRequest);
    assert.doesNotMatch(authorization(wire), /host/);
    expectApiError(
      () => parseSignature(wire),
      'IncompleteSignature',
      "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    );
    const presignedWire = await presigned({ method: 'GET', path: '/accounts' });
    expectApiError(
      () =>
        parseSignature({
          ...presignedWire,
          rawQuery: presignedWire.rawQuery.replace(
            'X-Amz-SignedHeaders=host',
            'X-Amz-SignedHeaders=x-amz-date',
          ),
        }),
      'IncompleteSignature',
      /'Host' or ':authority'/,
    );
  });

  it('rejects malformed Authorization headers', async () => {
    const request = await signed(postFindings);
    const auth = authorization(request);
    const cases: Array<[string, RegExp]> = [
      ['Bearer abc', /Unsupported AWS 'algorithm': 'Bearer'/],
      [auth.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512'), /Unsupported AWS 'algorithm'/],
      [auth.replace(/, Signature=[0-9a-f]+/, ''), /requires 'Signature' parameter/],
      [auth.replace(/SignedHeaders=[^,]+, /, ''), /requires 'SignedHeaders' parameter/],
      [auth.replace(/Credential=[^,]+, /, ''), /requires 'Credential' parameter/],
      [auth.replace('/securityhub/', '/'), /exactly 5 slash-delimited elements/],
      [auth.replace('aws4_request', 'aws5_request'), /valid terminator: 'aws4_request', not 'aws5_request'/],
      [auth.replace('/20260101/', '/2026011/'), /yyyymmdd/],
      [auth.replace('/us-east-1/', '//'), /valid region/],
      [auth.replace('Credential=', 'Credential'), /not a valid key=value pair/],
      [`${auth}, Signature=00`, /duplicate 'Signature'/],
    ];
    for (const [value, message] of cases) {
      expectApiError(
        () => parseSignature(withHeaders(request, { authorization: value })),
        'IncompleteSignature',
        message,
      );
    }
  });

  it('requires X-Amz-Date or Date, in ISO-8601 basic format', async () => {
    const request = await signed(postFindings);
    expectApiError(
      () => parseSignature(withHeaders(request, { 'x-amz-date': undefined })),
      'IncompleteSignature',
      /requires existence of either a 'X-Amz-Date' or a 'Date' header/,
    );
    expectApiError(
      () => parseSignature(withHeaders(request, { 'x-amz-date': '2026-01-01T00:30:00Z' })),
      'IncompleteSignature',
      /ISO-8601 'basic format'/,
    );
    expectApiError(
      () => parseSignature(withHeaders(request, { 'x-amz-date': '20260230T003000Z' })),
      'IncompleteSignature',
      /ISO-8601 'basic format'/,
    );
  });

  it('falls back to an HTTP Date header for the request time', async () => {
    const request = await signed(postFindings);
    const parsed = parseSignature(
      withHeaders(request, { 'x-amz-date': undefined, date: 'Thu, 01 Jan 2026 00:30:00 GMT' }),
    );
    assert.equal(parsed.amzDate, '20260101T003000Z');
  });

  it('rejects a presigned URL missing a parameter or using another algorithm', async () => {
    const request = await presigned({ method: 'GET', path: '/accounts' });
    const without = (name: string): SignedRequest => ({
      ...request,
      rawQuery: request.rawQuery
        .split('&')
        .filter((pair) => !pair.startsWith(`${name}=`))
        .join('&'),
    });
    for (const name of [
      'X-Amz-Algorithm',
      'X-Amz-Credential',
      'X-Amz-Date',
      'X-Amz-SignedHeaders',
      'X-Amz-Signature',
    ]) {
      expectApiError(
        () => parseSignature(without(name)),
        'IncompleteSignature',
        new RegExp(`must include '${name}'`),
      );
    }
    expectApiError(
      () =>
        parseSignature({
          ...request,
          rawQuery: request.rawQuery.replace(
            'X-Amz-Algorithm=AWS4-HMAC-SHA256',
            'X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256',
          ),
        }),
      'IncompleteSignature',
      /X-Amz-Algorithm only supports/,
    );
  });

  it('refuses both an Authorization header and a presigned signature', async () => {
    const request = await signed(postFindings);
    expectApiError(
      () => parseSignature({ ...request, rawQuery: 'X-Amz-Signature=00' }),
      'IncompleteSignature',
      /Only one auth mechanism allowed/,
    );
  });
});

/** Requests captured from `aws` CLI v1 (botocore 1.43.11), with the canonical request `aws --debug` printed. */
interface BotocoreFixture {
  name: string;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  canonicalRequest: string;
}

// Signed with AWS_ACCESS_KEY_ID=AKIDEXAMPLE and the SECRET above; captured by a throwaway node:http server.
const BOTOCORE_FIXTURES: BotocoreFixture[] = [
  {
    name: 'get-findings',
    method: 'POST',
    url: '/findings',
    headers: {
      host: '127.0.0.1:37961',
      'accept-encoding': 'identity',
      'content-type': 'application/json',
      'user-agent':
        'aws-cli/1.45.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v657 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/D,N,Z,b,C,g cfg/retry-mode#legacy botocore/1.43.11',
      'x-amz-date': '20261123T183424Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/securityhub/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=58b68805519a1ab1da59014d47ba9cf747b41868602b75d1c9a409f2f8152a02',
      'amz-sdk-invocation-id': '9a371a6a-9f24-4e5a-803e-f0cf7fa83212',
      'amz-sdk-request': 'attempt=1',
      'content-length': '79',
    },
    body: '{"Filters": {"SeverityLabel": [{"Value": "CRITICAL", "Comparison": "EQUALS"}]}}',
    canonicalRequest:
      'POST\n/findings\n\ncontent-type:application/json\nhost:127.0.0.1:37961\nx-amz-date:20261123T183424Z\n\ncontent-type;host;x-amz-date\nb31c4944ac02b4525e318a907a5ebbad4c79c7666141d9eca405de393d026c02',
  },
  {
    name: 'delete-insight',
    method: 'DELETE',
    url: '/insights/arn%3Aaws%3Asecurityhub%3Aus-east-1%3A123456789012%3Ainsight/123456789012/custom/abc',
    headers: {
      host: '127.0.0.1:37961',
      'accept-encoding': 'identity',
      'user-agent':
        'aws-cli/1.45.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v657 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/b,Z,N,D,g cfg/retry-mode#legacy botocore/1.43.11',
      'x-amz-date': '20261123T183425Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/securityhub/aws4_request, SignedHeaders=host;x-amz-date, Signature=151dd60c77bd06c93c3783d36390e1eb2b05f0b33aa9d54f374d80a5b387a50c',
      'amz-sdk-invocation-id': '9c2e985f-be79-4b9d-97e2-aa6742453383',
      'amz-sdk-request': 'attempt=1',
      'content-length': '0',
    },
    body: '',
    canonicalRequest:
      'DELETE\n/insights/arn%253Aaws%253Asecurityhub%253Aus-east-1%253A123456789012%253Ainsight/123456789012/custom/abc\n\nhost:127.0.0.1:37961\nx-amz-date:20261123T183425Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  },
  {
    name: 'untag-resource',
    method: 'DELETE',
    url: '/tags/arn%3Aaws%3Asecurityhub%3Aus-east-1%3A123456789012%3Ahub%2Fdefault?tagKeys=b%20key&tagKeys=a&tagKeys=c%2Fd~e%2Bf',
    headers: {
      host: '127.0.0.1:37961',
      'accept-encoding': 'identity',
      'user-agent':
        'aws-cli/1.45.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v657 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/g,N,D,b,Z cfg/retry-mode#legacy botocore/1.43.11',
      'x-amz-date': '20261123T183425Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/securityhub/aws4_request, SignedHeaders=host;x-amz-date, Signature=12da186ea1ccecf1a8d564bede8ed2c12ce52952746aca7c7ef9ba592f87da99',
      'amz-sdk-invocation-id': '0352b0cf-7113-4afb-8235-10c9c3638a9e',
      'amz-sdk-request': 'attempt=1',
      'content-length': '0',
    },
    body: '',
    canonicalRequest:
      'DELETE\n/tags/arn%253Aaws%253Asecurityhub%253Aus-east-1%253A123456789012%253Ahub%252Fdefault\ntagKeys=a&tagKeys=b%20key&tagKeys=c%2Fd~e%2Bf\nhost:127.0.0.1:37961\nx-amz-date:20261123T183425Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  },
  {
    name: 'describe-hub',
    method: 'GET',
    url: '/accounts?HubArn=arn%3Aaws%3Asecurityhub%3Aus-east-1%3A123456789012%3Ahub%2Fdefault',
    headers: {
      host: '127.0.0.1:37961',
      'accept-encoding': 'identity',
      'user-agent':
        'aws-cli/1.45.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v657 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/D,Z,N,b,g cfg/retry-mode#legacy botocore/1.43.11',
      'x-amz-date': '20261123T183425Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/securityhub/aws4_request, SignedHeaders=host;x-amz-date, Signature=b3d8e84c5db05596124d2c311dfb92f21ce59a18cde70703d246092909ab6abe',
      'amz-sdk-invocation-id': '71a9a217-d684-4105-b4c1-5c4adf6d4063',
      'amz-sdk-request': 'attempt=1',
    },
    body: '',
    canonicalRequest:
      'GET\n/accounts\nHubArn=arn%3Aaws%3Asecurityhub%3Aus-east-1%3A123456789012%3Ahub%2Fdefault\nhost:127.0.0.1:37961\nx-amz-date:20261123T183425Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  },
  {
    name: 'list-tags-for-resource',
    method: 'GET',
    url: '/tags/arn%3Aaws%3Asecurityhub%3Aus-east-1%3A123456789012%3Ahub%2Fd%C3%A9%20fault',
    headers: {
      host: '127.0.0.1:37961',
      'accept-encoding': 'identity',
      'user-agent':
        'aws-cli/1.45.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v657 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/D,g,b,Z,N cfg/retry-mode#legacy botocore/1.43.11',
      'x-amz-date': '20261123T183426Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/securityhub/aws4_request, SignedHeaders=host;x-amz-date, Signature=3522107ad49959e6deaa9acf9093144cd51c1295eb13a2d9ec42b0f29f0a34f9',
      'amz-sdk-invocation-id': '29c841ec-280a-4891-989e-6e83370a1774',
      'amz-sdk-request': 'attempt=1',
    },
    body: '',
    canonicalRequest:
      'GET\n/tags/arn%253Aaws%253Asecurityhub%253Aus-east-1%253A123456789012%253Ahub%252Fd%25C3%25A9%2520fault\n\nhost:127.0.0.1:37961\nx-amz-date:20261123T183426Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  },
  {
    name: 'describe-hub presigned',
    method: 'GET',
    url: '/accounts?HubArn=arn%3Aaws%3Asecurityhub%3Aus-east-1%3A123456789012%3Ahub%2Fdefault&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261123%2Fus-east-1%2Fsecurityhub%2Faws4_request&X-Amz-Date=20261123T183607Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=99bebd3a86b6eb372fb0cb1aaed0f5efe5c9975764c85cea5069c98fb6cec295',
    headers: { host: '127.0.0.1:37961', 'user-agent': 'curl/7.88.1', accept: '*/*' },
    body: '',
    canonicalRequest:
      'GET\n/accounts\nHubArn=arn%3Aaws%3Asecurityhub%3Aus-east-1%3A123456789012%3Ahub%2Fdefault&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261123%2Fus-east-1%2Fsecurityhub%2Faws4_request&X-Amz-Date=20261123T183607Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host\nhost:127.0.0.1:37961\n\nhost\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  },
];

function fixtureToWire(fixture: BotocoreFixture): SignedRequest {
  const question = fixture.url.indexOf('?');
  return {
    method: fixture.method,
    rawPath: question === -1 ? fixture.url : fixture.url.slice(0, question),
    rawQuery: question === -1 ? '' : fixture.url.slice(question + 1),
    headers: fixture.headers,
    body: Buffer.from(fixture.body, 'utf8'),
  };
}

function amzDateToDate(amzDate: string): Date {
  return new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
}

describe('sigv4 against requests captured from the aws CLI (botocore)', () => {
  for (const fixture of BOTOCORE_FIXTURES) {
    it(`builds botocore's canonical request and verifies: ${fixture.name}`, () => {
      const request = fixtureToWire(fixture);
      const parsed = parseSignature(request);
      const headers = canonicalHeaders(request.headers, parsed.signedHeaders);
      assert.ok('block' in headers);
      const canonical = buildCanonicalRequest({
        method: request.method,
        canonicalUri: canonicalUri(request.rawPath),
        canonicalQuery: canonicalQueryString(
          parseQuery(request.rawQuery),
          parsed.form === 'query' ? 'X-Amz-Signature' : undefined,
        ),
        canonicalHeaders: headers.block,
        signedHeaders: parsed.signedHeaders,
        payloadHash: sha256Hex(request.body),
      });
      assert.equal(canonical, fixture.canonicalRequest);
      verifySignature(request, parsed, SECRET, amzDateToDate(parsed.amzDate));
      expectApiError(
        () => verifySignature(request, parsed, `${SECRET}x`, amzDateToDate(parsed.amzDate)),
        'InvalidSignature',
        MISMATCH,
      );
    });
  }
});

describe('sigv4 against the real SecurityHub client over HTTP', () => {
  it('verifies what @aws-sdk/client-securityhub puts on the wire', async () => {
    const captured: SignedRequest[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = req.url ?? '/';
        const question = url.indexOf('?');
        captured.push({
          method: req.method ?? 'GET',
          rawPath: question === -1 ? url : url.slice(0, question),
          rawQuery: question === -1 ? '' : url.slice(question + 1),
          headers: req.headersDistinct,
          body: Buffer.concat(chunks),
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new SecurityHubClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'eu-central-1',
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, sessionToken: 'tok' },
      maxAttempts: 1,
    });
    try {
      await client.send(
        new GetFindingsCommand({
          MaxResults: 5,
          Filters: { Title: [{ Value: 'é "x"', Comparison: 'EQUALS' }] },
        }),
      );
      await client.send(
        new DeleteInsightCommand({
          InsightArn: 'arn:aws:securityhub:eu-central-1:123456789012:insight/123456789012/custom/abc',
        }),
      );
      await client.send(
        new UntagResourceCommand({
          ResourceArn: 'arn:aws:securityhub:eu-central-1:123456789012:hub/default',
          TagKeys: ['b key', 'a', "c/d~e+f*'!()"],
        }),
      );
    } finally {
      client.destroy();
      server.close();
    }
    assert.equal(captured.length, 3);
    for (const request of captured) {
      const parsed = verify(request, SECRET, new Date());
      assert.equal(parsed.region, 'eu-central-1');
      assert.equal(parsed.sessionToken, 'tok');
      expectApiError(() => verify(request, 'wrong', new Date()), 'InvalidSignature', MISMATCH);
    }
  });
});
