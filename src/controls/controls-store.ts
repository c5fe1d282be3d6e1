/** Persistence of standards subscriptions, control settings, control evaluations and missing patches. */
import { inScope } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import { chunk } from '../storage/index.js';

/** An account in a Region. */
export interface ControlScopeKey {
  accountId: string;
  region: string;
}

/** An enabled standard. */
export interface StoredSubscription {
  standardsArn: string;
  standardsInput: Record<string, string>;
  subscribedAt: Date;
  /** The standard's controls as of the last reconciliation (undefined: not reconciled yet). */
  knownControlIds?: readonly string[] | undefined;
}

/** A control's changed status within one standard. */
export interface StoredControlSetting {
  standardsArn: string;
  controlId: string;
  status: 'ENABLED' | 'DISABLED';
  disabledReason: string | undefined;
  updatedAt: Date;
}

/** A stored parameter value, as UpdateSecurityControl takes it. */
export interface StoredParameterValue {
  ValueType: 'DEFAULT' | 'CUSTOM';
  Value: { Integer?: number; String?: string };
}

/** A security control's custom settings. */
export interface StoredControlParameters {
  controlId: string;
  parameters: Record<string, StoredParameterValue>;
  lastUpdateReason: string | undefined;
  updatedAt: Date;
}

/** The latest evaluation of a control on a resource. */
export interface StoredEvaluation {
  controlId: string;
  resourceId: string;
  /** The first of findingIds (the consolidated finding's Id unless the hub writes per-standard findings). */
  findingId: string;
  /** Every finding this result was last written to (one per standard with STANDARD_CONTROL). */
  findingIds: readonly string[];
  complianceStatus: string;
  recordState: 'ACTIVE' | 'ARCHIVED';
  fingerprint: string;
  createdAt: Date;
  statusChangedAt: Date;
  evaluatedAt: Date;
}

/** An ACTIVE control result, as the security score reads it. */
export type ActiveResult = Pick<
  StoredEvaluation,
  'controlId' | 'resourceId' | 'findingId' | 'complianceStatus'
>;

/** A missing patch of a managed node. */
export interface MissingPatch {
  instanceId: string;
  patchId: string;
  title: string;
  complianceLevel: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

/** The rows `read` returns for every id (all rows when `ids` is undefined), over bounded IN lists. */
async function readByIds<R>(
  ids: readonly string[] | undefined,
  read: (slice: readonly string[] | undefined) => Promise<R[]>,
): Promise<R[]> {
  if (ids === undefined) return read(undefined);
  const rows: R[] = [];
  for (const slice of chunk(ids, 500)) rows.push(...(await read(slice)));
  return rows;
}

/** Reads and writes the controls tables; every write is in the caller's transaction. */
export class ControlsStore {
  async subscriptions(db: DbExecutor, scope: ControlScopeKey): Promise<StoredSubscription[]> {
    const rows = await db
      .selectFrom('standards_subscriptions')
      .selectAll()
      .where(inScope(scope))
      .orderBy('standards_arn')
      .execute();
    return rows.map((row) => ({
      standardsArn: row.standards_arn,
      standardsInput: JSON.parse(row.standards_input) as Record<string, string>,
      subscribedAt: new Date(Number(row.subscribed_at)),
      knownControlIds:
        row.known_control_ids === null ? undefined : (JSON.parse(row.known_control_ids) as string[]),
    }));
  }

  /** Records the controls of an enabled standard Bulwark has now reconciled. */
  async setKnownControls(
    db: DbExecutor,
    scope: ControlScopeKey,
    standardsArn: string,
    controlIds: readonly string[],
  ): Promise<void> {
    await db
      .updateTable('standards_subscriptions')
      .set({ known_control_ids: JSON.stringify(controlIds) })
      .where(inScope(scope))
      .where('standards_arn', '=', standardsArn)
      .execute();
  }

  async subscribe(db: DbExecutor, scope: ControlScopeKey, subscription: StoredSubscription): Promise<void> {
    await db
      .insertInto('standards_subscriptions')
      .values({
        account_id: scope.accountId,
        region: scope.region,
        standards_arn: subscription.standardsArn,
        standards_input: JSON.stringify(subscription.standardsInput),
        subscribed_at: subscription.subscribedAt.getTime(),
        known_control_ids:
          subscription.knownControlIds === undefined ? null : JSON.stringify(subscription.knownControlIds),
      })
      .onConflict((oc) => oc.columns(['account_id', 'region', 'standards_arn']).doNothing())
      .execute();
  }

