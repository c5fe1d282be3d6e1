/**
 * Server-side console sessions: opened by a successful sign-in, resolved on every console request to the
 * principal they act as, ended by sign-out, by a password change, or by their idle (default 30 min, sliding)
 * and absolute (default 12 h) timeouts. The database holds them, so any API node resolves any session.
 */
import { AccessStore } from '../access/index.js';
import type { Db, DbExecutor } from '../storage/database.js';
import type { ConsoleActor } from './console-actor.js';
import {
  looksLikeSessionId,
  newCsrfToken,
  newSessionId,
  newSessionRef,
  sessionHash,
} from './session-secrets.js';
import { SessionStore, type StoredSession } from './session-store.js';
import type { Principal } from '../access/index.js';

/** How long sessions live. */
export interface SessionLifetimes {
  /** Without a request for this long, a session ends. Default 30 minutes. */
  idleTimeoutMs: number;
  /** A session ends this long after sign-in, however busy. Default 12 hours. */
  absoluteTimeoutMs: number;
  /** A request slides the idle expiry (one write) only when the last slide is at least this old. Default 60 s. */
  touchIntervalMs: number;
}

export const defaultSessionLifetimes: SessionLifetimes = {
  idleTimeoutMs: 30 * 60_000,
  absoluteTimeoutMs: 12 * 3_600_000,
  touchIntervalMs: 60_000,
};

/** A session just opened: the only moment the session id exists outside the browser. */
export interface OpenedSession {
  /** The cookie value; never stored, never logged. */
  sessionId: string;
  csrfToken: string;
  sessionRef: string;
  accountId: string;
  principalArn: string;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
}

/** A live session, as a console request sees it. */
export interface ResolvedSession {
  actor: ConsoleActor;
  csrfToken: string;
  sessionRef: string;
  createdAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
}

/** Opens, resolves and ends console sessions. */
export class ConsoleSessions {
  readonly lifetimes: SessionLifetimes;

  constructor(
    private readonly db: Db,
    lifetimes: Partial<SessionLifetimes> = {},
    private readonly access: AccessStore = new AccessStore(),
    private readonly store: SessionStore = new SessionStore(),
  ) {
    this.lifetimes = { ...defaultSessionLifetimes, ...lifetimes };
  }

  /** Opens a session for `principal` inside `tx` (the sign-in's transaction). */
  async open(
    tx: DbExecutor,
    principal: Principal,
    facts: { remoteAddress: string; mfaUsed: boolean; now: Date },
  ): Promise<OpenedSession> {
    const sessionId = newSessionId();
    const now = facts.now.getTime();
    const absoluteExpiresAt = new Date(now + this.lifetimes.absoluteTimeoutMs);
    const idleExpiresAt = new Date(Math.min(now + this.lifetimes.idleTimeoutMs, absoluteExpiresAt.getTime()));
    const stored: StoredSession = {
      sessionHash: sessionHash(sessionId),
      sessionRef: newSessionRef(),
      principalId: principal.principalId,
      principalArn: principal.arn,
      accountId: principal.accountId,
      csrfToken: newCsrfToken(),
      remoteAddress: facts.remoteAddress.slice(0, 64),
      mfaUsed: facts.mfaUsed,
      createdAt: facts.now,
      lastSeenAt: facts.now,
      idleExpiresAt,
      absoluteExpiresAt,
    };
    await this.store.insert(tx, stored);
    return {
      sessionId,
      csrfToken: stored.csrfToken,
      sessionRef: stored.sessionRef,
      accountId: principal.accountId,
      principalArn: principal.arn,
      idleExpiresAt,
      absoluteExpiresAt,
    };
  }

  /**
   * The live session behind a cookie value, with the principal it acts as (its policies read afresh), sliding
   * its idle expiry; undefined for an unknown, expired or orphaned session (an expired one is deleted).
   */
  async resolve(sessionId: string | undefined, now: Date): Promise<ResolvedSession | undefined> {
    if (sessionId === undefined || !looksLikeSessionId(sessionId)) return undefined;
    const hash = sessionHash(sessionId);
    const session = await this.store.find(this.db, hash);
    if (session === undefined) return undefined;
    const at = now.getTime();
    if (at >= session.idleExpiresAt.getTime() || at >= session.absoluteExpiresAt.getTime()) {
      await this.store.delete(this.db, hash);
      return undefined;
    }
    const principal = await this.access.findPrincipalByArn(this.db, session.principalArn);
    if (principal === undefined || principal.principalId !== session.principalId) {
      await this.store.delete(this.db, hash);
      return undefined;
    }
    let idleExpiresAt = session.idleExpiresAt;
    if (at - session.lastSeenAt.getTime() >= this.lifetimes.touchIntervalMs) {
      idleExpiresAt = new Date(
        Math.min(at + this.lifetimes.idleTimeoutMs, session.absoluteExpiresAt.getTime()),
      );
      await this.store.touch(this.db, hash, now, idleExpiresAt);
    }
    return {
      actor: {
        accountId: principal.accountId,
        principalId: principal.principalId,
        principalArn: principal.arn,
        principalName: principal.name,
        principalType: principal.kind,
        accessKeyId: session.sessionRef,
        policies: await this.access.attachedDocuments(this.db, principal.principalId),
        via: 'console',
        sessionRef: session.sessionRef,
        mfaAuthenticated: session.mfaUsed,
      },
      csrfToken: session.csrfToken,
      sessionRef: session.sessionRef,
      createdAt: session.createdAt,
      idleExpiresAt,
      absoluteExpiresAt: session.absoluteExpiresAt,
    };
  }

  /** The stored session behind a cookie value, whatever its expiry (for sign-out's audit record). */
  async peek(sessionId: string): Promise<StoredSession | undefined> {
    if (!looksLikeSessionId(sessionId)) return undefined;
    return this.store.find(this.db, sessionHash(sessionId));
  }

  /** Ends the session behind a cookie value; false when there was none. */
  async end(db: DbExecutor, sessionId: string): Promise<boolean> {
    if (!looksLikeSessionId(sessionId)) return false;
    return this.store.delete(db, sessionHash(sessionId));
  }

  /** Ends every session of a principal (after its password changed); how many there were. */
  async endAllOf(db: DbExecutor, principalId: string): Promise<number> {
    return this.store.deleteOfPrincipal(db, principalId);
  }
}
