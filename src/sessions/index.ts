/** The console sign-in capability's public door: credentials, sign-in with its limits, sessions, the cookie. */
export {
  SignInService,
  defaultSignInLimits,
  type SignInLimits,
  type SignInOptions,
  type SignInRefusal,
  type SignInRefusalKind,
  type SignInRequest,
  type SignInResult,
} from './sign-in-service.js';
export {
  ConsoleSessions,
  defaultSessionLifetimes,
  type OpenedSession,
  type ResolvedSession,
  type SessionLifetimes,
} from './console-sessions.js';
export { isConsoleActor, type ConsoleActor } from './console-actor.js';
export { csrfTokenMatches } from './session-secrets.js';
export { clearedSessionCookie, sessionCookie, sessionCookieName } from './session-cookie.js';
export {
  consolePurgeJob,
  consolePurgeJobName,
  purgeExpiredConsoleState,
  type ConsolePurgeResult,
} from './console-purge.js';
export {
  ConsoleCredentialAdministration,
  type PasswordSet,
  type TotpEnrollment,
  type UserReference,
} from './credential-administration.js';
export {
  defaultScryptParameters,
  hashPassword,
  maxPasswordLength,
  minPasswordLength,
  needsRehash,
  passwordProblem,
  verifyPassword,
  type ScryptParameters,
} from './password-hash.js';
export { signInEventSource, consoleLoginEventName, consoleSignOutEventName } from './sign-in-audit.js';
export type { FailureLimit } from './limit-store.js';
