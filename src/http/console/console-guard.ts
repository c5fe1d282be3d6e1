/**
 * The checks in front of every console API call: the request comes from the console's own origin, carries a live
 * session cookie, and — unless it only reads — the session's CSRF token.
 */
import {
  clearedSessionCookie,
  csrfTokenMatches,
  sessionCookieName,
  type ResolvedSession,
} from '../../sessions/index.js';
import { firstHeader, type HttpResponse, type RequestHead } from '../http-message.js';
import { consoleError } from './console-responses.js';

/** A live session and the cookie value behind it. */
export interface SignedInCall {
  session: ResolvedSession;
  sessionId: string;
}

/** The session cookie's value, if the request carries one. */
export function sessionIdOf(head: RequestHead, secure: boolean): string | undefined {
  const name = sessionCookieName(secure);
  for (const header of head.headers['cookie'] ?? []) {
    for (const part of header.split(';')) {
      const at = part.indexOf('=');
      if (at === -1) continue;
      if (part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
    }
  }
  return undefined;
}

/**
 * 403 InvalidOrigin when the request names an `Origin` other than the server's own (the scheme it is served with
 * and the Host header); a request without `Origin` passes (the cookie's SameSite=Strict and the CSRF token guard it).
 */
export function originRefusal(head: RequestHead, secure: boolean): HttpResponse | undefined {
  const origin = head.headers['origin'];
  if (origin === undefined) return undefined;
  const host = firstHeader(head, 'host');
  const own = host === undefined ? undefined : `${secure ? 'https' : 'http'}://${host}`.toLowerCase();
  if (origin.length === 1 && own !== undefined && origin[0]?.toLowerCase() === own) return undefined;
  return consoleError(403, 'InvalidOrigin', 'The request comes from another site than this console.');
}

/** 401 NotSignedIn (clearing a cookie that was sent, as it names no live session). */
export function notSignedIn(secure: boolean, cookieSent: boolean): HttpResponse {
  const headers: Record<string, string> = cookieSent
    ? { 'set-cookie': clearedSessionCookie({ secure }) }
    : {};
  return consoleError(
    401,
    'NotSignedIn',
    'Sign in to the console first (no session, or it has expired).',
    {},
    headers,
  );
}

/** Whether a method changes state (every method but GET and HEAD needs the CSRF token). */
export function changesState(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

/** 403 InvalidCsrfToken unless `X-CSRF-Token` is the session's token (compared in constant time). */
export function csrfRefusal(head: RequestHead, session: ResolvedSession): HttpResponse | undefined {
  const presented = head.headers['x-csrf-token'];
  if (presented?.length === 1 && csrfTokenMatches(session.csrfToken, presented[0] ?? '')) return undefined;
  return consoleError(403, 'InvalidCsrfToken', 'The request lacks the session’s CSRF token (X-CSRF-Token).');
}
