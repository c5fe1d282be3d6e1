/**
 * Retention ages a finding by when Bulwark last stored or changed it (`stored_at_ms`), not by the finding's own
 * UpdatedAt, which an importer may set years back. `held` marks the current finding of a state Bulwark keeps
 * itself (an enabled control's result, a patch a node still misses): those are rewritten only when they change,
 * so retention keeps them while their account's hub is enabled. Rows from before this migration are backfilled:
 * `stored_at_ms` from their latest history entry (written at Bulwark's clock), `held` for the ACTIVE findings
 * the hub's service role wrote. Control results also remember every finding they were written to
 * (`control_evaluations.finding_ids`), so switching ControlFindingGenerator archives the other shape.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

export function findingRetentionSchema(traits: DialectTraits): Migration {
  const big = traits.bigInteger;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('findings')
        .addColumn('stored_at_ms', big, (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('findings')
        .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await sql`update findings set stored_at_ms = coalesce((select max(h.update_time_ms) from finding_history h where h.finding_pk = findings.pk), updated_at_ms)`.execute(
        db,
      );
      await sql`update findings set held = 1 where record_state = 'ACTIVE' and exists (select 1 from finding_history h where h.finding_pk = findings.pk and h.source_identity like ${'%:role/aws-service-role/securityhub.amazonaws.com/%'})`.execute(
        db,
      );
      // Retention, per account: the findings nothing holds, oldest stored first (and the held ones of a
      // disabled hub's Regions).
      await db.schema
        .createIndex('findings_by_account_held_stored_at_ms')
        .on('findings')
        .columns(['aws_account_id', 'held', 'stored_at_ms', 'pk'])
        .execute();
      // Control results remember every finding they were written to (per-standard findings, STANDARD_CONTROL).
      await db.schema.alterTable('control_evaluations').addColumn('finding_ids', 'text').execute();
      // The controls of each enabled standard Bulwark knows of, so a release that adds controls to a standard
      // enables them only under AutoEnableControls (null: learnt on the next evaluation).
      await db.schema.alterTable('standards_subscriptions').addColumn('known_control_ids', 'text').execute();
      if (traits.engine === 'sqlite') {
        // The findings' planner statistics are pinned (migration 0001); this index gets its row in the same shape.
        await sql`insert into sqlite_stat1 (tbl, idx, stat) values ('findings', 'findings_by_account_held_stored_at_ms', '1000000 200000 100000 1 1')`.execute(
          db,
        );
        await sql`analyze sqlite_schema`.execute(db);
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('control_evaluations').dropColumn('finding_ids').execute();
      await db.schema.alterTable('standards_subscriptions').dropColumn('known_control_ids').execute();
      await db.schema.dropIndex('findings_by_account_held_stored_at_ms').execute();
      if (traits.engine === 'sqlite') {
        await sql`delete from sqlite_stat1 where idx = 'findings_by_account_held_stored_at_ms'`.execute(db);
      }
      await db.schema.alterTable('findings').dropColumn('held').execute();
      await db.schema.alterTable('findings').dropColumn('stored_at_ms').execute();
    },
  };
}
