/** Kysely row types of Patch Manager: custom baselines, patch groups, default baselines and frozen snapshots. */

/** A custom patch baseline; `definition` is the JSON of its rules (the domain BaselineDefinition). */
export interface PatchBaselinesTable {
  account_id: string;
  region: string;
  baseline_id: string;
  name: string;
  operating_system: string;
  definition: string;
  client_token: string | null;
  /** Hash of the CreatePatchBaseline request that used `client_token` (idempotency). */
  request_fingerprint: string | null;
  created_at: number;
  modified_at: number;
}

/** A patch group's baseline for one operating system. */
export interface PatchGroupBaselinesTable {
  account_id: string;
  region: string;
  patch_group: string;
  operating_system: string;
  baseline_id: string;
  registered_at: number;
}

/** An account's custom default baseline of one operating system (absent = the predefined one). */
export interface PatchDefaultBaselinesTable {
  account_id: string;
  region: string;
  operating_system: string;
  baseline_id: string;
  updated_at: number;
}

/** A baseline frozen for a patch SnapshotId (GetDeployablePatchSnapshotForInstance). */
export interface PatchSnapshotsTable {
  account_id: string;
  region: string;
  snapshot_id: string;
  baseline_id: string;
  document: string;
  created_at: number;
}

/** The patching tables by name. */
export interface PatchingTables {
  patch_baselines: PatchBaselinesTable;
  patch_group_baselines: PatchGroupBaselinesTable;
  patch_default_baselines: PatchDefaultBaselinesTable;
  patch_snapshots: PatchSnapshotsTable;
}
