/**
 * The latest result of the worker's periodic audit trail verification, one row (`name` 'latest') that every API
 * node reads: when it ran, its verdict, its counts and (for operators only, never answered to API callers) the
 * problems it named.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

export function auditVerificationSchema(traits: DialectTraits): Migration {
  const big = traits.bigInteger;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('audit_verifications')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('checked_at', big, (c) => c.notNull())
        .addColumn('ok', 'integer', (c) => c.notNull())
        .addColumn('unsealed_too_long', 'integer', (c) => c.notNull())
        .addColumn('records', big, (c) => c.notNull())
        .addColumn('legacy_records', big, (c) => c.notNull())
        .addColumn('digests', big, (c) => c.notNull())
        .addColumn('sealed_through', big, (c) => c.notNull())
        .addColumn('problem_count', 'integer', (c) => c.notNull())
        .addColumn('problems', 'text', (c) => c.notNull())
        .addColumn('notes', 'text', (c) => c.notNull())
        .addColumn('key_fingerprint', 'text', (c) => c.notNull())
        .addColumn('duration_ms', big, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('audit_verifications').execute();
    },
  };
}
