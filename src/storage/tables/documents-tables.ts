/** Kysely row types of SSM documents with their versions and shares, service settings, and State Manager associations with their versions, statuses and executions. */

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

/** The documents tables by name. */
export interface DocumentsTables {
  ssm_documents: SsmDocumentsTable;
  ssm_document_versions: SsmDocumentVersionsTable;
  ssm_document_permissions: SsmDocumentPermissionsTable;
  ssm_service_settings: SsmServiceSettingsTable;
  ssm_associations: SsmAssociationsTable;
  ssm_association_versions: SsmAssociationVersionsTable;
  ssm_association_statuses: SsmAssociationStatusesTable;
  ssm_association_executions: SsmAssociationExecutionsTable;
  ssm_association_execution_targets: SsmAssociationExecutionTargetsTable;
}
