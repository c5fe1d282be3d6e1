/** The findings rules: import with field ownership, filtered paginated reads, customer updates and history. */
import { createHash } from 'node:crypto';
import type { Ctx } from '../kernel/index.js';
import { accessDenied, invalidInput } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import { appendEvents, type BulwarkEvent, type FindingRef } from '../worker/index.js';
import { validateFinding } from './asff/validate-finding.js';
import { exceedsJsonBytes } from './json-size.js';
import {
  compareAsffTimestamps,
  compileFilters,
  findingFilterLimits,
  parseAsffTimestamp,
  validateFilters,
  valuesForGroupBy,
  type FindingFilters,
} from './filters/index.js';
import { planFindingQuery, planGroupBy, planSort } from './finding-query-plan.js';
import type { SortTerm } from './finding-query-plan.js';
import { identityKey, type FindingWrite, type FindingsStore } from './findings-store.js';
import {
  applyFieldsUpdate,
  createFinding,
  diffFindings,
  reimportFinding,
  type FieldChange,
  type FindingDocument,
  type FindingFieldsUpdate,
  type FindingIdentifier,
  type StoredFinding,
} from './findings-model.js';
import { findCatalogProduct } from './product-catalog.js';
import { isDefaultProduct, parseProductArn } from './product-arn.js';

/** The most bytes one finding may take (AWS: 240 KB). */
export const maxFindingBytes = 240 * 1024;

/** An automation rule ready to run at ingest. */
export interface IngestRule {
  matches: (document: FindingDocument) => boolean;
  update: FindingFieldsUpdate;
  isTerminal: boolean;
}

/** Where the findings service gets the rules and product subscriptions it obeys. */
export interface IngestPolicy {
  /** The enabled automation rules that apply to the caller's imports, in evaluation order. */
  rulesFor(ctx: Ctx): Promise<IngestRule[]>;
  /** Whether the account has enabled imports from `productArn` (the default product is always enabled). */
  isProductEnabled(ctx: Ctx, productArn: string): Promise<boolean>;
}

/** A finding that BatchImportFindings did not store. */
export interface FailedFinding {
  Id: string;
  ErrorCode: string;
  ErrorMessage: string;
}

/** The BatchImportFindings result. */
export interface ImportResult {
  SuccessCount: number;
  FailedCount: number;
  FailedFindings: FailedFinding[];
}

/** A GetFindings page. */
export interface FindingsPage {
  findings: FindingDocument[];
  nextToken: string | undefined;
}

interface PageToken {
  values: (string | number)[];
  pk: number;
  maxPk: number;
  fingerprint: string;
}

const defaultPageSize = 100;
const scanBudgetRows = 20_000;
const groupByResultLimit = 100;

function encodeToken(token: PageToken): string {
  return Buffer.from(JSON.stringify([token.values, token.pk, token.maxPk, token.fingerprint])).toString(
    'base64url',
  );
}

function decodeToken(text: string | undefined, fingerprint: string): PageToken | undefined {
  if (text === undefined || text === '' || text === 'NULL') return undefined;
  try {
    const [values, pk, maxPk, tokenFingerprint] = JSON.parse(
      Buffer.from(text, 'base64url').toString('utf8'),
    ) as [unknown, unknown, unknown, unknown];
    if (
      Array.isArray(values) &&
      values.every((v) => typeof v === 'string' || typeof v === 'number') &&
      typeof pk === 'number' &&
      typeof maxPk === 'number' &&
      tokenFingerprint === fingerprint
    ) {
      return { values, pk, maxPk, fingerprint };
    }
  } catch {
    // falls through to the error below
  }
  throw invalidInput('The NextToken is invalid or does not belong to these Filters and SortCriteria');
}

const fingerprintOf = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 16);

/**
 * Whose findings a caller may see and update: its own account plus its Enabled members, in its own Region plus the
 * Regions its finding aggregator links (when the caller's Region is the aggregation Region).
 */
export interface AccountScope {
  visibleAccountIds(db: DbExecutor, accountId: string, region: string): Promise<string[]>;
  visibleRegions(db: DbExecutor, accountId: string, region: string): Promise<string[]>;
}

/** The scope of a standalone account without aggregation: its own findings in the Region it calls. */
export const ownAccountOnly: AccountScope = {
  visibleAccountIds: (_db, accountId) => Promise.resolve([accountId]),
  visibleRegions: (_db, _accountId, region) => Promise.resolve([region]),
};

