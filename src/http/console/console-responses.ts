/** The answers of the web console's HTTP surface: JSON with `cache-control: no-store`, and the pages' security headers. */
import type { HttpResponse } from '../http-message.js';
import { wireErrorOf } from '../wire-errors.js';

/** Headers every console answer carries (pages, assets and API). */
export const consoleSecurityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/** A JSON answer of the console API (never cached). */
export function jsonAnswer(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponse {
  return {
    status,
    headers: {
      ...consoleSecurityHeaders,
      'content-type': 'application/json',
      'cache-control': 'no-store',
      ...headers,
    },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

/** An error of the console API itself: `{ "__type", "message" }` with the given status. */
export function consoleError(
  status: number,
  type: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): HttpResponse {
  return jsonAnswer(status, { __type: type, message, ...extra }, { 'x-amzn-errortype': type, ...headers });
}

/**
 * Any error as the console answers it: the AWS error (status and exception name) of the restJson1 protocol,
 * whichever protocol the operation speaks, so the browser reads one shape.
 */
export function apiErrorAnswer(error: unknown, requestId: string): HttpResponse {
  const wire = wireErrorOf(error, 'restJson1');
  const body: Record<string, unknown> = {
    __type: wire.exceptionName,
    Code: wire.exceptionName,
    Message: wire.message,
  };
  if (wire.known) body['message'] = wire.message;
  return jsonAnswer(wire.status, body, {
    'x-amzn-errortype': wire.exceptionName,
    'x-amzn-requestid': requestId,
  });
}
