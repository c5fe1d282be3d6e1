/** BatchUpdateFindings and GetFindingHistory: customer updates of the findings a caller sees, and their record. */
import type { Ctx } from '../kernel/index.js';
import { invalidInput } from '../kernel/index.js';
import { appendEvents } from '../worker/index.js';
import { findingEvents } from './finding-events.js';
import { byIdentity } from './finding-identity.js';
import { maxFindingBytes } from './finding-import.js';
import { defaultPageSize } from './finding-queries.js';
import { visibleScopeOf, type AccountScope } from './finding-scope.js';
import { identityKey, type FindingWrite, type FindingsStore } from './findings-store.js';
import {
  applyFieldsUpdate,
  diffFindings,
  type FieldChange,
  type FindingFieldsUpdate,
  type FindingIdentifier,
} from './findings-model.js';

/** A finding BatchUpdateFindings did not update, and why. */
export interface UnprocessedFinding {
  FindingIdentifier: FindingIdentifier;
  ErrorCode: string;
  ErrorMessage: string;
}

/** One GetFindingHistory record. */
export interface HistoryRecord {
  FindingIdentifier: FindingIdentifier;
  UpdateTime: string;
  FindingCreated: boolean;
  UpdateSource: { Type: string; Identity: string };
  Updates: FieldChange[];
}

/** The GetFindingHistory request, validated at the edge. */
export interface HistoryQuery {
  identifier: FindingIdentifier;
  startTime: Date | undefined;
  endTime: Date | undefined;
  nextToken: string | undefined;
  maxResults: number | undefined;
}

/** Applies customer updates and reads a finding's history. */
export class FindingUpdates {
  constructor(
    private readonly store: FindingsStore,
    private readonly scope: AccountScope,
  ) {}

  /** BatchUpdateFindings: applies a customer update to each identified finding the caller can see. */
  async updateFindings(
    ctx: Ctx,
    identifiers: readonly FindingIdentifier[],
    update: FindingFieldsUpdate,
  ): Promise<{ ProcessedFindings: FindingIdentifier[]; UnprocessedFindings: UnprocessedFinding[] }> {
    const keys = identifiers.map((i) => identityKey(i.ProductArn, i.Id));
    const duplicated = new Set(keys.filter((key, index) => keys.indexOf(key) !== index));
    const existing = byIdentity(
      await this.store.findByIdentities(
        ctx.tx,
        await visibleScopeOf(this.scope, ctx),
        identifiers.map((i) => ({ productArn: i.ProductArn, id: i.Id })),
      ),
      ctx.accountId,
    );
    const processed: FindingIdentifier[] = [];
    const unprocessed: UnprocessedFinding[] = [];
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
    input: HistoryQuery,
  ): Promise<{ records: HistoryRecord[]; nextToken: string | undefined }> {
    const found = byIdentity(
      await this.store.findByIdentities(ctx.tx, await visibleScopeOf(this.scope, ctx), [
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
}

function parseHistoryToken(token: string | undefined): number | undefined {
  if (token === undefined || token === '' || token === 'NULL') return undefined;
  if (!/^\d+$/.test(token)) throw invalidInput('The NextToken is invalid');
  return Number(token);
}
