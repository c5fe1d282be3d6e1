/** Kysely table types: the rows Bulwark stores. Stores map these to domain types; nothing else sees rows. */
import type { Generated, Kysely, Transaction } from 'kysely';

export interface AccountsTable {
  account_id: string;
  created_at: number;
}

export interface PrincipalsTable {
  principal_id: string;
  account_id: string;
  name: string;
  kind: string;
  arn: string;
  created_at: number;
}

export interface AccessKeysTable {
  access_key_id: string;
  principal_id: string;
  secret_ciphertext: string;
  status: string;
  created_at: number;
  last_used_at: number | null;
}

/** A customer-managed policy of one account (built-in policies are code, not rows). */
export interface ManagedPoliciesTable {
  policy_arn: string;
  account_id: string;
  name: string;
  description: string;
  document: string;
  created_at: number;
  updated_at: number;
}

/** A policy (built-in or customer ARN) attached to a principal. */
export interface PrincipalPoliciesTable {
  principal_id: string;
  policy_arn: string;
  attached_at: number;
}

/** One row (id 1): bumped by every access change, so nodes know when to drop cached identities. */
export interface AccessGenerationTable {
  id: number;
  generation: number;
}

export interface AuditRecordsTable {
  seq: Generated<number>;
  request_id: string;
  event_time: number;
  account_id: string | null;
  principal_arn: string | null;
  access_key_id: string | null;
  event_source: string;
  action: string;
  region: string | null;
  source_ip: string;
  user_agent: string;
  outcome: string;
  error_code: string | null;
  error_message: string | null;
  /** The CloudTrail eventID (a UUID); NULL only on records that predate the audit chain. */
  event_id: string | null;
  identity_type: string | null;
  principal_id: string | null;
  user_name: string | null;
  read_only: number | null;
  /** Compact JSON of the (redacted, truncated) validated input, or NULL. */
  request_parameters: string | null;
  /** Compact JSON of a small response summary, or NULL. */
  response_elements: string | null;
  resource_type: string | null;
  resource_name: string | null;
  prev_hash: string | null;
  hash: string | null;
}

/** The head of a hash chain (`records` or `digests`): the last sequence number and hash/signature. */
export interface AuditChainHeadsTable {
  name: string;
  seq: number;
  hash: string | null;
}

/** A signed digest sealing audit records start_seq..end_seq; `body` is the exact signed text. */
export interface AuditDigestsTable {
  digest_seq: number;
  start_seq: number;
  end_seq: number;
  created_at: number;
  body: string;
  signature: string;
  public_key: string;
}

export interface HubsTable {
  account_id: string;
  region: string;
  hub_arn: string;
  subscribed_at: string;
  auto_enable_controls: number;
  control_finding_generator: string;
}

export interface ResourceTagsTable {
  resource_arn: string;
  account_id: string;
  tag_key: string;
  tag_value: string;
}

export interface FindingsTable {
  pk: Generated<number>;
  region: string;
  product_arn: string;
  finding_id: string;
  aws_account_id: string;
  generator_id: string;
  title: string;
  severity_label: string;
  severity_rank: number;
  severity_normalized: number;
  workflow_status: string;
  record_state: string;
  compliance_status: string | null;
  verification_state: string | null;
  product_name: string | null;
  company_name: string | null;
  created_at_ms: number;
  updated_at_ms: number;
  first_observed_at_ms: number | null;
  last_observed_at_ms: number | null;
  customer_updated: number;
  version: number;
  /** When Bulwark last stored or changed the finding (its clock, epoch ms): what retention ages by. */
  stored_at_ms: number;
  /** 1 while the finding is the current one of a state Bulwark keeps (control result, missing patch). */
  held: number;
}

export interface FindingDocumentsTable {
  finding_pk: number;
  document: string;
}

export interface FindingTypesTable {
  finding_pk: number;
  type: string;
}

export interface FindingResourcesTable {
  finding_pk: number;
  resource_type: string;
  resource_id: string;
}

