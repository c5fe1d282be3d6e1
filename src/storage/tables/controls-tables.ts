/** Kysely row types of Security Hub controls: standards subscriptions, control settings, evaluations and the missing patches they report. */

/** An enabled standard of an account in a Region; `standards_input` is the JSON map it was enabled with. */
export interface StandardsSubscriptionsTable {
  account_id: string;
  region: string;
  standards_arn: string;
  standards_input: string;
  subscribed_at: number;
  /** JSON array of the standard's controls Bulwark has reconciled (AutoEnableControls); null: none yet. */
  known_control_ids: string | null;
}

/** A control's status within one standard, stored only once changed (default ENABLED). */
export interface StandardsControlSettingsTable {
  account_id: string;
  region: string;
  standards_arn: string;
  control_id: string;
  status: string;
  disabled_reason: string | null;
  updated_at: number;
}

/** A security control's custom parameter values (JSON `{name: {ValueType, Value}}`). */
export interface SecurityControlSettingsTable {
  account_id: string;
  region: string;
  control_id: string;
  parameters: string;
  last_update_reason: string | null;
  updated_at: number;
}

/** The latest evaluation of a control on a resource and the finding that carries it. */
export interface ControlEvaluationsTable {
  account_id: string;
  region: string;
  control_id: string;
  resource_id: string;
  finding_id: string;
  /** JSON array of every finding the result was last written to; null (rows before 0022) is [finding_id]. */
  finding_ids: string | null;
  compliance_status: string;
  record_state: string;
  /** A hash of what the finding says; an evaluation with the same fingerprint writes nothing. */
  fingerprint: string;
  created_at: number;
  status_changed_at: number;
  evaluated_at: number;
}

/** A patch a managed node's latest scan reported missing, and since when its scans have. */
export interface MissingPatchesTable {
  account_id: string;
  region: string;
  instance_id: string;
  patch_id: string;
  title: string;
  compliance_level: string;
  first_seen_at: number;
  last_seen_at: number;
}

/** The controls tables by name. */
export interface ControlsTables {
  standards_subscriptions: StandardsSubscriptionsTable;
  standards_control_settings: StandardsControlSettingsTable;
  security_control_settings: SecurityControlSettingsTable;
  control_evaluations: ControlEvaluationsTable;
  missing_patches: MissingPatchesTable;
}
