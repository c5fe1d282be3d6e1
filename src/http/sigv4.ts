/** Server-side AWS Signature Version 4 verification, for the Authorization header and presigned URLs. */

import { timingSafeEqual } from 'node:crypto';
import { ApiError } from '../kernel/index.js';
import {
  buildCanonicalRequest,
  buildStringToSign,
  canonicalHeaders,
  canonicalQueryString,
  canonicalUri,
  computeSignature,
  credentialScope,
  deriveSigningKey,
  parseQuery,
  sha256Hex,
  type QueryParameter,
} from './sigv4-canonical.js';
import {
  MAX_CLOCK_SKEW_MS,
  SIGNATURE_MISMATCH,
  SIGNATURE_PARAM,
  UNSIGNED_PAYLOAD,
  amzDateToMillis,
  formatAmzDate,
  headerValue,
  incomplete,
  invalid,
  type ParsedSignature,
  type SignedRequest,
} from './sigv4-parse.js';

export { parseSignature, type ParsedSignature, type SignedRequest } from './sigv4-parse.js';

function checkRequestTime(parsed: ParsedSignature, now: Date): void {
  const requestTime = amzDateToMillis(parsed.amzDate);
  if (requestTime === undefined)
    throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${parsed.amzDate}'.`);
  const nowMillis = now.getTime();

  if (parsed.form === 'query' && parsed.expiresSeconds !== undefined) {
    // Like S3: a presigned URL lives from X-Amz-Date to X-Amz-Date + X-Amz-Expires, allowing the usual skew for a signer whose clock runs ahead.
    if (requestTime - MAX_CLOCK_SKEW_MS > nowMillis)
      throw new ApiError('AccessDenied', 'Request is not yet valid');
    if (nowMillis > requestTime + parsed.expiresSeconds * 1000)
      throw new ApiError('AccessDenied', 'Request has expired');
    return;
  }

  const nowText = formatAmzDate(now);
  if (requestTime < nowMillis - MAX_CLOCK_SKEW_MS) {
    const limit = formatAmzDate(new Date(nowMillis - MAX_CLOCK_SKEW_MS));
    throw invalid(`Signature expired: ${parsed.amzDate} is now earlier than ${limit} (${nowText} - 15 min.)`);
  }
  if (requestTime > nowMillis + MAX_CLOCK_SKEW_MS) {
    const limit = formatAmzDate(new Date(nowMillis + MAX_CLOCK_SKEW_MS));
    throw invalid(
      `Signature not yet current: ${parsed.amzDate} is still later than ${limit} (${nowText} + 15 min.)`,
    );
  }
}

/**
 * The payload hashes the client may have signed: the x-amz-content-sha256 it declared (checked against the
 * body), else the body's SHA-256; a presigned URL may also have signed UNSIGNED-PAYLOAD, as S3 clients do.
 */
function payloadHashCandidates(
  request: SignedRequest,
  parsed: ParsedSignature,
  parameters: readonly QueryParameter[],
  bodyPending = false,
): string[] {
  const declared = declaredPayloadHash(request, parsed, parameters);
  if (declared !== undefined) {
    if (declared === UNSIGNED_PAYLOAD || declared.startsWith('STREAMING-') || bodyPending) return [declared];
    if (declared.toLowerCase() !== sha256Hex(request.body)) {
      throw invalid("The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    return [declared];
  }
  const bodyHash = sha256Hex(request.body);
  return parsed.form === 'query' ? [bodyHash, UNSIGNED_PAYLOAD] : [bodyHash];
}

function declaredPayloadHash(
  request: SignedRequest,
  parsed: ParsedSignature,
  parameters: readonly QueryParameter[],
): string | undefined {
  return (
    headerValue(request.headers, 'x-amz-content-sha256') ??
    (parsed.form === 'query'
      ? parameters.find((parameter) => parameter.name.toLowerCase() === 'x-amz-content-sha256')?.value
      : undefined)
  );
}

function signaturesEqual(expected: string, provided: string): boolean {
  const expectedBytes = Buffer.from(expected, 'utf8');
  const providedBytes = Buffer.from(provided, 'utf8');
  if (expectedBytes.length !== providedBytes.length) {
    timingSafeEqual(expectedBytes, expectedBytes); // keep the work the same whether or not the length matched
    return false;
  }
  return timingSafeEqual(expectedBytes, providedBytes);
}

/**
 * Recomputes the signature with the caller's secret and throws unless it matches and the request is fresh;
 * `now` is the server clock, passed in so tests and the request context agree on it.
 */
export function verifySignature(
  request: SignedRequest,
  parsed: ParsedSignature,
  secretAccessKey: string,
  now: Date,
  bodyPending = false,
): void {
  const requestDay = parsed.amzDate.slice(0, 8);
  if (parsed.date !== requestDay) {
    throw invalid(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parsed.date}' != '${requestDay}', from '${parsed.amzDate}'.`,
    );
  }
  checkRequestTime(parsed, now);

  const parameters = parseQuery(request.rawQuery);
  // Before the body arrives only what does not depend on it can be checked (the body is verified later).
  if (bodyPending && declaredPayloadHash(request, parsed, parameters) === undefined) return;
  const headers = canonicalHeaders(request.headers, parsed.signedHeaders);
  if ('missing' in headers) throw invalid(SIGNATURE_MISMATCH);
  const scope = credentialScope(parsed.date, parsed.region, parsed.service);
  const signingKey = deriveSigningKey(secretAccessKey, parsed.date, parsed.region, parsed.service);

  let matched = false;
  for (const payloadHash of payloadHashCandidates(request, parsed, parameters, bodyPending)) {
    const canonicalRequest = buildCanonicalRequest({
      method: request.method.toUpperCase(),
      canonicalUri: canonicalUri(request.rawPath),
      canonicalQuery: canonicalQueryString(parameters, parsed.form === 'query' ? SIGNATURE_PARAM : undefined),
      canonicalHeaders: headers.block,
      signedHeaders: parsed.signedHeaders,
      payloadHash,
    });
    const expected = computeSignature(signingKey, buildStringToSign(parsed.amzDate, scope, canonicalRequest));
    // The comparison comes first so every candidate is compared whatever an earlier one said.
    matched = signaturesEqual(expected, parsed.signature) || matched;
  }
  if (!matched) throw invalid(SIGNATURE_MISMATCH);
}

/**
 * Checks what can be checked before the body is read: the scope date, the request time and, when the client
 * declared the payload hash it signed (`x-amz-content-sha256`), the signature itself. The full
 * {@link verifySignature} still runs once the body is in.
 */
export function verifySignatureBeforeBody(
  request: Omit<SignedRequest, 'body'>,
  parsed: ParsedSignature,
  secretAccessKey: string,
  now: Date,
): void {
  verifySignature({ ...request, body: Buffer.alloc(0) }, parsed, secretAccessKey, now, true);
}
