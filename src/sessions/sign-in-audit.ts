/**
 * The audit records of console sign-in and sign-out: CloudTrail's `ConsoleLogin` event of
 * `signin.amazonaws.com`, so tools that watch AWS console logins read Bulwark's the same way. A record never
 * holds the password or the TOTP code; a name that is not a user is hidden, as CloudTrail hides it (people type
 * passwords into the name field).
 */
import { randomUUID } from 'node:crypto';
import { resourceOfArn, type AuditEntry } from '../audit/index.js';
import type { Principal } from '../access/index.js';

/** The event source of console sign-in records. */
export const signInEventSource = 'signin.amazonaws.com';
/** The event names of console sign-in and sign-out records. */
export const consoleLoginEventName = 'ConsoleLogin';
export const consoleSignOutEventName = 'ConsoleSignOut';

/** What CloudTrail writes in place of a name that may be a mistyped secret. */
const hidden = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** The error codes a refused sign-in is recorded with. */
export type SignInErrorCode =
  | 'FailedAuthentication'
  | 'AccountRequired'
  | 'MfaRequired'
  | 'MfaFailed'
  | 'MfaReplayed'
  | 'UserLocked'
  | 'AddressLocked';

/** One sign-in attempt, as it is recorded. */
export interface SignInAttempt {
  now: Date;
  remoteAddress: string;
  userAgent: string;
  /** The account the attempt was for (a 12-digit id the caller named, or the only account). */
  accountId: string | undefined;
  /** The user, when the name is one. */
  principal: Principal | undefined;
  mfaUsed: boolean;
  errorCode: SignInErrorCode | undefined;
  errorMessage: string | undefined;
  /** The new session's public reference, on success. */
  sessionRef: string | undefined;
}

function identityOf(principal: Principal | undefined, accountId: string | undefined): AuditEntry['identity'] {
  return {
    type: principal === undefined ? 'Unknown' : 'IAMUser',
    principalId: principal?.principalId,
    arn: principal?.arn,
    accountId: principal?.accountId ?? accountId,
    accessKeyId: undefined,
    userName: principal?.name ?? hidden,
  };
}

/** The `ConsoleLogin` record of one attempt, successful or not. */
export function signInEntry(attempt: SignInAttempt): AuditEntry {
  return {
    eventId: randomUUID(),
    requestId: randomUUID(),
    eventTime: attempt.now,
    eventSource: signInEventSource,
    eventName: consoleLoginEventName,
    region: undefined,
    sourceIp: attempt.remoteAddress,
    userAgent: attempt.userAgent,
    identity: { ...identityOf(attempt.principal, attempt.accountId), accessKeyId: attempt.sessionRef },
    readOnly: false,
    errorCode: attempt.errorCode,
    errorMessage: attempt.errorMessage,
    requestParameters: undefined,
    responseElements: {
      ConsoleLogin: attempt.errorCode === undefined ? 'Success' : 'Failure',
      MFAUsed: attempt.mfaUsed ? 'Yes' : 'No',
    },
    resource: attempt.principal === undefined ? undefined : resourceOfArn(attempt.principal.arn),
  };
}

/** The `ConsoleSignOut` record of a session ended by its user. */
export function signOutEntry(facts: {
  now: Date;
  remoteAddress: string;
  userAgent: string;
  principal: Principal | undefined;
  accountId: string;
  sessionRef: string;
}): AuditEntry {
  return {
    eventId: randomUUID(),
    requestId: randomUUID(),
    eventTime: facts.now,
    eventSource: signInEventSource,
    eventName: consoleSignOutEventName,
    region: undefined,
    sourceIp: facts.remoteAddress,
    userAgent: facts.userAgent,
    identity: { ...identityOf(facts.principal, facts.accountId), accessKeyId: facts.sessionRef },
    readOnly: false,
    errorCode: undefined,
    errorMessage: undefined,
    requestParameters: undefined,
    responseElements: undefined,
    resource: facts.principal === undefined ? undefined : resourceOfArn(facts.principal.arn),
  };
}
