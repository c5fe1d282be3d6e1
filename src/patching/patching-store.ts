/** Persistence of custom baselines, patch group registrations, custom defaults and frozen snapshots. */
import { inScope } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import type {
  BaselineDefinition,
  DefaultBaselineRegistration,
  OperatingSystem,
  PatchBaseline,
  PatchGroupRegistration,
} from './patching-model.js';

/** One account in one Region. */
export interface PatchScope {
  accountId: string;
  region: string;
}

/** A custom baseline as stored, with the idempotency facts of the request that created it. */
export interface StoredBaseline {
  baseline: PatchBaseline;
  clientToken: string | undefined;
  requestFingerprint: string | undefined;
}

interface BaselineRow {
  account_id: string;
  baseline_id: string;
  definition: string;
  client_token: string | null;
  request_fingerprint: string | null;
  created_at: number;
  modified_at: number;
}

function toStoredBaseline(row: BaselineRow): StoredBaseline {
  const definition = JSON.parse(row.definition) as BaselineDefinition;
  return {
    baseline: {
      ...definition,
      baselineId: row.baseline_id,
      ownerAccountId: row.account_id,
      awsOwned: false,
      createdAt: new Date(Number(row.created_at)),
      modifiedAt: new Date(Number(row.modified_at)),
    },
    clientToken: row.client_token ?? undefined,
    requestFingerprint: row.request_fingerprint ?? undefined,
  };
}

/** The definition part of a baseline, as stored in the `definition` column. */
function definitionOf(baseline: PatchBaseline): BaselineDefinition {
  const definition: BaselineDefinition = {
    name: baseline.name,
    operatingSystem: baseline.operatingSystem,
    globalFilters: baseline.globalFilters,
    approvalRules: baseline.approvalRules,
    approvedPatches: baseline.approvedPatches,
    approvedPatchesComplianceLevel: baseline.approvedPatchesComplianceLevel,
    approvedPatchesEnableNonSecurity: baseline.approvedPatchesEnableNonSecurity,
    rejectedPatches: baseline.rejectedPatches,
    rejectedPatchesAction: baseline.rejectedPatchesAction,
    sources: baseline.sources,
  };
  if (baseline.description !== undefined) definition.description = baseline.description;
  if (baseline.availableSecurityUpdatesComplianceStatus !== undefined)
    definition.availableSecurityUpdatesComplianceStatus = baseline.availableSecurityUpdatesComplianceStatus;
  return definition;
}

/** Reads and writes the patching tables. */
export class PatchingStore {
  async findBaseline(
    db: DbExecutor,
    scope: PatchScope,
    baselineId: string,
  ): Promise<StoredBaseline | undefined> {
    const row = await db
      .selectFrom('patch_baselines')
      .selectAll()
      .where(inScope(scope))
      .where('baseline_id', '=', baselineId)
      .executeTakeFirst();
    return row === undefined ? undefined : toStoredBaseline(row);
  }

  async findBaselineByClientToken(
    db: DbExecutor,
    scope: PatchScope,
    clientToken: string,
  ): Promise<StoredBaseline | undefined> {
    const row = await db
      .selectFrom('patch_baselines')
      .selectAll()
      .where(inScope(scope))
      .where('client_token', '=', clientToken)
      .executeTakeFirst();
    return row === undefined ? undefined : toStoredBaseline(row);
  }

  /** Every custom baseline of the scope, by name then id. */
  async listBaselines(db: DbExecutor, scope: PatchScope): Promise<PatchBaseline[]> {
    const rows = await db
      .selectFrom('patch_baselines')
      .selectAll()
      .where(inScope(scope))
      .orderBy('name')
      .orderBy('baseline_id')
      .execute();
    return rows.map((row) => toStoredBaseline(row).baseline);
  }

