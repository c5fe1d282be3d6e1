/** How compliance rows map to the model: sets, items (with their sort keys) and execution snapshots. */
import type { Selectable } from 'kysely';
import type { SortKey } from '../kernel/index.js';
import type { ComplianceItemsTable, ComplianceSetsTable } from '../storage/database.js';
import type {
  ComplianceItem,
  ComplianceSet,
  ComplianceSeverity,
  ComplianceStatus,
  SetCounts,
} from './compliance-model.js';

/** Where a set lives: account, Region and the set's identity. */
export interface SetKey {
  accountId: string;
  region: string;
  resourceType: string;
  resourceId: string;
  complianceType: string;
}

/** An item to store, with its key within the set. */
export interface StoredItemInput {
  key: string;
  item: ComplianceItem;
}

/** The ORDER BY of compliance sets, and of their items within a set. */
export const setSortColumns = ['resource_id', 'resource_type', 'compliance_type'] as const;
export const itemSortColumns = [...setSortColumns, 'item_key'] as const;

/** An item with the sort key of its row. */
export interface KeyedComplianceItem {
  key: SortKey;
  item: ComplianceItem;
}

/** The sort key of a set. */
export const setSortKey = (set: ComplianceSet): SortKey => [
  set.resourceId,
  set.resourceType,
  set.complianceType,
];

export const optional = (value: string | null): string | undefined =>
  value === null || value === '' ? undefined : value;

export function toSet(row: Selectable<ComplianceSetsTable>): ComplianceSet {
  return {
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    complianceType: row.compliance_type,
    status: row.status as ComplianceStatus,
    overallSeverity: row.overall_severity as ComplianceSeverity,
    itemCount: row.item_count,
    counts: JSON.parse(row.severity_counts) as SetCounts,
    execution: {
      executionTime: new Date(Number(row.execution_time)),
      executionId: optional(row.execution_id),
      executionType: optional(row.execution_type),
    },
    itemContentHash: optional(row.item_content_hash),
    updatedAt: new Date(Number(row.updated_at)),
  };
}

export function toItem(row: Selectable<ComplianceItemsTable>): ComplianceItem {
  return {
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    complianceType: row.compliance_type,
    id: optional(row.item_id),
    title: row.title,
    severity: row.severity as ComplianceSeverity,
    status: row.status as ComplianceStatus,
    details: JSON.parse(row.details) as Record<string, string>,
    execution: {
      executionTime: new Date(Number(row.execution_time)),
      executionId: optional(row.execution_id),
      executionType: optional(row.execution_type),
    },
  };
}

/** Items as kept in an execution's snapshot (JSON), and back. */
export interface SnapshotItem {
  i?: string;
  t: string;
  s: string;
  v: string;
  d: Record<string, string>;
  e: [number, string | null, string | null];
}

export const toSnapshot = ({ item }: StoredItemInput): SnapshotItem => ({
  ...(item.id === undefined ? {} : { i: item.id }),
  t: item.title,
  s: item.status,
  v: item.severity,
  d: item.details,
  e: [
    item.execution.executionTime.getTime(),
    item.execution.executionId ?? null,
    item.execution.executionType ?? null,
  ],
});

export const fromSnapshot = (key: SetKey, entry: SnapshotItem): ComplianceItem => ({
  resourceType: key.resourceType,
  resourceId: key.resourceId,
  complianceType: key.complianceType,
  id: entry.i,
  title: entry.t,
  status: entry.s as ComplianceStatus,
  severity: entry.v as ComplianceSeverity,
  details: entry.d,
  execution: {
    executionTime: new Date(entry.e[0]),
    executionId: entry.e[1] ?? undefined,
    executionType: entry.e[2] ?? undefined,
  },
});

export const toKeyedItem = (row: Selectable<ComplianceItemsTable>): KeyedComplianceItem => ({
  key: [row.resource_id, row.resource_type, row.compliance_type, row.item_key],
  item: toItem(row),
});
