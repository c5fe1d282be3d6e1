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
  policy_document: string;
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

export interface Database {
  accounts: AccountsTable;
  principals: PrincipalsTable;
  access_keys: AccessKeysTable;
  audit_records: AuditRecordsTable;
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
}

/** The database handle every store receives. */
export type Db = Kysely<Database>;
/** A transaction, or the database itself where a store runs outside one. */
export type DbExecutor = Kysely<Database> | Transaction<Database>;