  async countBaselines(db: DbExecutor, scope: PatchScope): Promise<number> {
    const row = await db
      .selectFrom('patch_baselines')
      .select((eb) => eb.fn.countAll<string | number>().as('count'))
      .where(inScope(scope))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async insertBaseline(
    db: DbExecutor,
    scope: PatchScope,
    baseline: PatchBaseline,
    idempotency: { clientToken: string; requestFingerprint: string } | undefined,
  ): Promise<void> {
    await db
      .insertInto('patch_baselines')
      .values({
        account_id: scope.accountId,
        region: scope.region,
        baseline_id: baseline.baselineId,
        name: baseline.name,
        operating_system: baseline.operatingSystem,
        definition: JSON.stringify(definitionOf(baseline)),
        client_token: idempotency?.clientToken ?? null,
        request_fingerprint: idempotency?.requestFingerprint ?? null,
        created_at: baseline.createdAt.getTime(),
        modified_at: baseline.modifiedAt.getTime(),
      })
      .execute();
  }

  async updateBaseline(db: DbExecutor, scope: PatchScope, baseline: PatchBaseline): Promise<void> {
    await db
      .updateTable('patch_baselines')
      .set({
        name: baseline.name,
        definition: JSON.stringify(definitionOf(baseline)),
        modified_at: baseline.modifiedAt.getTime(),
      })
      .where(inScope(scope))
      .where('baseline_id', '=', baseline.baselineId)
      .execute();
  }

  async deleteBaseline(db: DbExecutor, scope: PatchScope, baselineId: string): Promise<void> {
    await db
      .deleteFrom('patch_baselines')
      .where(inScope(scope))
      .where('baseline_id', '=', baselineId)
      .execute();
    await db
      .deleteFrom('patch_snapshots')
      .where(inScope(scope))
      .where('baseline_id', '=', baselineId)
      .execute();
  }

  /** Every patch group registration of the scope, by group then OS. */
  async listPatchGroups(db: DbExecutor, scope: PatchScope): Promise<PatchGroupRegistration[]> {
    const rows = await db
      .selectFrom('patch_group_baselines')
      .select(['patch_group', 'operating_system', 'baseline_id'])
      .where(inScope(scope))
      .orderBy('patch_group')
      .orderBy('operating_system')
      .execute();
    return rows.map((row) => ({
      patchGroup: row.patch_group,
      operatingSystem: row.operating_system as OperatingSystem,
      baselineId: row.baseline_id,
    }));
  }

  async insertPatchGroup(
    db: DbExecutor,
    scope: PatchScope,
    registration: PatchGroupRegistration,
    now: Date,
  ): Promise<void> {
    await db
      .insertInto('patch_group_baselines')
      .values({
        account_id: scope.accountId,
        region: scope.region,
        patch_group: registration.patchGroup,
        operating_system: registration.operatingSystem,
        baseline_id: registration.baselineId,
        registered_at: now.getTime(),
      })
      .execute();
  }

  async deletePatchGroup(
    db: DbExecutor,
    scope: PatchScope,
    registration: PatchGroupRegistration,
  ): Promise<void> {
    await db
      .deleteFrom('patch_group_baselines')
      .where(inScope(scope))
      .where('patch_group', '=', registration.patchGroup)
      .where('operating_system', '=', registration.operatingSystem)
      .where('baseline_id', '=', registration.baselineId)
      .execute();
  }

  async listDefaults(db: DbExecutor, scope: PatchScope): Promise<DefaultBaselineRegistration[]> {
    const rows = await db
      .selectFrom('patch_default_baselines')
      .select(['operating_system', 'baseline_id'])
      .where(inScope(scope))
      .orderBy('operating_system')
      .execute();
    return rows.map((row) => ({
      operatingSystem: row.operating_system as OperatingSystem,
      baselineId: row.baseline_id,
    }));
  }

  /** Sets the custom default of an OS (upsert). */
  async putDefault(
    db: DbExecutor,
    scope: PatchScope,
    registration: DefaultBaselineRegistration,
    now: Date,
  ): Promise<void> {
    await db
      .insertInto('patch_default_baselines')
      .values({
        account_id: scope.accountId,
        region: scope.region,
        operating_system: registration.operatingSystem,
        baseline_id: registration.baselineId,
        updated_at: now.getTime(),
      })
      .onConflict((oc) =>
        oc.columns(['account_id', 'region', 'operating_system']).doUpdateSet({
          baseline_id: registration.baselineId,
          updated_at: now.getTime(),
        }),
      )
      .execute();
  }

  /** Reverts an OS to its predefined default. */
  async deleteDefault(db: DbExecutor, scope: PatchScope, os: OperatingSystem): Promise<void> {
    await db
      .deleteFrom('patch_default_baselines')
      .where(inScope(scope))
      .where('operating_system', '=', os)
      .execute();
  }

  /** A frozen snapshot document and when it was frozen. */
  async findSnapshot(
    db: DbExecutor,
    scope: PatchScope,
    snapshotId: string,
    baselineId: string,
  ): Promise<{ document: string; createdAt: Date } | undefined> {
    const row = await db
      .selectFrom('patch_snapshots')
      .select(['document', 'created_at'])
      .where(inScope(scope))
      .where('snapshot_id', '=', snapshotId)
      .where('baseline_id', '=', baselineId)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : { document: row.document, createdAt: new Date(Number(row.created_at)) };
  }

  /** Freezes (or re-freezes an expired) snapshot. */
  async putSnapshot(
    db: DbExecutor,
    scope: PatchScope,
    snapshot: { snapshotId: string; baselineId: string; document: string },
    now: Date,
  ): Promise<void> {
    await db
      .insertInto('patch_snapshots')
      .values({
        account_id: scope.accountId,
        region: scope.region,
        snapshot_id: snapshot.snapshotId,
        baseline_id: snapshot.baselineId,
        document: snapshot.document,
        created_at: now.getTime(),
      })
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'region', 'snapshot_id', 'baseline_id'])
          .doUpdateSet({ document: snapshot.document, created_at: now.getTime() }),
      )
      .execute();
  }

  /** Drops snapshots frozen before `cutoff` (housekeeping). */
  async deleteSnapshotsBefore(db: DbExecutor, cutoff: Date): Promise<number> {
    const result = await db
      .deleteFrom('patch_snapshots')
      .where('created_at', '<', cutoff.getTime())
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