  async unsubscribe(db: DbExecutor, scope: ControlScopeKey, standardsArn: string): Promise<void> {
    await db
      .deleteFrom('standards_subscriptions')
      .where(inScope(scope))
      .where('standards_arn', '=', standardsArn)
      .execute();
  }

  async controlSettings(db: DbExecutor, scope: ControlScopeKey): Promise<StoredControlSetting[]> {
    const rows = await db
      .selectFrom('standards_control_settings')
      .selectAll()
      .where(inScope(scope))
      .execute();
    return rows.map((row) => ({
      standardsArn: row.standards_arn,
      controlId: row.control_id,
      status: row.status as 'ENABLED' | 'DISABLED',
      disabledReason: row.disabled_reason ?? undefined,
      updatedAt: new Date(Number(row.updated_at)),
    }));
  }

  async putControlSetting(
    db: DbExecutor,
    scope: ControlScopeKey,
    setting: StoredControlSetting,
  ): Promise<void> {
    const values = {
      status: setting.status,
      disabled_reason: setting.disabledReason ?? null,
      updated_at: setting.updatedAt.getTime(),
    };
    await db
      .insertInto('standards_control_settings')
      .values({
        account_id: scope.accountId,
        region: scope.region,
        standards_arn: setting.standardsArn,
        control_id: setting.controlId,
        ...values,
      })
      .onConflict((oc) =>
        oc.columns(['account_id', 'region', 'standards_arn', 'control_id']).doUpdateSet(values),
      )
      .execute();
  }

  async controlParameters(db: DbExecutor, scope: ControlScopeKey): Promise<StoredControlParameters[]> {
    const rows = await db.selectFrom('security_control_settings').selectAll().where(inScope(scope)).execute();
    return rows.map((row) => ({
      controlId: row.control_id,
      parameters: JSON.parse(row.parameters) as Record<string, StoredParameterValue>,
      lastUpdateReason: row.last_update_reason ?? undefined,
      updatedAt: new Date(Number(row.updated_at)),
    }));
  }

  async putControlParameters(
    db: DbExecutor,
    scope: ControlScopeKey,
    settings: StoredControlParameters,
  ): Promise<void> {
    const values = {
      parameters: JSON.stringify(settings.parameters),
      last_update_reason: settings.lastUpdateReason ?? null,
      updated_at: settings.updatedAt.getTime(),
    };
    await db
      .insertInto('security_control_settings')
      .values({
        account_id: scope.accountId,
        region: scope.region,
        control_id: settings.controlId,
        ...values,
      })
      .onConflict((oc) => oc.columns(['account_id', 'region', 'control_id']).doUpdateSet(values))
      .execute();
  }

  /** Evaluations of the scope: of some controls, and of some resources, or all. */
  async evaluations(
    db: DbExecutor,
    scope: ControlScopeKey,
    filter: { controlIds?: readonly string[]; resourceIds?: readonly string[] } = {},
  ): Promise<StoredEvaluation[]> {
    const read = async (resourceIds: readonly string[] | undefined) => {
      let query = db.selectFrom('control_evaluations').selectAll().where(inScope(scope));
      if (filter.controlIds !== undefined) {
        if (filter.controlIds.length === 0) return [];
        query = query.where('control_id', 'in', [...filter.controlIds]);
      }
      if (resourceIds !== undefined) query = query.where('resource_id', 'in', [...resourceIds]);
      return query.execute();
    };
    const rows = await readByIds(filter.resourceIds, read);
    return rows.map((row) => ({
      controlId: row.control_id,
      resourceId: row.resource_id,
      findingId: row.finding_id,
      findingIds: row.finding_ids === null ? [row.finding_id] : (JSON.parse(row.finding_ids) as string[]),
      complianceStatus: row.compliance_status,
      recordState: row.record_state as 'ACTIVE' | 'ARCHIVED',
      fingerprint: row.fingerprint,
      createdAt: new Date(Number(row.created_at)),
      statusChangedAt: new Date(Number(row.status_changed_at)),
      evaluatedAt: new Date(Number(row.evaluated_at)),
    }));
  }

