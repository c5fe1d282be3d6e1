/**
 * Kysely row types of the findings summary: counts of ACTIVE findings (RecordState ACTIVE and Workflow.Status
 * NEW or NOTIFIED) kept current in the transaction of every finding change, so the overview never counts
 * findings per request.
 */

/** ACTIVE findings of one account and Region with one severity label. */
export interface FindingCountsTable {
  account_id: string;
  region: string;
  severity_label: string;
  active: number;
}

/** The ACTIVE findings of one account and Region per severity at the end of one UTC day (last change of the day). */
export interface FindingCountDaysTable {
  account_id: string;
  region: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
  critical: number;
  high: number;
  medium: number;
  low: number;
  informational: number;
}

/** ACTIVE CRITICAL and HIGH findings naming one resource (by Resources[].Id); rows at zero are deleted. */
export interface FindingResourceCountsTable {
  account_id: string;
  region: string;
  resource_id: string;
  critical: number;
  high: number;
}

/** The findings summary tables by name. */
export interface FindingSummaryTables {
  finding_counts: FindingCountsTable;
  finding_count_days: FindingCountDaysTable;
  finding_resource_counts: FindingResourceCountsTable;
}
