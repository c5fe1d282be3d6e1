/**
 * The web console's sign-in state, shared by every API node through the database.
 *
 * - `console_credentials`: per principal (user), its password hash (scrypt, parameters inside the hash text) and
 *   its TOTP secret sealed with the master key, with the last accepted TOTP step (a code is accepted once).
 * - `console_sign_in_limits`: failed attempts per subject (`user:ACCOUNT:NAME` or `address:IP`) in the current
 *   window, and until when the subject is locked.
 * - `console_sessions`: signed-in sessions, keyed by the SHA-256 of the session id (the id itself is only ever in
 *   the browser's cookie), with their idle and absolute expiry.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

export function consoleSignInSchema(traits: DialectTraits): Migration {
  const big = traits.bigInteger;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('console_credentials')
        .addColumn('principal_id', 'text', (c) => c.primaryKey())
        .addColumn('password_hash', 'text')
        .addColumn('password_changed_at', big)
        .addColumn('totp_secret_sealed', 'text')
        .addColumn('totp_enrolled_at', big)
        .addColumn('totp_last_step', big)
        .execute();
      await db.schema
        .createTable('console_sign_in_limits')
        .addColumn('subject', 'text', (c) => c.primaryKey())
        .addColumn('window_started_at', big, (c) => c.notNull())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('locked_until', big)
        .execute();
      await db.schema
        .createTable('console_sessions')
        .addColumn('session_hash', 'text', (c) => c.primaryKey())
        .addColumn('session_ref', 'text', (c) => c.notNull().unique())
        .addColumn('principal_id', 'text', (c) => c.notNull())
        .addColumn('principal_arn', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('remote_address', 'text', (c) => c.notNull())
        .addColumn('mfa_used', 'integer', (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('last_seen_at', big, (c) => c.notNull())
        .addColumn('idle_expires_at', big, (c) => c.notNull())
        .addColumn('absolute_expires_at', big, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('console_sessions_by_principal')
        .on('console_sessions')
        .column('principal_id')
        .execute();
      await db.schema
        .createIndex('console_sessions_by_idle_expiry')
        .on('console_sessions')
        .column('idle_expires_at')
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('console_sessions').execute();
      await db.schema.dropTable('console_sign_in_limits').execute();
      await db.schema.dropTable('console_credentials').execute();
    },
  };
}