  /** The ACTIVE results of some controls of the scope: only what the security score reads of each. */
  async activeResults(
    db: DbExecutor,
    scope: ControlScopeKey,
    controlIds: readonly string[],
  ): Promise<ActiveResult[]> {
    if (controlIds.length === 0) return [];
    const rows = await db
      .selectFrom('control_evaluations')
      .select(['control_id', 'resource_id', 'finding_id', 'compliance_status'])
      .where(inScope(scope))
      .where('control_id', 'in', [...controlIds])
      .where('record_state', '=', 'ACTIVE')
      .execute();
    return rows.map((row) => ({
      controlId: row.control_id,
      resourceId: row.resource_id,
      findingId: row.finding_id,
      complianceStatus: row.compliance_status,
    }));
  }

  async saveEvaluations(
    db: DbExecutor,
    scope: ControlScopeKey,
    evaluations: readonly StoredEvaluation[],
  ): Promise<void> {
    for (const batch of chunk(evaluations, 200)) {
      await db
        .insertInto('control_evaluations')
        .values(
          batch.map((evaluation) => ({
            account_id: scope.accountId,
            region: scope.region,
            control_id: evaluation.controlId,
            resource_id: evaluation.resourceId,
            finding_id: evaluation.findingId,
            finding_ids: JSON.stringify(evaluation.findingIds),
            compliance_status: evaluation.complianceStatus,
            record_state: evaluation.recordState,
            fingerprint: evaluation.fingerprint,
            created_at: evaluation.createdAt.getTime(),
            status_changed_at: evaluation.statusChangedAt.getTime(),
            evaluated_at: evaluation.evaluatedAt.getTime(),
          })),
        )
        .onConflict((oc) =>
          oc.columns(['account_id', 'region', 'control_id', 'resource_id']).doUpdateSet((eb) => ({
            finding_id: eb.ref('excluded.finding_id'),
            finding_ids: eb.ref('excluded.finding_ids'),
            compliance_status: eb.ref('excluded.compliance_status'),
            record_state: eb.ref('excluded.record_state'),
            fingerprint: eb.ref('excluded.fingerprint'),
            status_changed_at: eb.ref('excluded.status_changed_at'),
            evaluated_at: eb.ref('excluded.evaluated_at'),
          })),
        )
        .execute();
    }
  }

  /** The open missing patches of the scope's nodes (all, or those listed). */
  async missingPatches(
    db: DbExecutor,
    scope: ControlScopeKey,
    instanceIds?: readonly string[],
  ): Promise<MissingPatch[]> {
    const read = async (ids: readonly string[] | undefined) => {
      let query = db.selectFrom('missing_patches').selectAll().where(inScope(scope));
      if (ids !== undefined) query = query.where('instance_id', 'in', [...ids]);
      return query.execute();
    };
    const rows = await readByIds(instanceIds, read);
    return rows.map((row) => ({
      instanceId: row.instance_id,
      patchId: row.patch_id,
      title: row.title,
      complianceLevel: row.compliance_level,
      firstSeenAt: new Date(Number(row.first_seen_at)),
      lastSeenAt: new Date(Number(row.last_seen_at)),
    }));
  }

  /** Replaces a node's missing patches with `patches`, keeping the first-seen time of those still missing. */
  async replaceMissingPatches(
    db: DbExecutor,
    scope: ControlScopeKey,
    instanceId: string,
    patches: readonly MissingPatch[],
  ): Promise<void> {
    await db
      .deleteFrom('missing_patches')
      .where(inScope(scope))
      .where('instance_id', '=', instanceId)
      .execute();
    for (const batch of chunk(patches, 200)) {
      await db
        .insertInto('missing_patches')
        .values(
          batch.map((patch) => ({
            account_id: scope.accountId,
            region: scope.region,
            instance_id: instanceId,
            patch_id: patch.patchId,
            title: patch.title,
            compliance_level: patch.complianceLevel,
            first_seen_at: patch.firstSeenAt.getTime(),
            last_seen_at: patch.lastSeenAt.getTime(),
          })),
        )
        .execute();
    }
  }
}