/** A PASSED finding whose workflow is open becomes RESOLVED (SUPPRESSED stays as the user left it). */
function resolvedIfPassed(document: FindingDocument): FindingDocument {
  const status = document.Workflow?.Status;
  if (document.Compliance?.Status !== 'PASSED' || status === 'RESOLVED' || status === 'SUPPRESSED')
    return document;
  return { ...document, Workflow: { ...document.Workflow, Status: 'RESOLVED' }, WorkflowState: 'RESOLVED' };
}

/** Owns the findings rules. */
export class FindingsService {
  constructor(
    private readonly store: FindingsStore,
    private readonly policy: IngestPolicy,
    private readonly scope: AccountScope,
  ) {}

  private visibleAccounts(ctx: Ctx): Promise<string[]> {
    return this.scope.visibleAccountIds(ctx.tx, ctx.accountId, ctx.region);
  }

  private visibleRegions(ctx: Ctx): Promise<string[]> {
    return this.scope.visibleRegions(ctx.tx, ctx.accountId, ctx.region);
  }

  private async visibleScope(ctx: Ctx): Promise<{ accountIds: string[]; regions: string[] }> {
    return { accountIds: await this.visibleAccounts(ctx), regions: await this.visibleRegions(ctx) };
  }

  /** BatchImportFindings: validates each finding, stores the valid ones, reports the rest. */
  async importFindings(ctx: Ctx, rawFindings: readonly unknown[]): Promise<ImportResult> {
    const failed: FailedFinding[] = [];
    const valid: FindingDocument[] = [];
    for (const raw of rawFindings) {
      const id =
        typeof raw === 'object' && raw !== null && typeof (raw as { Id?: unknown }).Id === 'string'
          ? String((raw as { Id: string }).Id)
          : '';
      if (exceedsJsonBytes(raw, maxFindingBytes)) {
        failed.push({
          Id: id,
          ErrorCode: 'FindingSizeExceeded',
          ErrorMessage: 'Finding size exceeded 240 KB',
        });
        continue;
      }
      const result = validateFinding(raw);
      if (!result.ok) {
        failed.push({ Id: id, ErrorCode: 'InvalidInput', ErrorMessage: result.message });
        continue;
      }
      valid.push(result.finding as unknown as FindingDocument);
    }
    this.assertCallerOwns(ctx, valid);
    const accepted: FindingDocument[] = [];
    const productChecks = new Map<string, boolean>();
    for (const finding of valid) {
      let enabled = productChecks.get(finding.ProductArn);
      if (enabled === undefined) {
        enabled = await this.policy.isProductEnabled(ctx, finding.ProductArn);
        productChecks.set(finding.ProductArn, enabled);
      }
      if (enabled) accepted.push(finding);
      else {
        failed.push({
          Id: finding.Id,
          ErrorCode: 'InvalidAccess',
          ErrorMessage: `Import of findings from product ${finding.ProductArn} is not enabled for account ${ctx.accountId}; call EnableImportFindingsForProduct first`,
        });
      }
    }
    await this.storeImported(ctx, accepted);
    return { SuccessCount: accepted.length, FailedCount: failed.length, FailedFindings: failed };
  }

  /**
   * Findings Bulwark produces itself (control and patch findings): validated like any import but exempt from the
   * caller and product-subscription rules, which govern outside producers. A PASSED result resolves the finding's
   * workflow, as Security Hub does for its control findings.
   */
  async importServiceFindings(ctx: Ctx, rawFindings: readonly unknown[]): Promise<void> {
    const valid = rawFindings.map((raw) => {
      const result = validateFinding(raw);
      if (!result.ok) throw new Error(`Bulwark produced an invalid finding: ${result.message}`);
      return result.finding as unknown as FindingDocument;
    });
    await this.storeImported(ctx, valid, { byService: true });
  }

  /** Request-level rule: the caller imports only into its own account, Region and products. */
  private assertCallerOwns(ctx: Ctx, findings: readonly FindingDocument[]): void {
    for (const finding of findings) {
      const arn = parseProductArn(finding.ProductArn);
      const foreignProduct =
        arn === undefined ||
        arn.region !== ctx.region ||
        (arn.accountId !== '' && arn.accountId !== ctx.accountId);
      if (foreignProduct || finding.AwsAccountId !== ctx.accountId) {
        throw accessDenied(
          `User: ${ctx.actor.principalArn} is not authorized to perform: securityhub:BatchImportFindings on resource: ${finding.ProductArn}`,
        );
      }
    }
  }

