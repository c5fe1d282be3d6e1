/** Persistence of associations and their versions; executions and per-node statuses have their own stores. */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { afterKey, inScope, type Scope } from '../kernel/index.js';
import type { Database, DbExecutor, SsmAssociationsTable } from '../storage/database.js';
import { AssociationExecutionsStore } from './association-executions-store.js';
import { toAssociation, toRow } from './association-rows.js';
import { AssociationStatusesStore } from './association-statuses-store.js';
import type { PageWindow } from './keyset-scan.js';
import type { Association, AssociationSpec } from './documents-model.js';

/** One condition on associations (ListAssociations filters and the like), AND-ed with the others. */
export type AssociationCondition =
  | { column: 'instance_id' | 'association_id' | 'association_name'; value: string }
  | { document: { owner: string; name: string } }
  | { lastExecuted: '<' | '>'; at: number }
  | { overview: string }
  /** Associations that may target `instanceId`: those naming no single instance, or naming it. */
  | { mayTarget: string };

/** ListAssociations' order: oldest first, then by id. */
export const associationOrder = ['created_at', 'association_id'] as const;

type Eb = ExpressionBuilder<Database, 'ssm_associations'>;

/** Node statuses of the association row `ssm_associations` (Overview aggregation, see `aggregateStatus`). */
function statusesWhere(eb: Eb, statuses: 'any' | { in: string[] } | { notIn: string[] }) {
  let query = eb
    .selectFrom('ssm_association_statuses as s')
    .select('s.instance_id')
    .whereRef('s.association_id', '=', 'ssm_associations.association_id');
  if (statuses !== 'any')
    query =
      'in' in statuses
        ? query.where('s.status', 'in', statuses.in)
        : query.where('s.status', 'not in', statuses.notIn);
  return eb.exists(query);
}

/** The Overview status in SQL: Failed if a node failed or timed out, Success if all succeeded or skipped, else Pending. */
function overviewIs(eb: Eb, status: string): Expression<SqlBool> {
  const failed = statusesWhere(eb, { in: ['Failed', 'TimedOut'] });
  const unfinished = statusesWhere(eb, { notIn: ['Success', 'Skipped'] });
  if (status === 'Failed') return failed;
  if (status === 'Success') return eb.and([statusesWhere(eb, 'any'), eb.not(unfinished)]);
  if (status === 'Pending')
    return eb.and([eb.not(failed), eb.or([eb.not(statusesWhere(eb, 'any')), unfinished])]);
  return sql<SqlBool>`1 = 0`;
}

function conditionSql(eb: Eb, condition: AssociationCondition): Expression<SqlBool> {
  if ('column' in condition) return eb(condition.column, '=', condition.value);
  if ('document' in condition)
    return eb.and([
      eb('document_owner', '=', condition.document.owner),
      eb('document_name', '=', condition.document.name),
    ]);
  if ('lastExecuted' in condition) return eb('last_execution_at', condition.lastExecuted, condition.at);
  if ('overview' in condition) return overviewIs(eb, condition.overview);
  return eb.or([eb('instance_id', 'is', null), eb('instance_id', '=', condition.mayTarget)]);
}

export class AssociationsStore {
  readonly executions = new AssociationExecutionsStore();
  readonly statuses = new AssociationStatusesStore();

  async find(db: DbExecutor, scope: Scope, associationId: string): Promise<Association | undefined> {
    const row = await db
      .selectFrom('ssm_associations')
      .selectAll()
      .where('association_id', '=', associationId)
      .where(inScope(scope))
      .executeTakeFirst();
    return row === undefined ? undefined : toAssociation(row);
  }

  /** The associations of the account and Region among `associationIds`. */
  async findMany(db: DbExecutor, scope: Scope, associationIds: readonly string[]): Promise<Association[]> {
    if (associationIds.length === 0) return [];
    const rows = await db
      .selectFrom('ssm_associations')
      .selectAll()
      .where('association_id', 'in', [...associationIds])
      .where(inScope(scope))
      .execute();
    return rows.map(toAssociation);
  }

  /** The legacy association of document `documentName` (as named by the caller) with `instanceId`. */
  async findLegacy(
    db: DbExecutor,
    scope: Scope,
    documentOwner: string,
    documentName: string,
    instanceId: string,
  ): Promise<Association | undefined> {
    const row = await db
      .selectFrom('ssm_associations')
      .selectAll()
      .where(inScope(scope))
      .where('document_owner', '=', documentOwner)
      .where('document_name', '=', documentName)
      .where('instance_id', '=', instanceId)
      .executeTakeFirst();
    return row === undefined ? undefined : toAssociation(row);
  }

