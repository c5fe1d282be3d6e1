/** The `Set-Cookie` header values of the console session cookie. */

/** The cookie's name: with the `__Secure-` prefix under TLS (the browser then takes it only with Secure). */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Secure-bulwark-console' : 'bulwark-console';
}

/**
 * The `Set-Cookie` value that hands `sessionId` to the browser: HttpOnly (no script reads it), SameSite=Strict
 * (never sent on a request another site starts), Path=/console, Secure when the console is served over TLS,
 * and Max-Age so the browser drops it no later than the session's absolute expiry.
 */
export function sessionCookie(
  sessionId: string,
  options: { secure: boolean; maxAgeSeconds: number },
): string {
  if (!/^[A-Za-z0-9_-]+$/.test(sessionId)) throw new Error('a session id is base64url');
  const maxAge = Math.max(0, Math.floor(options.maxAgeSeconds));
  return [
    `${sessionCookieName(options.secure)}=${sessionId}`,
    'Path=/console',
    `Max-Age=${maxAge}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** The `Set-Cookie` value that removes the session cookie (sign-out, or a session found expired). */
export function clearedSessionCookie(options: { secure: boolean }): string {
  return [
    `${sessionCookieName(options.secure)}=`,
    'Path=/console',
    'Max-Age=0',
    'HttpOnly',
    'SameSite=Strict',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