  private async storeImported(
    ctx: Ctx,
    findings: readonly FindingDocument[],
    options: { byService: boolean } = { byService: false },
  ): Promise<void> {
    if (findings.length === 0) return;
    // Imports write only the caller's own findings (AwsAccountId is the caller): another account's finding with
    // the same ProductArn and Id is a different finding, never replaced.
    const existing = byIdentity(
      await this.store.findByIdentities(
        ctx.tx,
        { accountIds: [ctx.accountId], regions: [ctx.region] },
        findings.map((f) => ({ productArn: f.ProductArn, id: f.Id })),
      ),
      ctx.accountId,
    );
    const rules = await this.policy.rulesFor(ctx);
    const pending = new Map<string, FindingWrite>();
    for (const incoming of findings) {
      const key = identityKey(incoming.ProductArn, incoming.Id);
      const previousWrite = pending.get(key);
      const current: StoredFinding | undefined =
        previousWrite !== undefined
          ? {
              pk: previousWrite.pk ?? -1,
              document: previousWrite.document,
              customerUpdated: previousWrite.customerUpdated,
            }
          : existing.get(key);
      if (current !== undefined && !isNewer(incoming.UpdatedAt, current.document.UpdatedAt)) continue;
      const context = this.importContext(ctx, incoming.ProductArn);
      let document =
        current === undefined
          ? createFinding(incoming, context, 'adopt')
          : reimportFinding(current, incoming, context);
      let customerUpdated = current?.customerUpdated ?? 0;
      if (options.byService) document = resolvedIfPassed(document);
      for (const rule of rules) {
        if (!rule.matches(document)) continue;
        ({ document, customerUpdated } = applyFieldsUpdate(
          { pk: 0, document, customerUpdated },
          rule.update,
          ctx.now,
        ));
        if (rule.isTerminal) break;
      }
      const original = existing.get(key);
      pending.set(key, {
        pk: original?.pk,
        version: original?.version,
        region: ctx.region,
        document,
        customerUpdated,
        // Bulwark's own findings are the current state of a control or patch while ACTIVE; an import is not.
        held: options.byService && document.RecordState !== 'ARCHIVED',
        history: {
          sourceType: 'BATCH_IMPORT_FINDINGS',
          sourceIdentity: ctx.actor.principalArn,
          // a creation's changes (every field) are derived from the stored document when read
          changes: current === undefined ? undefined : diffFindings(current.document, document),
          at: ctx.now,
        },
      });
    }
    const writes = [...pending.values()];
    await this.store.write(ctx.tx, writes);
    await appendEvents(ctx.tx, findingEvents(writes), ctx.now.getTime());
  }

  private importContext(ctx: Ctx, productArn: string): Parameters<typeof createFinding>[1] {
    const arn = parseProductArn(productArn);
    const catalog = arn === undefined ? undefined : findCatalogProduct(arn.companyId, arn.productId);
    const defaultProduct = arn !== undefined && isDefaultProduct(arn, ctx.region, ctx.accountId);
    return {
      region: ctx.region,
      now: ctx.now,
      defaultProduct,
      productName: catalog?.productName ?? (defaultProduct ? 'Default' : (arn?.productId ?? 'Default')),
      companyName: catalog?.companyName ?? (defaultProduct ? 'Personal' : (arn?.companyId ?? 'Personal')),
    };
  }

  /** GetFindings: one page of the caller's findings matching `filters`, in `sortCriteria` order. */
  async getFindings(
    ctx: Ctx,
    input: {
      filters: FindingFilters;
      sortCriteria: readonly { Field?: string | undefined; SortOrder?: string | undefined }[];
      nextToken: string | undefined;
      maxResults: number | undefined;
    },
  ): Promise<FindingsPage> {
    validateFilters(input.filters, findingFilterLimits);
    const sort = planSort(input.sortCriteria);
    const fingerprint = fingerprintOf([input.filters, sort]);
    const token = decodeToken(input.nextToken, fingerprint);
    const maxPk = token?.maxPk ?? (await this.store.maxPk(ctx.tx));
    const limit = input.maxResults ?? defaultPageSize;
    const plan = planFindingQuery(input.filters, ctx.now, parseAsffTimestamp);
    const predicate = plan.exact ? undefined : compileFilters(input.filters, ctx.now);
    const scope = {
      accountIds: await this.visibleAccounts(ctx),
      regions: await this.visibleRegions(ctx),
      maxPk,
    };
    const chunkSize = plan.exact ? limit + 1 : Math.max(limit * 4, 400);
    const findings: FindingDocument[] = [];
    let after = token === undefined ? undefined : { values: token.values, pk: token.pk };
    let more = false;
    let scanned = 0;
    for (;;) {
      const rows = await this.store.scan(ctx.tx, scope, plan.conditions, sort, after, chunkSize);
      let index = 0;
      for (; index < rows.length && findings.length < limit; index += 1) {
        const row = rows[index];
        if (row === undefined) break;
        after = { values: row.sortValues, pk: row.pk };
        if (predicate === undefined || predicate(row.finding.document)) findings.push(row.finding.document);
      }
      scanned += index;
      const chunkFull = rows.length === chunkSize;
      if (findings.length >= limit) {
        more = index < rows.length || chunkFull;
        break;
      }
      if (!chunkFull) break;
      if (scanned >= scanBudgetRows) {
        more = true;
        break;
      }
    }
    return {
      findings,
      nextToken:
        more && after !== undefined
          ? encodeToken({ values: after.values, pk: after.pk, maxPk, fingerprint })
          : undefined,
    };
  }