  /** The associations of the account and Region meeting `conditions`, oldest first, after `window.after`. */
  async page(
    db: DbExecutor,
    scope: Scope,
    conditions: readonly AssociationCondition[],
    window: PageWindow,
  ): Promise<Association[]> {
    let query = db
      .selectFrom('ssm_associations')
      .selectAll()
      .where(inScope(scope))
      .where((eb) => eb.and(conditions.map((condition) => conditionSql(eb, condition))));
    if (window.after !== undefined) query = query.where(afterKey(associationOrder, window.after));
    const rows = await query.orderBy('created_at').orderBy('association_id').limit(window.limit).execute();
    return rows.map(toAssociation);
  }

  /** Associations of every account whose next run is at or before `now`, soonest first. */
  async due(db: DbExecutor, now: Date, limit: number): Promise<Association[]> {
    const rows = await db
      .selectFrom('ssm_associations')
      .selectAll()
      .where('next_run_at', '<=', now.getTime())
      .orderBy('next_run_at')
      .orderBy('association_id')
      .limit(limit)
      .execute();
    return rows.map(toAssociation);
  }

  /** Moves the association's next run from `expected` to `next`; false when another worker moved it first. */
  async claimRun(
    db: DbExecutor,
    associationId: string,
    expected: Date | undefined,
    next: Date | undefined,
  ): Promise<boolean> {
    if (expected === undefined) return false;
    const result = await db
      .updateTable('ssm_associations')
      .set({ next_run_at: next?.getTime() ?? null })
      .where('association_id', '=', associationId)
      .where('next_run_at', '=', expected.getTime())
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async count(db: DbExecutor, scope: Scope): Promise<number> {
    const row = await db
      .selectFrom('ssm_associations')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where(inScope(scope))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Whether any association (of any account) runs the document. */
  async usesDocument(db: DbExecutor, owner: string, region: string, name: string): Promise<boolean> {
    const row = await db
      .selectFrom('ssm_associations')
      .select('association_id')
      .where('document_owner', '=', owner)
      .where('region', '=', region)
      .where('document_name', '=', name)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async insert(db: DbExecutor, association: Association): Promise<void> {
    await db.insertInto('ssm_associations').values(toRow(association)).execute();
    await this.insertVersion(db, association);
  }

  /** Saves the current version of `association` (and records it as a version when `newVersion`). */
  async save(db: DbExecutor, association: Association, newVersion: boolean): Promise<void> {
    const row: Partial<SsmAssociationsTable> = toRow(association);
    delete row.association_id;
    // Only a new version reschedules; otherwise the run job owns next_run_at (its compare-and-set).
    if (!newVersion) delete row.next_run_at;
    await db
      .updateTable('ssm_associations')
      .set(row)
      .where('association_id', '=', association.associationId)
      .execute();
    if (newVersion) await this.insertVersion(db, association);
  }

  private async insertVersion(db: DbExecutor, association: Association): Promise<void> {
    await db
      .insertInto('ssm_association_versions')
      .values({
        association_id: association.associationId,
        version: association.version,
        spec: JSON.stringify(association.spec),
        created_at: association.updatedAt.getTime(),
      })
      .execute();
  }

  /** One version of an association. */
  async version(
    db: DbExecutor,
    associationId: string,
    version: number,
  ): Promise<AssociationVersion | undefined> {
    const row = await this.versionsOf(db, associationId).where('version', '=', version).executeTakeFirst();
    return row === undefined ? undefined : toVersion(row);
  }

  /** ListAssociationVersions: newest first, after `window.after`. */
  async versionsPage(
    db: DbExecutor,
    associationId: string,
    window: PageWindow,
  ): Promise<AssociationVersion[]> {
    let query = this.versionsOf(db, associationId);
    if (window.after !== undefined) query = query.where(afterKey(['version'], window.after, 'desc'));
    const rows = await query.orderBy('version', 'desc').limit(window.limit).execute();
    return rows.map(toVersion);
  }

  private versionsOf(db: DbExecutor, associationId: string) {
    return db.selectFrom('ssm_association_versions').selectAll().where('association_id', '=', associationId);
  }

  async delete(db: DbExecutor, associationId: string): Promise<void> {
    for (const table of [
      'ssm_association_execution_targets',
      'ssm_association_executions',
      'ssm_association_statuses',
      'ssm_association_versions',
      'ssm_associations',
    ] as const) {
      await db.deleteFrom(table).where('association_id', '=', associationId).execute();
    }
  }
}

/** One recorded version of an association. */
export interface AssociationVersion {
  version: number;
  spec: AssociationSpec;
  createdAt: Date;
}

const toVersion = (row: { version: number; spec: string; created_at: number }): AssociationVersion => ({
  version: Number(row.version),
  spec: JSON.parse(row.spec) as AssociationSpec,
  createdAt: new Date(Number(row.created_at)),
});
