/** Kysely row types of the managed fleet: activations, managed instances, SSM resource tags and inventory. */

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

/** The fleet tables by name. */
export interface FleetTables {
  ssm_activations: SsmActivationsTable;
  ssm_managed_instances: SsmManagedInstancesTable;
  ssm_resource_tags: SsmResourceTagsTable;
  inventory_items: InventoryItemsTable;
  inventory_custom_types: InventoryCustomTypesTable;
}
