/** Kysely row types of the console sign-in tables (migration 0027), added to the shared schema per query. */
import type { DbExecutor } from '../storage/database.js';

/** A principal's console credentials: password hash and sealed TOTP secret. */
export interface ConsoleCredentialsTable {
  principal_id: string;
  password_hash: string | null;
  password_changed_at: number | null;
  totp_secret_sealed: string | null;
  totp_enrolled_at: number | null;
  totp_last_step: number | null;
}

/** Failed sign-ins of one subject (`user:ACCOUNT:NAME` or `address:IP`) in its current window. */
export interface ConsoleSignInLimitsTable {
  subject: string;
  window_started_at: number;
  failures: number;
  locked_until: number | null;
}

/** A signed-in console session; the session id itself is never stored, only its SHA-256. */
export interface ConsoleSessionsTable {
  session_hash: string;
  session_ref: string;
  principal_id: string;
  principal_arn: string;
  account_id: string;
  csrf_token: string;
  remote_address: string;
  mfa_used: number;
  created_at: number;
  last_seen_at: number;
  idle_expires_at: number;
  absolute_expires_at: number;
}

/** The console tables, as `withTables` adds them to a query builder. */
// A type alias, not an interface: withTables wants a type with an implicit index signature.
export type ConsoleTables = {
  console_credentials: ConsoleCredentialsTable;
  console_sign_in_limits: ConsoleSignInLimitsTable;
  console_sessions: ConsoleSessionsTable;
};

/** `db` (or a transaction) typed with the console tables. */
export function consoleDb(db: DbExecutor) {
  return db.withTables<ConsoleTables>();
}
