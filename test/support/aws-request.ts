/** E2E support: SigV4-signed raw HTTP requests, for asserting what the SDKs hide (headers, presigned URLs). */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Credentials } from './server-harness.js';

/** A raw request to a Bulwark endpoint. */
export interface RawRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  /** Sent as JSON, except a string or bytes, which are sent as is (for malformed bodies). */
  body?: unknown;
  /** The SigV4 signing name; default `securityhub`. */
  service?: string;
  /** Extra headers (signed), e.g. `x-amz-target` and an awsJson content type. */
  headers?: Record<string, string>;
}

function signer(
  credentials: Pick<Credentials, 'accessKeyId' | 'secretAccessKey'>,
  region: string,
  service = 'securityhub',
): SignatureV4 {
  return new SignatureV4({
    service,
    region,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    sha256: Sha256,
  });
}

function toHttpRequest(endpoint: string, request: RawRequest): HttpRequest {
  const url = new URL(endpoint);
  const body =
    request.body === undefined
      ? undefined
      : typeof request.body === 'string' || request.body instanceof Uint8Array
        ? request.body
        : JSON.stringify(request.body);
  return new HttpRequest({
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    method: request.method,
    path: request.path,
    query: request.query ?? {},
    headers: {
      host: url.host,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...request.headers,
    },
    ...(body === undefined ? {} : { body }),
  });
}

function urlOf(endpoint: string, request: HttpRequest): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query)) {
    for (const item of Array.isArray(value) ? value : [value]) if (item !== null) query.append(key, item);
  }
  const text = query.toString().replace(/\+/g, '%20');
  return `${endpoint}${request.path}${text === '' ? '' : `?${text}`}`;
}

/** Sends a request signed with SigV4 in the Authorization header (or unsigned when `credentials` is undefined). */
export async function rawFetch(
  endpoint: string,
  request: RawRequest,
  credentials: Pick<Credentials, 'accessKeyId' | 'secretAccessKey'> | undefined,
  region = 'us-east-1',
): Promise<Response> {
  const http = toHttpRequest(endpoint, request);
  const signed =
    credentials === undefined
      ? http
      : ((await signer(credentials, region, request.service).sign(http)) as HttpRequest);
  const headers = { ...signed.headers };
  delete headers['host'];
  return fetch(urlOf(endpoint, signed), {
    method: signed.method,
    headers,
    ...(signed.body === undefined ? {} : { body: signed.body as string | Uint8Array }),
  });
}

/** A presigned URL (SigV4 query form) for a body-less request. */
export async function presignUrl(
  endpoint: string,
  request: RawRequest,
  credentials: Pick<Credentials, 'accessKeyId' | 'secretAccessKey'>,
  region = 'us-east-1',
  expiresIn = 300,
): Promise<string> {
  const presigned = (await signer(credentials, region).presign(toHttpRequest(endpoint, request), {
    expiresIn,
  })) as HttpRequest;
  return urlOf(endpoint, presigned);
}

/** A request signed in the Authorization header, ready for any HTTP client. */
export interface SignedRawRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
}

/** Signs `request` without sending it (for tests that need control over how the bytes go out). */
export async function signRaw(
  endpoint: string,
  request: RawRequest,
  credentials: Pick<Credentials, 'accessKeyId' | 'secretAccessKey'>,
  region = 'us-east-1',
): Promise<SignedRawRequest> {
  const signed = (await signer(credentials, region, request.service).sign(
    toHttpRequest(endpoint, request),
  )) as HttpRequest;
  return {
    url: urlOf(endpoint, signed),
    method: signed.method,
    headers: { ...signed.headers },
    body: signed.body as string | Uint8Array | undefined,
  };
}
