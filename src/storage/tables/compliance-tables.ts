/** Kysely row types of SSM compliance: compliance sets with their items and the accepted uploads. */
import type { Generated } from 'kysely';

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

/** The compliance tables by name. */
export interface ComplianceTables {
  compliance_sets: ComplianceSetsTable;
  compliance_items: ComplianceItemsTable;
  compliance_executions: ComplianceExecutionsTable;
}
