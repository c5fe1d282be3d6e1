/** Persistence of console sessions, keyed by the SHA-256 of the session id (the id is only in the cookie). */
import type { DbExecutor } from '../storage/database.js';
import { consoleDb, type ConsoleSessionsTable } from './console-tables.js';

/** A console session as stored. */
export interface StoredSession {
  sessionHash: string;
  sessionRef: string;
  principalId: string;
  principalArn: string;
  accountId: string;
  csrfToken: string;
  remoteAddress: string;
  mfaUsed: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
}

function toSession(row: ConsoleSessionsTable): StoredSession {
  return {
    sessionHash: row.session_hash,
    sessionRef: row.session_ref,
    principalId: row.principal_id,
    principalArn: row.principal_arn,
    accountId: row.account_id,
    csrfToken: row.csrf_token,
    remoteAddress: row.remote_address,
    mfaUsed: Number(row.mfa_used) === 1,
    createdAt: new Date(Number(row.created_at)),
    lastSeenAt: new Date(Number(row.last_seen_at)),
    idleExpiresAt: new Date(Number(row.idle_expires_at)),
    absoluteExpiresAt: new Date(Number(row.absolute_expires_at)),
  };
}

/** Reads and writes `console_sessions`. */
export class SessionStore {
  async insert(db: DbExecutor, session: StoredSession): Promise<void> {
    await consoleDb(db)
      .insertInto('console_sessions')
      .values({
        session_hash: session.sessionHash,
        session_ref: session.sessionRef,
        principal_id: session.principalId,
        principal_arn: session.principalArn,
        account_id: session.accountId,
        csrf_token: session.csrfToken,
        remote_address: session.remoteAddress,
        mfa_used: session.mfaUsed ? 1 : 0,
        created_at: session.createdAt.getTime(),
        last_seen_at: session.lastSeenAt.getTime(),
        idle_expires_at: session.idleExpiresAt.getTime(),
        absolute_expires_at: session.absoluteExpiresAt.getTime(),
      })
      .execute();
  }

  async find(db: DbExecutor, sessionHash: string): Promise<StoredSession | undefined> {
    const row = await consoleDb(db)
      .selectFrom('console_sessions')
      .selectAll()
      .where('session_hash', '=', sessionHash)
      .executeTakeFirst();
    return row === undefined ? undefined : toSession(row);
  }

  /** Slides the idle expiry of a session that was just used. */
  async touch(db: DbExecutor, sessionHash: string, lastSeenAt: Date, idleExpiresAt: Date): Promise<void> {
    await consoleDb(db)
      .updateTable('console_sessions')
      .set({ last_seen_at: lastSeenAt.getTime(), idle_expires_at: idleExpiresAt.getTime() })
      .where('session_hash', '=', sessionHash)
      .execute();
  }

  /** Deletes one session; false when there was none. */
  async delete(db: DbExecutor, sessionHash: string): Promise<boolean> {
    const result = await consoleDb(db)
      .deleteFrom('console_sessions')
      .where('session_hash', '=', sessionHash)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Deletes every session of a principal; how many there were. */
  async deleteOfPrincipal(db: DbExecutor, principalId: string): Promise<number> {
    const result = await consoleDb(db)
      .deleteFrom('console_sessions')
      .where('principal_id', '=', principalId)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Deletes sessions expired at `now` (the idle expiry never passes the absolute one); how many. */
  async purge(db: DbExecutor, now: Date): Promise<number> {
    const result = await consoleDb(db)
      .deleteFrom('console_sessions')
      .where('idle_expires_at', '<=', now.getTime())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
