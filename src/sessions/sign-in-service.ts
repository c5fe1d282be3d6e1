/**
 * Console sign-in: a user's name and password, then a TOTP code when the user enrolled one, open a session.
 *
 * Rules: a wrong password and an unknown user are refused alike, after the same scrypt work (an unknown user is
 * checked against a dummy hash). Failures are counted per user name (5 in 15 minutes lock it for 15 minutes,
 * whether or not the user exists, so a lock tells nothing about existence) and per remote address (20 in 15
 * minutes lock the address), in the database so the limits hold across API nodes. A TOTP code is accepted one
 * step either side of now and never twice. Every attempt is audited (see sign-in-audit.ts).
 */
import { AccessStore, type Principal, type SecretBox } from '../access/index.js';
import type { AnchoredHead, AuditEntry, AuditStore } from '../audit/index.js';
import type { Db, DbExecutor } from '../storage/database.js';
import { ConsoleSessions, type OpenedSession } from './console-sessions.js';
import { CredentialStore, type StoredCredentials } from './credential-store.js';
import { LimitStore, type FailureLimit } from './limit-store.js';
import {
  defaultScryptParameters,
  dummyHash,
  hashPassword,
  needsRehash,
  verifyPassword,
  type ScryptParameters,
} from './password-hash.js';
import { signInEntry, signOutEntry, type SignInErrorCode } from './sign-in-audit.js';
import { matchTotp } from './totp.js';

/** The sign-in limits. */
export interface SignInLimits {
  /** Failures per user name: default 5 in 15 minutes lock it for 15 minutes. */
  user: FailureLimit;
  /** Failures per remote address: default 20 in 15 minutes lock it for 15 minutes. */
  address: FailureLimit;
}

