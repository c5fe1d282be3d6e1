/** The findings rules in one service: import with field ownership, filtered paginated reads, customer updates and history. */
import type { Ctx } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import type { FindingFilters } from './filters/index.js';
import { FindingImporter, type ImportResult, type IngestPolicy } from './finding-import.js';
import { FindingQueries, type FindingsPage, type FindingsQuery } from './finding-queries.js';
import type { AccountScope } from './finding-scope.js';
import {
  FindingUpdates,
  type HistoryQuery,
  type HistoryRecord,
  type UnprocessedFinding,
} from './finding-updates.js';
import type { FindingsStore } from './findings-store.js';
import type { FindingFieldsUpdate, FindingIdentifier } from './findings-model.js';

export type { IngestPolicy, IngestRule } from './finding-import.js';

/** Owns the findings rules. */
export class FindingsService {
  private readonly importer: FindingImporter;
  private readonly queries: FindingQueries;
  private readonly updates: FindingUpdates;

  constructor(
    private readonly store: FindingsStore,
    policy: IngestPolicy,
    scope: AccountScope,
  ) {
    this.importer = new FindingImporter(store, policy);
    this.queries = new FindingQueries(store, scope);
    this.updates = new FindingUpdates(store, scope);
  }

  /** BatchImportFindings: validates each finding, stores the valid ones, reports the rest. */
  importFindings(ctx: Ctx, rawFindings: readonly unknown[]): Promise<ImportResult> {
    return this.importer.importFindings(ctx, rawFindings);
  }

  /** Findings Bulwark produces itself (control and patch findings), exempt from the caller and product rules. */
  importServiceFindings(ctx: Ctx, rawFindings: readonly unknown[]): Promise<void> {
    return this.importer.importServiceFindings(ctx, rawFindings);
  }

  /** GetFindings: one page of the caller's findings matching `filters`, in `sortCriteria` order. */
  getFindings(ctx: Ctx, input: FindingsQuery): Promise<FindingsPage> {
    return this.queries.getFindings(ctx, input);
  }

  /** Counts the caller's findings matching `filters` per value of `groupBy`, largest first (insight results). */
  countFindings(
    ctx: Ctx,
    filters: FindingFilters,
    groupBy: string,
  ): Promise<{ GroupByAttributeValue: string; Count: number }[]> {
    return this.queries.countFindings(ctx, filters, groupBy);
  }

  /** BatchUpdateFindings: applies a customer update to each identified finding the caller can see. */
  updateFindings(
    ctx: Ctx,
    identifiers: readonly FindingIdentifier[],
    update: FindingFieldsUpdate,
  ): Promise<{ ProcessedFindings: FindingIdentifier[]; UnprocessedFindings: UnprocessedFinding[] }> {
    return this.updates.updateFindings(ctx, identifiers, update);
  }

  /** GetFindingHistory: the recorded changes of one finding, oldest first. */
  findingHistory(
    ctx: Ctx,
    input: HistoryQuery,
  ): Promise<{ records: HistoryRecord[]; nextToken: string | undefined }> {
    return this.updates.findingHistory(ctx, input);
  }

  /** The number of stored findings. */
  async countStored(db: DbExecutor): Promise<number> {
    return this.store.count(db);
  }
}