export interface FindingHistoryTable {
  seq: Generated<number>;
  finding_pk: number;
  update_time_ms: number;
  finding_created: number;
  source_type: string;
  source_identity: string;
  updates: string;
}

export interface InsightsTable {
  insight_arn: string;
  account_id: string;
  region: string;
  name: string;
  filters: string;
  group_by_attribute: string;
  created_at: number;
}

export interface ProductSubscriptionsTable {
  subscription_arn: string;
  account_id: string;
  region: string;
  product_arn: string;
  created_at: number;
}

export interface AutomationRulesTable {
  rule_arn: string;
  account_id: string;
  region: string;
  rule_name: string;
  rule_status: string;
  rule_order: number;
  description: string;
  is_terminal: number;
  criteria: string;
  actions: string;
  created_at: number;
  updated_at: number;
  created_by: string;
}

/** A unit of background work: queued, leased to one worker while running, then done or failed. */
export interface JobsTable {
  id: Generated<number>;
  name: string;
  payload: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  run_at: number;
  attempts: number;
  max_attempts: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  dedupe_key: string | null;
  created_at: number;
  updated_at: number;
}

/** An event raised by a committed change, written in the change's own transaction. */
export interface OutboxTable {
  seq: Generated<number>;
  /** The writing transaction's id on PostgreSQL (column default); 0 on SQLite, whose commits are serial. */
  txid: Generated<number>;
  type: string;
  account_id: string;
  payload: string;
  created_at: number;
}

/** How far one subscriber has got through the outbox, and which worker holds it. */
export interface OutboxCursorsTable {
  subscriber: string;
  last_txid: number;
  last_seq: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  failures: number;
  retry_at: number;
  last_error: string | null;
  updated_at: number;
}

/** An event a subscriber gave up on after repeated failures, with its payload, kept until redriven or discarded. */
export interface OutboxDeadLettersTable {
  subscriber: string;
  seq: number;
  error: string;
  failed_at: number;
  /** The event (null only for dead letters whose outbox row was pruned before payloads were kept). */
  txid: number | null;
  type: string | null;
  account_id: string | null;
  payload: string | null;
  created_at: number | null;
  /** Set by a redrive request: a worker handles the event again. */
  redrive_requested_at: number | null;
  attempts: Generated<number>;
}

/** A recurring job: when its next occurrence is due. */
export interface SchedulesTable {
  name: string;
  every_ms: number;
  next_run_at: number;
  updated_at: number;
}

export interface MembersTable {
  administrator_account_id: string;
  member_account_id: string;
  region: string;
  email: string | null;
  status: string;
  invitation_id: string | null;
  invited_at: number | null;
  updated_at: number;
}

/** One SSM document of an account (its versions are in ssm_document_versions). */
export interface SsmDocumentsTable {
  account_id: string;
  region: string;
  name: string;
  document_type: string;
  target_type: string | null;
  display_name: string | null;
  default_version: number;
  latest_version: number;
  created_at: number;
}

export interface SsmDocumentVersionsTable {
  account_id: string;
  region: string;
  name: string;
  version: number;
  version_name: string | null;
  document_format: string;
  content: string;
  hash: string;
  created_at: number;
}

/** A share of a document with an account id, or with `all` (public). */
export interface SsmDocumentPermissionsTable {
  account_id: string;
  region: string;
  name: string;
  shared_with: string;
  shared_version: string;
  created_at: number;
}

/** A customized SSM service setting (absent row = the default). */
export interface SsmServiceSettingsTable {
  account_id: string;
  region: string;
  setting_id: string;
  value: string;
  modified_by: string;
  modified_at: number;
}

