/** Persistence of each node's last reported status per association. */
import { afterKey, inScope, type Scope } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import { toNodeStatus } from './association-rows.js';
import type { PageWindow } from './keyset-scan.js';
import type { AssociationNodeStatus } from './documents-model.js';

export class AssociationStatusesStore {
  /** The statuses of every node of the associations, by node. */
  async ofAssociations(db: DbExecutor, associationIds: readonly string[]): Promise<AssociationNodeStatus[]> {
    if (associationIds.length === 0) return [];
    const rows = await db
      .selectFrom('ssm_association_statuses')
      .selectAll()
      .where('association_id', 'in', [...associationIds])
      .orderBy('instance_id')
      .execute();
    return rows.map(toNodeStatus);
  }

  /** One node's status for one association. */
  async find(
    db: DbExecutor,
    associationId: string,
    instanceId: string,
  ): Promise<AssociationNodeStatus | undefined> {
    const row = await db
      .selectFrom('ssm_association_statuses')
      .selectAll()
      .where('association_id', '=', associationId)
      .where('instance_id', '=', instanceId)
      .executeTakeFirst();
    return row === undefined ? undefined : toNodeStatus(row);
  }

  /** Every association status reported by one node of the account and Region. */
  async ofInstance(db: DbExecutor, scope: Scope, instanceId: string): Promise<AssociationNodeStatus[]> {
    const rows = await db
      .selectFrom('ssm_association_statuses')
      .selectAll()
      .where(inScope(scope))
      .where('instance_id', '=', instanceId)
      .orderBy('association_id')
      .execute();
    return rows.map(toNodeStatus);
  }

  /** DescribeInstanceAssociationsStatus: the node's statuses of associations that still exist, by association id. */
  async ofInstancePage(
    db: DbExecutor,
    scope: Scope,
    instanceId: string,
    window: PageWindow,
  ): Promise<AssociationNodeStatus[]> {
    let query = db
      .selectFrom('ssm_association_statuses as s')
      .selectAll('s')
      .where(inScope(scope, 's'))
      .where('s.instance_id', '=', instanceId)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('ssm_associations as a')
            .select('a.association_id')
            .whereRef('a.association_id', '=', 's.association_id')
            .where(inScope(scope, 'a')),
        ),
      );
    if (window.after !== undefined) query = query.where(afterKey(['s.association_id'], window.after));
    const rows = await query.orderBy('s.association_id').limit(window.limit).execute();
    return rows.map(toNodeStatus);
  }

  async put(db: DbExecutor, scope: Scope, status: AssociationNodeStatus): Promise<void> {
    const values = {
      association_version: status.associationVersion,
      document_version: status.documentVersion,
      execution_id: status.executionId,
      status: status.status,
      detailed_status: status.detailedStatus,
      error_code: status.errorCode ?? null,
      execution_summary: status.executionSummary ?? null,
      executed_at: status.executedAt.getTime(),
    };
    await db
      .insertInto('ssm_association_statuses')
      .values({
        association_id: status.associationId,
        instance_id: status.instanceId,
        account_id: scope.accountId,
        region: scope.region,
        ...values,
      })
      .onConflict((oc) => oc.columns(['association_id', 'instance_id']).doUpdateSet(values))
      .execute();
  }
}
