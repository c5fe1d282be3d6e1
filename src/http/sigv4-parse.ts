/** Reading an AWS Signature Version 4 claim (Authorization header or presigned URL) without verifying it. */

import { ApiError } from '../kernel/index.js';
import { SIGV4_ALGORITHM, parseQuery, type QueryParameter } from './sigv4-canonical.js';

/** A request as it arrived on the wire, before anything decoded or normalised it. */
export interface SignedRequest {
  method: string;
  /** Path exactly as on the wire, still percent-encoded (`req.url` up to '?'). */
  rawPath: string;
  /** Text after '?', as on the wire; '' if none. */
  rawQuery: string;
  /** Lower-case header names; pass node's `req.headersDistinct` so repeated headers join as AWS joins them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
}

/** What the client claims: who signed, for which scope and time; not yet verified. */
export interface ParsedSignature {
  form: 'header' | 'query';
  accessKeyId: string;
  /** Credential scope date, yyyymmdd. */
  date: string;
  region: string;
  service: string;
  /** Lower-case, sorted. */
  signedHeaders: string[];
  signature: string;
  /** Request time, yyyymmddThhmmssZ. */
  amzDate: string;
  /** X-Amz-Expires of a presigned URL, when given. */
  expiresSeconds?: number;
  sessionToken?: string;
}

export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;
export const SIGNATURE_PARAM = 'X-Amz-Signature';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const AMZ_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export const incomplete = (message: string): ApiError => new ApiError('IncompleteSignature', message);
export const invalid = (message: string): ApiError => new ApiError('InvalidSignature', message);

/** One header as a single string: repeated values joined with ',' as SigV4 does; undefined when absent. */
export function headerValue(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? (value.length === 0 ? undefined : value.join(',')) : value;
}

/** Milliseconds since the epoch for a valid yyyymmddThhmmssZ, else undefined. */
export function amzDateToMillis(amzDate: string): number | undefined {
  if (!AMZ_DATE_PATTERN.test(amzDate)) return undefined;
  const millis = Date.parse(amzDate.replace(AMZ_DATE_PATTERN, '$1-$2-$3T$4:$5:$6Z'));
  // A date like 20260230 must not roll over into March: a real calendar date survives the round trip.
  if (Number.isNaN(millis)) return undefined;
  return formatAmzDate(new Date(millis)) === amzDate ? millis : undefined;
}

export function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

function requireAmzDate(value: string): string {
  if (amzDateToMillis(value) === undefined) {
    throw incomplete(
      `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  return value;
}

interface CredentialScopeParts {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

function parseCredential(credential: string): CredentialScopeParts {
  const parts = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (
    parts.length !== 5 ||
    accessKeyId === undefined ||
    date === undefined ||
    region === undefined ||
    service === undefined ||
    terminator === undefined
  ) {
    throw incomplete(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f]/.test(credential))
    throw incomplete('Credential must not contain control characters.');
  if (accessKeyId === '') throw incomplete(`Credential should contain an access key id, got '${credential}'`);
  if (!/^\d{8}$/.test(date))
    throw incomplete(`Credential should be scoped to a date in yyyymmdd format, not '${date}'.`);
  if (region === '') throw incomplete('Credential should be scoped to a valid region.');
  if (service === '') throw incomplete('Credential should be scoped to a valid service.');
  if (terminator !== 'aws4_request') {
    throw incomplete(
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`,
    );
  }
  return { accessKeyId, date, region, service };
}

function parseSignedHeaders(list: string, where: string): string[] {
  const names = [...new Set(list.split(';').map((name) => name.trim().toLowerCase()))];
  if (names.some((name) => name === ''))
    throw incomplete(`SignedHeaders '${list}' contains an empty header name.`);
  if (!names.includes('host') && !names.includes(':authority')) {
    throw incomplete(`'Host' or ':authority' must be a 'SignedHeader' in the ${where}.`);
  }
  return names.sort();
}

function parseAuthorizationHeader(request: SignedRequest, authorization: string): ParsedSignature {
  const trimmed = authorization.trim();
  const space = trimmed.search(/\s/);
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'.`);

  const components = new Map<string, string>();
  const rest = space === -1 ? '' : trimmed.slice(space + 1);
  for (const piece of rest.split(',')) {
    const component = piece.trim();
    if (component === '') continue;
    const equals = component.indexOf('=');
    if (equals === -1) {
      throw incomplete(
        `'${component}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`,
      );
    }
    const key = component.slice(0, equals).trim();
    if (components.has(key)) throw incomplete(`Authorization header has a duplicate '${key}' parameter.`);
    components.set(key, component.slice(equals + 1).trim());
  }

  const credential = components.get('Credential');
  const signedHeaders = components.get('SignedHeaders');
  const signature = components.get('Signature');
  const amzDateHeader = headerValue(request.headers, 'x-amz-date');
  const dateHeader = headerValue(request.headers, 'date');
  const problems: string[] = [];
  if (!credential) problems.push("Authorization header requires 'Credential' parameter.");
  if (!signature) problems.push("Authorization header requires 'Signature' parameter.");
  if (!signedHeaders) problems.push("Authorization header requires 'SignedHeaders' parameter.");
  if (amzDateHeader === undefined && dateHeader === undefined) {
    problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  if (problems.length > 0 || !credential || !signature || !signedHeaders) {
    throw incomplete(`${problems.join(' ')} Authorization=${authorization}`);
  }

  const scope = parseCredential(credential);
  const sessionToken = headerValue(request.headers, 'x-amz-security-token');
  return {
    form: 'header',
    ...scope,
    signedHeaders: parseSignedHeaders(signedHeaders, 'AWS Authorization'),
    signature,
    amzDate:
      amzDateHeader !== undefined ? requireAmzDate(amzDateHeader) : dateHeaderToAmzDate(dateHeader ?? ''),
    ...(sessionToken !== undefined ? { sessionToken } : {}),
  };
}

/** The legacy `Date` header may be ISO-8601 basic or an HTTP date (RFC 7231); the string to sign wants basic. */
function dateHeaderToAmzDate(value: string): string {
  if (AMZ_DATE_PATTERN.test(value)) return requireAmzDate(value);
  const millis = Date.parse(value);
  if (Number.isNaN(millis)) return requireAmzDate(value);
  return formatAmzDate(new Date(millis));
}

function parsePresignedQuery(parameters: readonly QueryParameter[]): ParsedSignature {
  const single = (name: string): string | undefined => {
    const matches = parameters.filter((parameter) => parameter.name === name);
    if (matches.length > 1) throw incomplete(`AWS query-string parameter '${name}' must appear only once.`);
    return matches[0]?.value;
  };
  const required = (name: string): string => {
    const value = single(name);
    if (value === undefined || value === '') {
      throw incomplete(
        `AWS query-string parameters must include '${name}'. Re-examine the query-string parameters.`,
      );
    }
    return value;
  };

  const algorithm = required('X-Amz-Algorithm');
  if (algorithm !== SIGV4_ALGORITHM) {
    throw incomplete(`X-Amz-Algorithm only supports "${SIGV4_ALGORITHM}", not '${algorithm}'.`);
  }
  const scope = parseCredential(required('X-Amz-Credential'));
  const amzDate = requireAmzDate(required('X-Amz-Date'));
  const signedHeaders = parseSignedHeaders(
    required('X-Amz-SignedHeaders'),
    'X-Amz-SignedHeaders query parameter',
  );
  const signature = required(SIGNATURE_PARAM);
  const expires = single('X-Amz-Expires');
  let expiresSeconds: number | undefined;
  if (expires !== undefined) {
    if (!/^\d{1,7}$/.test(expires)) throw incomplete(`X-Amz-Expires should be a number, not '${expires}'.`);
    expiresSeconds = Number(expires);
    if (expiresSeconds > MAX_PRESIGNED_EXPIRES_SECONDS) {
      throw incomplete(
        `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_EXPIRES_SECONDS}.`,
      );
    }
  }
  const sessionToken = single('X-Amz-Security-Token');
  return {
    form: 'query',
    ...scope,
    signedHeaders,
    signature,
    amzDate,
    ...(expiresSeconds !== undefined ? { expiresSeconds } : {}),
    ...(sessionToken !== undefined ? { sessionToken } : {}),
  };
}

/**
 * Reads the SigV4 claim from the Authorization header or presigned query parameters, without verifying it,
 * so the caller can look up the secret for `accessKeyId`.
 */
export function parseSignature(request: SignedRequest): ParsedSignature {
  const authorization = headerValue(request.headers, 'authorization');
  const parameters = parseQuery(request.rawQuery);
  const presigned = parameters.some(
    (parameter) =>
      parameter.name === SIGNATURE_PARAM ||
      parameter.name === 'X-Amz-Algorithm' ||
      parameter.name === 'X-Amz-Credential',
  );
  if (authorization !== undefined) {
    if (parameters.some((parameter) => parameter.name === SIGNATURE_PARAM)) {
      throw incomplete(
        'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.',
      );
    }
    return parseAuthorizationHeader(request, authorization);
  }
  if (presigned) return parsePresignedQuery(parameters);
  throw new ApiError('MissingAuthenticationToken', 'Missing Authentication Token');
}