/** A State Manager association; `spec` is the JSON of its current version. */
export interface SsmAssociationsTable {
  association_id: string;
  account_id: string;
  region: string;
  document_owner: string;
  document_name: string;
  instance_id: string | null;
  association_name: string | null;
  version: number;
  spec: string;
  overview_status: string;
  next_run_at: number | null;
  last_execution_at: number | null;
  last_success_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface SsmAssociationVersionsTable {
  association_id: string;
  version: number;
  spec: string;
  created_at: number;
}

/** The last reported status of an association on one managed node. */
export interface SsmAssociationStatusesTable {
  association_id: string;
  instance_id: string;
  account_id: string;
  region: string;
  association_version: number;
  document_version: string;
  execution_id: string;
  status: string;
  detailed_status: string;
  error_code: string | null;
  execution_summary: string | null;
  executed_at: number;
}

export interface SsmAssociationExecutionsTable {
  execution_id: string;
  association_id: string;
  association_version: number;
  status: string;
  detailed_status: string;
  created_at: number;
  last_execution_at: number;
}

export interface SsmAssociationExecutionTargetsTable {
  execution_id: string;
  instance_id: string;
  association_id: string;
  association_version: number;
  status: string;
  detailed_status: string;
  executed_at: number;
}

/** An SSM activation (the code only as its SHA-256 hash; tags as JSON `[{Key, Value}]`). */
export interface SsmActivationsTable {
  activation_id: string;
  account_id: string;
  region: string;
  code_hash: string;
  iam_role: string;
  description: string | null;
  default_instance_name: string | null;
  registration_limit: number;
  registrations_count: number;
  expires_at: number;
  created_at: number;
  tags: string;
}

/** A managed (hybrid) instance registered with an activation; kept after deregistration. */
export interface SsmManagedInstancesTable {
  instance_id: string;
  account_id: string;
  region: string;
  activation_id: string;
  iam_role: string;
  name: string | null;
  principal_id: string;
  access_key_id: string;
  policy_arn: string;
  fingerprint: string | null;
  registered_at: number;
  last_ping_at: number;
  deregistered_at: number | null;
  agent_name: string | null;
  agent_version: string | null;
  agent_status: string | null;
  platform_type: string | null;
  platform_name: string | null;
  platform_version: string | null;
  ip_address: string | null;
  computer_name: string | null;
  association_status: string | null;
  last_association_execution_at: number | null;
  last_successful_association_execution_at: number | null;
}

/** A tag of any SSM resource (ManagedInstance, Document, PatchBaseline, …). */
export interface SsmResourceTagsTable {
  account_id: string;
  region: string;
  resource_type: string;
  resource_id: string;
  tag_key: string;
  tag_value: string;
}

/** The latest inventory item of one type on one managed instance (content = JSON array of string maps). */
export interface InventoryItemsTable {
  account_id: string;
  region: string;
  instance_id: string;
  type_name: string;
  schema_version: string;
  capture_time: string;
  content_hash: string;
  content: string;
  /** JSON object of the item's Context (AWS:ComplianceItem only), or NULL. */
  context: string | null;
  entry_count: number;
  content_bytes: number;
  /** When the content last changed (epoch ms); `updated_at` also moves on hash-only re-uploads. */
  content_updated_at: number;
  updated_at: number;
}

/** A `Custom:` inventory type seen in an account: the attribute names put so far (JSON array). */
export interface InventoryCustomTypesTable {
  account_id: string;
  region: string;
  type_name: string;
  schema_version: string;
  attributes: string;
  created_at: number;
  updated_at: number;
}

/** One compliance set (resource × compliance type) with its maintained summary. */
export interface ComplianceSetsTable {
  account_id: string;
  region: string;
  resource_type: string;
  resource_id: string;
  compliance_type: string;
  status: string;
  overall_severity: string;
  item_count: number;
  /** JSON `{COMPLIANT: {CRITICAL: n, …}, NON_COMPLIANT: {…}}`. */
  severity_counts: string;
  execution_time: number;
  execution_id: string | null;
  execution_type: string | null;
  item_content_hash: string | null;
  updated_at: number;
}

/** One item of a compliance set; `item_key` is the item Id (or a positional key when it has none). */
export interface ComplianceItemsTable {
  account_id: string;
  region: string;
  resource_type: string;
  resource_id: string;
  compliance_type: string;
  item_key: string;
  item_id: string | null;
  title: string;
  severity: string;
  status: string;
  /** JSON object of detail key → value. */
  details: string;
  execution_time: number;
  execution_id: string | null;
  execution_type: string | null;
}

/** One accepted compliance upload: its summary, and (for the most recent ones) the resulting item set as JSON. */
export interface ComplianceExecutionsTable {
  seq: Generated<number>;
  account_id: string;
  region: string;
  resource_type: string;
  resource_id: string;
  compliance_type: string;
  execution_time: number;
  execution_id: string | null;
  execution_type: string | null;
  upload_type: string;
  status: string;
  overall_severity: string;
  item_count: number;
  severity_counts: string;
  items: string | null;
  recorded_at: number;
}

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

export interface FindingAggregatorsTable {
  aggregator_arn: string;
  account_id: string;
  home_region: string;
  linking_mode: string;
  regions: string;
  created_at: number;
}

export interface SsmCommandsTable {
  command_id: string;
  account_id: string;
  region: string;
  document_name: string;
  document_version: string;
  /** JSON object: parameter name → values, as sent. */
  parameters: string;
  /** JSON array of the targeted instance ids. */
  instance_ids: string;
  /** JSON array of `{Key, Values}` when sent to Targets; null for explicit InstanceIds. */
  targets: string | null;
  comment: string | null;
  timeout_seconds: number;
  execution_timeout_seconds: number;
  requested_at: number;
  expires_at: number;
  cancel_requested: number;
  status: string;
  status_details: string;
  target_count: number;
  completed_count: number;
  error_count: number;
  delivery_timed_out_count: number;
  /** MaxConcurrency / MaxErrors as sent: a count or a percentage of the targets. */
  max_concurrency: string;
  max_errors: string;
}

export interface SsmCommandInvocationsTable {
  command_id: string;
  instance_id: string;
  account_id: string;
  region: string;
  status: string;
  status_details: string;
  response_code: number;
  standard_output: string;
  standard_error: string;
  requested_at: number;
  /** When rate control let the invocation go to its agent; null while it is held back. */
  dispatched_at: number | null;
  delivery_count: number;
  lease_expires_at: number | null;
  started_at: number | null;
  ended_at: number | null;
  updated_at: number;
  /** Bumped on every change: conditional updates on it keep concurrent polls and reports from clobbering. */
  revision: number;
  /** JSON list of each step's outcome (name, status, response code, output, times), when reported. */
  plugin_results: string | null;
}

export interface SsmCommandReportsTable {
  command_id: string;
  instance_id: string;
  report_id: string;
  received_at: number;
}

export interface MaintenanceWindowsTable {
  window_id: string;
  account_id: string;
  region: string;
  name: string;
  description: string | null;
  schedule: string;
  schedule_timezone: string | null;
  schedule_offset: number | null;
  duration_hours: number;
  cutoff_hours: number;
  allow_unassociated_targets: number;
  enabled: number;
  start_date: number | null;
  end_date: number | null;
  created_at: number;
  modified_at: number;
  /** When the scheduler starts the next run; null when disabled or finished. */
  next_execution_at: number | null;
}

export interface MaintenanceWindowTargetsTable {
  window_target_id: string;
  window_id: string;
  resource_type: string;
  /** JSON array of `{key, values}`. */
  targets: string;
  owner_information: string | null;
  name: string | null;
  description: string | null;
  created_at: number;
}

export interface MaintenanceWindowTasksTable {
  window_task_id: string;
  window_id: string;
  /** JSON of the registered task (type, targets, rate control, invocation parameters …). */
  task: string;
  priority: number;
  created_at: number;
}

export interface MaintenanceWindowExecutionsTable {
  window_execution_id: string;
  window_id: string;
  account_id: string;
  region: string;
  scheduled_at: number;
  status: string;
  status_details: string;
  start_time: number;
  end_time: number | null;
  cancel_requested: number;
}

export interface MaintenanceWindowTaskExecutionsTable {
  task_execution_id: string;
  window_execution_id: string;
  /** JSON of the task as registered when this execution started it. */
  task: string;
  status: string;
  status_details: string;
  start_time: number | null;
  end_time: number | null;
}

export interface MaintenanceWindowTaskInvocationsTable {
  invocation_id: string;
  task_execution_id: string;
  window_execution_id: string;
  /** Invocations of one task execution run one after another, in this order. */
  sequence: number;
  execution_id: string;
  task_type: string;
  parameters: string;
  status: string;
  status_details: string;
  start_time: number | null;
  end_time: number | null;
  owner_information: string | null;
  window_target_id: string | null;
  targets: string;
}

export interface MaintenanceClientTokensTable {
  account_id: string;
  region: string;
  operation: string;
  client_token: string;
  /** A hash of the request, so a token reused with other parameters is refused. */
  fingerprint: string;
  resource_id: string;
}

export interface Database {
  accounts: AccountsTable;
  principals: PrincipalsTable;
  access_keys: AccessKeysTable;
  managed_policies: ManagedPoliciesTable;
  principal_policies: PrincipalPoliciesTable;
  access_generation: AccessGenerationTable;
  audit_records: AuditRecordsTable;
  audit_chain_heads: AuditChainHeadsTable;
  audit_digests: AuditDigestsTable;
  hubs: HubsTable;
  resource_tags: ResourceTagsTable;
  findings: FindingsTable;
  finding_documents: FindingDocumentsTable;
  finding_types: FindingTypesTable;
  finding_resources: FindingResourcesTable;
  finding_history: FindingHistoryTable;
  insights: InsightsTable;
  product_subscriptions: ProductSubscriptionsTable;
  automation_rules: AutomationRulesTable;
  members: MembersTable;
  finding_aggregators: FindingAggregatorsTable;
  jobs: JobsTable;
  outbox: OutboxTable;
  outbox_cursors: OutboxCursorsTable;
  outbox_dead_letters: OutboxDeadLettersTable;
  schedules: SchedulesTable;
  ssm_activations: SsmActivationsTable;
  ssm_managed_instances: SsmManagedInstancesTable;
  ssm_resource_tags: SsmResourceTagsTable;
  ssm_documents: SsmDocumentsTable;
  ssm_document_versions: SsmDocumentVersionsTable;
  ssm_document_permissions: SsmDocumentPermissionsTable;
  ssm_service_settings: SsmServiceSettingsTable;
  ssm_associations: SsmAssociationsTable;
  ssm_association_versions: SsmAssociationVersionsTable;
  ssm_association_statuses: SsmAssociationStatusesTable;
  ssm_association_executions: SsmAssociationExecutionsTable;
  ssm_association_execution_targets: SsmAssociationExecutionTargetsTable;
  inventory_items: InventoryItemsTable;
  inventory_custom_types: InventoryCustomTypesTable;
  compliance_sets: ComplianceSetsTable;
  compliance_items: ComplianceItemsTable;
  compliance_executions: ComplianceExecutionsTable;
  patch_baselines: PatchBaselinesTable;
  patch_group_baselines: PatchGroupBaselinesTable;
  patch_default_baselines: PatchDefaultBaselinesTable;
  patch_snapshots: PatchSnapshotsTable;
  ssm_commands: SsmCommandsTable;
  maintenance_windows: MaintenanceWindowsTable;
  maintenance_window_targets: MaintenanceWindowTargetsTable;
  maintenance_window_tasks: MaintenanceWindowTasksTable;
  maintenance_window_executions: MaintenanceWindowExecutionsTable;
  maintenance_window_task_executions: MaintenanceWindowTaskExecutionsTable;
  maintenance_window_task_invocations: MaintenanceWindowTaskInvocationsTable;
  maintenance_client_tokens: MaintenanceClientTokensTable;
  ssm_command_invocations: SsmCommandInvocationsTable;
  ssm_command_reports: SsmCommandReportsTable;
  standards_subscriptions: StandardsSubscriptionsTable;
  standards_control_settings: StandardsControlSettingsTable;
  security_control_settings: SecurityControlSettingsTable;
  control_evaluations: ControlEvaluationsTable;
  missing_patches: MissingPatchesTable;
}

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

/** The database handle every store receives. */
export type Db = Kysely<Database>;
/** A transaction, or the database itself where a store runs outside one. */
export type DbExecutor = Kysely<Database> | Transaction<Database>;
