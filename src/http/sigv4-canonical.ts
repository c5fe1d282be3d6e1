/** The pure parts of AWS Signature Version 4: canonical request, string to sign and signing key. */

import { createHash, createHmac } from 'node:crypto';

/** The only SigV4 algorithm Bulwark accepts. */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** One query parameter, both as the client meant it (decoded) and in canonical (RFC 3986) form. */
export interface QueryParameter {
  name: string;
  value: string;
  canonicalName: string;
  canonicalValue: string;
}

const HEX = '0123456789ABCDEF';

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || // -
    byte === 0x2e || // .
    byte === 0x5f || // _
    byte === 0x7e // ~
  );
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/** RFC 3986 encoding of raw bytes, as the SDKs do it: unreserved bytes stay, everything else becomes %XX. */
function encodeBytes(bytes: Uint8Array, keepSlash: boolean): string {
  let out = '';
  for (const byte of bytes) {
    if (isUnreserved(byte) || (keepSlash && byte === 0x2f)) {
      out += String.fromCharCode(byte);
    } else {
      out += `%${HEX[byte >> 4] ?? ''}${HEX[byte & 0x0f] ?? ''}`;
    }
  }
  return out;
}

/**
 * Percent-decodes to bytes; a '%' not followed by two hex digits stays literal and '+' stays '+'
 * (the SDKs never send '+' for a space: botocore and smithy both write %20 and encode '+' as %2B).
 */
function percentDecode(text: string): Buffer {
  if (!text.includes('%')) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let literalStart = 0;
  let i = 0;
  while (i < text.length) {
    if (text.charCodeAt(i) === 0x25 && i + 2 < text.length) {
      const high = hexValue(text.charCodeAt(i + 1));
      const low = hexValue(text.charCodeAt(i + 2));
      if (high >= 0 && low >= 0) {
        if (i > literalStart) parts.push(Buffer.from(text.slice(literalStart, i), 'utf8'));
        parts.push(Buffer.of(high * 16 + low));
        i += 3;
        literalStart = i;
        continue;
      }
    }
    i += 1;
  }
  if (literalStart < text.length) parts.push(Buffer.from(text.slice(literalStart), 'utf8'));
  return Buffer.concat(parts);
}

/** Parses a raw query string (text after '?') in wire order; empty pieces (`a=1&&b=2`) are skipped. */
export function parseQuery(rawQuery: string): QueryParameter[] {
  const parameters: QueryParameter[] = [];
  if (rawQuery === '') return parameters;
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const equals = piece.indexOf('=');
    const rawName = equals === -1 ? piece : piece.slice(0, equals);
    const rawValue = equals === -1 ? '' : piece.slice(equals + 1);
    const nameBytes = percentDecode(rawName);
    const valueBytes = percentDecode(rawValue);
    parameters.push({
      name: nameBytes.toString('utf8'),
      value: valueBytes.toString('utf8'),
      canonicalName: encodeBytes(nameBytes, false),
      canonicalValue: encodeBytes(valueBytes, false),
    });
  }
  return parameters;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Canonical query string: every parameter re-encoded, sorted by encoded name then encoded value,
 * a parameter without '=' rendered as `name=`; `exclude` drops X-Amz-Signature in the presigned form.
 */
export function canonicalQueryString(parameters: readonly QueryParameter[], exclude?: string): string {
  return parameters
    .filter((parameter) => parameter.name !== exclude)
    .map((parameter) => [parameter.canonicalName, parameter.canonicalValue] as const)
    .sort(
      ([nameA, valueA], [nameB, valueB]) =>
        compareCodeUnits(nameA, nameB) || compareCodeUnits(valueA, valueB),
    )
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/**
 * Canonical URI for every service but S3: the wire path (already percent-encoded once) with empty and
 * dot segments removed, then URI-encoded again, so `arn%3Aaws` is signed as `arn%253Aaws`.
 */
export function canonicalUri(rawPath: string): string {
  if (rawPath === '') return '/';
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const leading = rawPath.startsWith('/') ? '/' : '';
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  const normalized = `${leading}${segments.join('/')}${trailing}`;
  return normalized === '' ? '/' : encodeBytes(Buffer.from(normalized, 'utf8'), true);
}

/** A header value as signed: inner runs of spaces and tabs collapsed to one space, ends trimmed. */
function canonicalHeaderValue(value: string): string {
  return value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

/**
 * Canonical headers block (each `name:value\n`), or the name of the first signed header the request
 * lacks; repeated headers are joined with ',' (pass node's `headersDistinct` to keep them apart).
 */
export function canonicalHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  signedHeaders: readonly string[],
): { block: string } | { missing: string } {
  let block = '';
  for (const name of signedHeaders) {
    const value = headers[name];
    if (value === undefined) return { missing: name };
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0) return { missing: name };
    block += `${name}:${values.map(canonicalHeaderValue).join(',')}\n`;
  }
  return { block };
}

/** The canonical request's parts, in the order they are joined. */
export interface CanonicalRequestParts {
  method: string;
  canonicalUri: string;
  canonicalQuery: string;
  canonicalHeaders: string;
  signedHeaders: readonly string[];
  payloadHash: string;
}

/** Joins the canonical request exactly as the SDKs do before hashing it. */
export function buildCanonicalRequest(parts: CanonicalRequestParts): string {
  return [
    parts.method,
    parts.canonicalUri,
    parts.canonicalQuery,
    parts.canonicalHeaders,
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}

/** Lower-case hex SHA-256 of a string or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The credential scope `yyyymmdd/region/service/aws4_request`. */
export function credentialScope(date: string, region: string, service: string): string {
  return `${date}/${region}/${service}/aws4_request`;
}

/** The string to sign: algorithm, request time, scope and the hash of the canonical request. */
export function buildStringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return `${SIGV4_ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Derives kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function deriveSigningKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Buffer {
  const kDate = hmac(`AWS4${secretAccessKey}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/** Lower-case hex HMAC-SHA256 of the string to sign under the signing key. */
export function computeSignature(signingKey: Buffer, stringToSign: string): string {
  return createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
}
