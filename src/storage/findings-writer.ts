/** The findings write path's engine seam: one interface, a portable Kysely writer and engine-specific ones. */
import type { DbExecutor, FindingHistoryTable, FindingsTable } from './database.js';

/** The extracted, filterable columns of one finding version. */
export type FindingColumns = Omit<FindingsTable, 'pk' | 'held'>;

/** Every row of one finding version, already mapped from the domain by the findings store. */
export interface FindingRows {
  /** The stored finding's pk; undefined for a new finding. */
  pk: number | undefined;
  /** The row version the update expects (read with the finding); the write fails with WriteConflictError otherwise. */
  expectedVersion: number | undefined;
  columns: FindingColumns;
  /** The `held` column to write; undefined keeps the stored value (0 for a new finding). */
  held: number | undefined;
  /** The serialized document. */
  document: string;
  /** Distinct Types values (queries test "some element", so duplicates carry no information). */
  types: readonly string[];
  /** Distinct (Type, Id) pairs of Resources. */
  resources: readonly { type: string; id: string }[];
  history: Omit<FindingHistoryTable, 'seq' | 'finding_pk'>;
}

/**
 * Writes new findings and new versions of stored ones (row, document, child rows, history) in the caller's
 * transaction; a new version replaces the document and child rows of the old one.
 */
export interface FindingsWriter {
  write(tx: DbExecutor, rows: readonly FindingRows[]): Promise<void>;
}
