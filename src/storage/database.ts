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

/** An event a subscriber gave up on after repeated failures (kept for inspection, never retried). */
export interface OutboxDeadLettersTable {
  subscriber: string;
  seq: number;
  error: string;
  failed_at: number;
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
  jobs: JobsTable;
  outbox: OutboxTable;
  outbox_cursors: OutboxCursorsTable;
  outbox_dead_letters: OutboxDeadLettersTable;
  schedules: SchedulesTable;
}

/** The database handle every store receives. */
export type Db = Kysely<Database>;
/** A transaction, or the database itself where a store runs outside one. */
export type DbExecutor = Kysely<Database> | Transaction<Database>;
