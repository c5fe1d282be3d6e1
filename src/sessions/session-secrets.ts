/** The random values of a console session: its id (the cookie), its stored hash, its public reference, its CSRF token. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const referenceAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A new session id: 256 random bits, base64url (43 characters); handed to the browser, never stored. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps of a session id: its SHA-256, hex. */
export function sessionHash(sessionId: string): string {
  return createHash('sha256').update(sessionId, 'utf8').digest('hex');
}

/** A session's public reference in AWS's temporary-key shape (`ASIA` + 16 base32), safe to show and to audit. */
export function newSessionRef(): string {
  let ref = 'ASIA';
  for (const byte of randomBytes(16)) ref += referenceAlphabet[byte % 32];
  return ref;
}

/** A new CSRF token: 256 random bits, base64url. */
export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether `presented` equals the session's CSRF token, compared in constant time (whatever their lengths). */
export function csrfTokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined || expected === '') return false;
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(presented));
}

/** Whether a cookie value has the shape of a session id (anything else is not looked up). */
export function looksLikeSessionId(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
