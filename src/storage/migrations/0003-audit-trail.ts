/**
 * The tamper-evident audit trail: CloudTrail fields on each audit record, a hash chain over the records, and
 * signed digests that seal ranges of the chain.
 *
 * - `audit_records` gains the columns a CloudTrail event is rendered from (the JSON is built at read time) and
 *   `prev_hash`/`hash`. Records written before this migration keep NULL hashes: they predate the chain.
 * - `audit_chain_heads`: one row per chain, updated by every append in the appending transaction. Row `records`
 *   holds the last sequence number and hash (the update locks it, so appends from any number of API nodes are
 *   serialized and sequence numbers are gap-free and in commit order); row `digests` holds the last digest
 *   number and signature (the sealer locks it the same way, so two sealers never fork the digest chain).
 * - `audit_digests`: one signed digest per sealing pass; `body` is the exact signed text.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

/** The `prev_hash` of the first chained record. */
const genesisHash = '0'.repeat(64);

export function auditTrailSchema(traits: DialectTraits): Migration {
  const big = traits.bigInteger;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // One statement per column: SQLite's ALTER TABLE adds one column at a time.
      for (const [column, type] of [
        ['event_id', 'text'],
        ['identity_type', 'text'],
        ['principal_id', 'text'],
        ['user_name', 'text'],
        ['read_only', 'integer'],
        ['request_parameters', 'text'],
        ['response_elements', 'text'],
        ['resource_type', 'text'],
        ['resource_name', 'text'],
        ['prev_hash', 'text'],
        ['hash', 'text'],
      ] as const) {
        await db.schema.alterTable('audit_records').addColumn(column, type).execute();
      }
      await db.schema
        .createIndex('audit_records_by_event_id')
        .on('audit_records')
        .column('event_id')
        .unique()
        .execute();
      await db.schema
        .createTable('audit_chain_heads')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('seq', big, (c) => c.notNull())
        .addColumn('hash', 'text')
        .execute();
      const last = await sql<{
        seq: number | string | null;
      }>`select max(seq) as seq from audit_records`.execute(db);
      await db
        .insertInto('audit_chain_heads' as never)
        .values([
          { name: 'records', seq: Number(last.rows[0]?.seq ?? 0), hash: genesisHash },
          { name: 'digests', seq: 0, hash: null },
        ] as never)
        .execute();
      await db.schema
        .createTable('audit_digests')
        .addColumn('digest_seq', big, (c) => c.primaryKey())
        .addColumn('start_seq', big, (c) => c.notNull())
        .addColumn('end_seq', big, (c) => c.notNull())
        .addColumn('created_at', big, (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
