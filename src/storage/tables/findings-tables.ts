/** Kysely row types of Security Hub: hubs, findings with their documents, types, resources and history, insights, product subscriptions, automation rules, finding aggregators and resource tags. */
import type { Generated } from 'kysely';

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

export interface FindingAggregatorsTable {
  aggregator_arn: string;
  account_id: string;
  home_region: string;
  linking_mode: string;
  regions: string;
  created_at: number;
}

/** The findings tables by name. */
export interface FindingsTables {
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
  finding_aggregators: FindingAggregatorsTable;
}