export const defaultSignInLimits: SignInLimits = {
  user: { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  address: { maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
};

/** One sign-in attempt as the console receives it. */
export interface SignInRequest {
  /** The account; may be left out while the database holds a single account. */
  accountId?: string | undefined;
  userName: string;
  password: string;
  totpCode?: string | undefined;
  remoteAddress: string;
  userAgent?: string | undefined;
  now: Date;
}

/** Why a sign-in was refused; `wrong-credentials` says nothing about which of name or password was wrong. */
export type SignInRefusalKind =
  'wrong-credentials' | 'account-required' | 'totp-required' | 'totp-wrong' | 'locked';

/** A refused sign-in, with the text the console shows. */
export interface SignInRefusal {
  kind: SignInRefusalKind;
  message: string;
  /** For `locked`: when to try again. */
  retryAfter?: Date;
}

export type SignInResult =
  { ok: true; session: OpenedSession; mfaUsed: boolean } | { ok: false; refusal: SignInRefusal };

const messages: Record<SignInRefusalKind, string> = {
  'wrong-credentials':
    'Your sign-in information is incorrect. Check the user name and password and try again.',
  'account-required': 'Enter the account ID (this server has more than one account).',
  'totp-required': 'Enter the code from your authenticator app.',
  'totp-wrong': 'That authenticator code is not valid. Wait for the next code and try again.',
  locked: 'Too many failed sign-in attempts. Try again later.',
};

const codes: Record<Exclude<SignInRefusalKind, 'locked'>, SignInErrorCode> = {
  'wrong-credentials': 'FailedAuthentication',
  'account-required': 'AccountRequired',
  'totp-required': 'MfaRequired',
  'totp-wrong': 'MfaFailed',
};

/** Construction options; every field has a default. */
export interface SignInOptions {
  limits?: Partial<SignInLimits>;
  /** The cost of new (and re-made) password hashes; default N = 2^15, r = 8, p = 1. */
  scrypt?: ScryptParameters;
  sessions?: ConsoleSessions;
}

/** What the attempt established so far, for its audit record and limits. */
interface Attempt {
  request: SignInRequest;
  accountId: string | undefined;
  principal: Principal | undefined;
  subjects: { user: string; address: string };
}

/** Signs console users in and out. */
export class SignInService {
  readonly sessions: ConsoleSessions;
  private readonly limits: SignInLimits;
  private readonly scrypt: ScryptParameters;
  private readonly access = new AccessStore();
  private readonly credentials = new CredentialStore();
  private readonly limitStore = new LimitStore();
  private readonly dummy: Promise<string>;

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    private readonly audit: AuditStore,
    options: SignInOptions = {},
  ) {
    this.limits = { ...defaultSignInLimits, ...options.limits };
    this.scrypt = options.scrypt ?? defaultScryptParameters;
    this.sessions = options.sessions ?? new ConsoleSessions(db);
    // Made now, so that the first unknown user costs no more than any other attempt.
    this.dummy = dummyHash(this.scrypt);
    this.dummy.catch(() => undefined);
  }

  /** Checks one attempt and opens a session for a good one; every attempt is audited. */
  async signIn(request: SignInRequest): Promise<SignInResult> {
    const named = request.accountId === '' ? undefined : request.accountId;
    const lookup = await this.accountOf(named);
    const accountId = lookup.accountId;
    const attempt: Attempt = {
      request,
      // The audit record names the account the caller meant, known or not: that account sees the attempt.
      accountId: accountId ?? (/^\d{12}$/.test(named ?? '') ? named : undefined),
      principal: undefined,
      subjects: {
        user: `user:${named ?? accountId ?? ''}:${request.userName.slice(0, 128)}`,
        address: `address:${request.remoteAddress.slice(0, 64)}`,
      },
    };
    if (lookup.several) return this.refuse(attempt, 'account-required', { counted: false });
    const lockedUntil = await this.limitStore.lockedUntil(
      this.db,
      [attempt.subjects.user, attempt.subjects.address],
      request.now,
    );
    if (lockedUntil !== undefined) return this.refuseLocked(attempt, lockedUntil);

    attempt.principal =
      accountId === undefined
        ? undefined
        : (await this.access.findPrincipalsByName(this.db, accountId, request.userName)).find(
            (principal) => principal.kind === 'user',
          );
    const stored =
      attempt.principal === undefined
        ? undefined
        : await this.credentials.find(this.db, attempt.principal.principalId);
    const passwordHash = stored?.passwordHash;
    const passwordMatches = await verifyPassword(request.password, passwordHash ?? (await this.dummy));
    if (!passwordMatches || passwordHash === undefined || stored === undefined) {
      return this.refuse(attempt, 'wrong-credentials', { counted: true });
    }
    const mfaUsed = stored.totpSecretSealed !== undefined;
    if (mfaUsed) {
      const refusal = await this.checkTotp(attempt, stored);
      if (refusal !== undefined) return refusal;
    }
    return this.succeed(attempt, stored, mfaUsed);
  }

  /**
   * The account an attempt is for: the one named when it exists, else the only account; undefined for an
   * unknown one; `several` when none is named and there is more than one.
   */
  private async accountOf(
    named: string | undefined,
  ): Promise<{ accountId: string | undefined; several: boolean }> {
    if (named !== undefined) {
      return {
        accountId: (await this.access.accountExists(this.db, named)) ? named : undefined,
        several: false,
      };
    }
    const accounts = await this.access.listAccounts(this.db);
    return {
      accountId: accounts.length === 1 ? accounts[0]?.accountId : undefined,
      several: accounts.length > 1,
    };
  }

  /** Ends the session behind a cookie value (audited when there was one); false when there was none. */
  async signOut(
    sessionId: string,
    facts: { now: Date; remoteAddress: string; userAgent?: string | undefined },
  ): Promise<boolean> {
    const session = await this.sessions.peek(sessionId);
    if (session === undefined) return false;
    const principal = await this.access.findPrincipalByArn(this.db, session.principalArn);
    const entry = signOutEntry({
      now: facts.now,
      remoteAddress: facts.remoteAddress,
      userAgent: facts.userAgent ?? '',
      principal: principal?.principalId === session.principalId ? principal : undefined,
      accountId: session.accountId,
      sessionRef: session.sessionRef,
    });
    return this.inTransaction(entry, (tx) => this.sessions.end(tx, sessionId));
  }

  /** The TOTP step of a good code, or the refusal of a missing, wrong or replayed one. */
  private async checkTotp(attempt: Attempt, stored: StoredCredentials): Promise<SignInResult | undefined> {
    const code = attempt.request.totpCode?.replace(/\s/g, '') ?? '';
    if (code === '') return this.refuse(attempt, 'totp-required', { counted: false });
    const secret = this.secrets.open(stored.totpSecretSealed ?? '');
    const match = matchTotp(secret, code, attempt.request.now, stored.totpLastStep);
    if (match === undefined) return this.refuse(attempt, 'totp-wrong', { counted: true, mfaUsed: true });
    // A replay, here or on another node at the same moment (the conditional update decides the race).
    if (match.replayed || !(await this.credentials.useTotpStep(this.db, stored.principalId, match.step))) {
      return this.refuse(attempt, 'totp-wrong', { counted: true, mfaUsed: true, errorCode: 'MfaReplayed' });
    }
    return undefined;
  }

  private async succeed(
    attempt: Attempt,
    stored: StoredCredentials,
    mfaUsed: boolean,
  ): Promise<SignInResult> {
    const principal = attempt.principal;
    if (principal === undefined) throw new Error('a sign-in succeeds only for a known user');
    const { request } = attempt;
    const rehash =
      stored.passwordHash !== undefined && needsRehash(stored.passwordHash, this.scrypt)
        ? await hashPassword(request.password, this.scrypt)
        : undefined;
    let session: OpenedSession | undefined;
    const record = (sessionRef: string): AuditEntry =>
      signInEntry({
        ...this.attemptFacts(attempt, mfaUsed),
        errorCode: undefined,
        errorMessage: undefined,
        sessionRef,
      });
    await this.inTransaction(record, async (tx) => {
      await this.limitStore.clear(tx, attempt.subjects.user);
      if (rehash !== undefined)
        await this.credentials.setPassword(tx, principal.principalId, rehash, request.now);
      session = await this.sessions.open(tx, principal, {
        remoteAddress: request.remoteAddress,
        mfaUsed,
        now: request.now,
      });
      return session.sessionRef;
    });
    if (session === undefined) throw new Error('the session was not opened');
    return { ok: true, session, mfaUsed };
  }

  /** Refuses an attempt; a counted refusal adds a failure to the user's and the address's limits. */
  private async refuse(
    attempt: Attempt,
    kind: Exclude<SignInRefusalKind, 'locked'>,
    how: { counted: boolean; mfaUsed?: boolean; errorCode?: SignInErrorCode },
  ): Promise<SignInResult> {
    const entry = signInEntry({
      ...this.attemptFacts(attempt, how.mfaUsed ?? false),
      errorCode: how.errorCode ?? codes[kind],
      errorMessage: messages[kind],
      sessionRef: undefined,
    });
    // The attempt that reaches a limit is refused for what it was; the next one meets the lock.
    await this.inTransaction(entry, async (tx) => {
      if (!how.counted) return;
      const { now } = attempt.request;
      await this.limitStore.recordFailure(tx, attempt.subjects.user, now, this.limits.user);
      await this.limitStore.recordFailure(tx, attempt.subjects.address, now, this.limits.address);
    });
    return { ok: false, refusal: { kind, message: messages[kind] } };
  }

  private async refuseLocked(attempt: Attempt, until: Date): Promise<SignInResult> {
    const userLocked =
      (await this.limitStore.lockedUntil(this.db, [attempt.subjects.user], attempt.request.now)) !==
      undefined;
    const entry = signInEntry({
      ...this.attemptFacts(attempt, false),
      errorCode: userLocked ? 'UserLocked' : 'AddressLocked',
      errorMessage: messages.locked,
      sessionRef: undefined,
    });
    await this.inTransaction(entry, () => Promise.resolve(undefined));
    return { ok: false, refusal: { kind: 'locked', message: messages.locked, retryAfter: until } };
  }

  private attemptFacts(attempt: Attempt, mfaUsed: boolean) {
    return {
      now: attempt.request.now,
      remoteAddress: attempt.request.remoteAddress,
      userAgent: attempt.request.userAgent ?? '',
      accountId: attempt.accountId,
      principal: attempt.principal,
      mfaUsed,
    };
  }

  /**
   * Runs `body` and appends the audit record in one transaction, then anchors the record. `entry` may depend on
   * the body's result (the new session's reference).
   */
  private async inTransaction<T>(
    entry: AuditEntry | ((result: T) => AuditEntry),
    body: (tx: DbExecutor) => Promise<T>,
  ): Promise<T> {
    let position: AnchoredHead | undefined;
    const result = await this.db.transaction().execute(async (tx) => {
      const done = await body(tx);
      position = await this.audit.append(tx, typeof entry === 'function' ? entry(done) : entry);
      return done;
    });
    try {
      if (position !== undefined) this.audit.committed(position);
    } catch {
      // The record is committed; the anchor catches up with the next committed record.
    }
    return result;
  }
}