  /** Counts the caller's findings matching `filters` per value of `groupBy`, largest first (insight results). */
  async countFindings(
    ctx: Ctx,
    filters: FindingFilters,
    groupBy: string,
  ): Promise<{ GroupByAttributeValue: string; Count: number }[]> {
    validateFilters(filters, findingFilterLimits);
    const plan = planFindingQuery(filters, ctx.now, parseAsffTimestamp);
    const scope = { accountIds: await this.visibleAccounts(ctx), regions: await this.visibleRegions(ctx) };
    const group = planGroupBy(groupBy);
    if (plan.exact && group !== undefined) {
      const rows = await this.store.countBy(ctx.tx, scope, plan.conditions, group, groupByResultLimit);
      return rows.map((row) => ({ GroupByAttributeValue: row.value, Count: row.count }));
    }
    const predicate = compileFilters(filters, ctx.now);
    const counts = new Map<string, number>();
    let after: { values: (string | number)[]; pk: number } | undefined;
    const chunkSize = 2_000;
    for (;;) {
      const rows = await this.store.scan(
        ctx.tx,
        { ...scope, maxPk: undefined },
        plan.conditions,
        [],
        after,
        chunkSize,
      );
      for (const row of rows) {
        after = { values: row.sortValues, pk: row.pk };
        if (!predicate(row.finding.document)) continue;
        for (const value of valuesForGroupBy(row.finding.document, groupBy))
          counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      if (rows.length < chunkSize) break;
    }
    return [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, groupByResultLimit)
      .map(([value, count]) => ({ GroupByAttributeValue: value, Count: count }));
  }

  /** BatchUpdateFindings: applies a customer update to each identified finding the caller can see. */
  async updateFindings(
    ctx: Ctx,
    identifiers: readonly FindingIdentifier[],
    update: FindingFieldsUpdate,
  ): Promise<{
    ProcessedFindings: FindingIdentifier[];
    UnprocessedFindings: { FindingIdentifier: FindingIdentifier; ErrorCode: string; ErrorMessage: string }[];
  }> {
    const keys = identifiers.map((i) => identityKey(i.ProductArn, i.Id));
    const duplicated = new Set(keys.filter((key, index) => keys.indexOf(key) !== index));
    const existing = byIdentity(
      await this.store.findByIdentities(
        ctx.tx,
        await this.visibleScope(ctx),
        identifiers.map((i) => ({ productArn: i.ProductArn, id: i.Id })),
      ),
      ctx.accountId,
    );
    const processed: FindingIdentifier[] = [];
    const unprocessed: { FindingIdentifier: FindingIdentifier; ErrorCode: string; ErrorMessage: string }[] =
      [];
    const writes: FindingWrite[] = [];
    identifiers.forEach((identifier, index) => {
      const key = keys[index] ?? '';
      const reject = (ErrorCode: string, ErrorMessage: string): void => {
        unprocessed.push({
          FindingIdentifier: { Id: identifier.Id, ProductArn: identifier.ProductArn },
          ErrorCode,
          ErrorMessage,
        });
      };
      if (duplicated.has(key))
        return reject('DuplicatedFindingIdentifier', 'Finding Identifier is duplicated');
      const current = existing.get(key);
      if (current === undefined) return reject('FindingNotFound', 'Finding Not Found');
      const next = applyFieldsUpdate(current, update, ctx.now);
      if (Buffer.byteLength(JSON.stringify(next.document)) > maxFindingBytes) {
        return reject('FindingSizeExceeded', 'Finding size exceeded 240 KB');
      }
      writes.push({
        pk: current.pk,
        version: current.version,
        // A finding of a linked Region is updated from the aggregation Region but stays in its own Region.
        region: current.document.Region ?? ctx.region,
        document: next.document,
        customerUpdated: next.customerUpdated,
        history: {
          sourceType: 'BATCH_UPDATE_FINDINGS',
          sourceIdentity: ctx.actor.principalArn,
          changes: diffFindings(current.document, next.document),
          at: ctx.now,
        },
      });
      processed.push({ Id: identifier.Id, ProductArn: identifier.ProductArn });
    });
    await this.store.write(ctx.tx, writes);
    await appendEvents(ctx.tx, findingEvents(writes), ctx.now.getTime());
    return { ProcessedFindings: processed, UnprocessedFindings: unprocessed };
  }

  /** GetFindingHistory: the recorded changes of one finding, oldest first. */
  async findingHistory(
    ctx: Ctx,
    input: {
      identifier: FindingIdentifier;
      startTime: Date | undefined;
      endTime: Date | undefined;
      nextToken: string | undefined;
      maxResults: number | undefined;
    },
  ): Promise<{ records: HistoryRecord[]; nextToken: string | undefined }> {
    const found = byIdentity(
      await this.store.findByIdentities(ctx.tx, await this.visibleScope(ctx), [
        { productArn: input.identifier.ProductArn, id: input.identifier.Id },
      ]),
      ctx.accountId,
    );
    const finding = found.get(identityKey(input.identifier.ProductArn, input.identifier.Id));
    if (finding === undefined) return { records: [], nextToken: undefined };
    const afterSeq = parseHistoryToken(input.nextToken);
    const limit = input.maxResults ?? defaultPageSize;
    const entries = await this.store.history(
      ctx.tx,
      finding.pk,
      { startMs: input.startTime?.getTime(), endMs: input.endTime?.getTime() },
      afterSeq,
      limit + 1,
    );
    const page = entries.slice(0, limit);
    const last = page[page.length - 1];
    return {
      records: page.map((entry) => ({
        FindingIdentifier: { Id: input.identifier.Id, ProductArn: input.identifier.ProductArn },
        UpdateTime: entry.updateTime.toISOString(),
        FindingCreated: entry.findingCreated,
        UpdateSource: { Type: entry.sourceType, Identity: entry.sourceIdentity },
        Updates: entry.updates,
      })),
      nextToken: entries.length > limit && last !== undefined ? String(last.seq) : undefined,
    };
  }

  /** The number of stored findings. */
  async countStored(db: DbExecutor): Promise<number> {
    return this.store.count(db);
  }
}

/** One GetFindingHistory record. */
export interface HistoryRecord {
  FindingIdentifier: FindingIdentifier;
  UpdateTime: string;
  FindingCreated: boolean;
  UpdateSource: { Type: string; Identity: string };
  Updates: FieldChange[];
}

function parseHistoryToken(token: string | undefined): number | undefined {
  if (token === undefined || token === '' || token === 'NULL') return undefined;
  if (!/^\d+$/.test(token)) throw invalidInput('The NextToken is invalid');
  return Number(token);
}

/** The outbox events of one call's writes, per owning account and Region: new findings Imported, changed ones Updated. */
function findingEvents(writes: readonly FindingWrite[]): BulwarkEvent[] {
  const groups = new Map<
    string,
    {
      type: 'FindingsImported' | 'FindingsUpdated';
      accountId: string;
      region: string;
      findings: FindingRef[];
    }
  >();
  for (const write of writes) {
    const type = write.pk === undefined ? 'FindingsImported' : 'FindingsUpdated';
    const accountId = write.document.AwsAccountId;
    const key = `${type}:${accountId}:${write.region}`;
    const group = groups.get(key) ?? { type, accountId, region: write.region, findings: [] };
    group.findings.push({ productArn: write.document.ProductArn, findingId: write.document.Id });
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * The finding each (ProductArn, Id) names for a caller, keyed by identityKey. A FindingIdentifier carries no
 * account, so when several accounts in the caller's scope hold that ProductArn and Id (an administrator and its
 * members), the caller's own finding comes first, then the member with the lowest account id.
 */
function byIdentity(found: readonly StoredFinding[], ownAccountId: string): Map<string, StoredFinding> {
  const rank = (finding: StoredFinding): string =>
    finding.document.AwsAccountId === ownAccountId ? '' : finding.document.AwsAccountId;
  const chosen = new Map<string, StoredFinding>();
  for (const finding of found) {
    const key = identityKey(finding.document.ProductArn, finding.document.Id);
    const current = chosen.get(key);
    if (current === undefined || rank(finding) < rank(current)) chosen.set(key, finding);
  }
  return chosen;
}

function isNewer(incoming: string, stored: string): boolean {
  return compareAsffTimestamps(incoming, stored) > 0;
}

export type { SortTerm };
