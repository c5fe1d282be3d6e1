/** GetFindings and insight counts: filtered, keyset-paginated scans of the findings a caller sees. */
import { createHash } from 'node:crypto';
import type { Ctx } from '../kernel/index.js';
import { invalidInput } from '../kernel/index.js';
import {
  compileFilters,
  findingFilterLimits,
  parseAsffTimestamp,
  validateFilters,
  valuesForGroupBy,
  type FindingFilters,
} from './filters/index.js';
import { planFindingQuery, planGroupBy, planSort } from './finding-query-plan.js';
import { visibleScopeOf, type AccountScope } from './finding-scope.js';
import type { FindingsStore } from './findings-store.js';
import type { FindingDocument } from './findings-model.js';

/** A GetFindings page. */
export interface FindingsPage {
  findings: FindingDocument[];
  nextToken: string | undefined;
}

/** The GetFindings request, validated at the edge. */
export interface FindingsQuery {
  filters: FindingFilters;
  sortCriteria: readonly { Field?: string | undefined; SortOrder?: string | undefined }[];
  nextToken: string | undefined;
  maxResults: number | undefined;
}

interface PageToken {
  values: (string | number)[];
  pk: number;
  maxPk: number;
  fingerprint: string;
}

export const defaultPageSize = 100;
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

/** Reads the findings a caller sees. */
export class FindingQueries {
  constructor(
    private readonly store: FindingsStore,
    private readonly scope: AccountScope,
  ) {}

  /** GetFindings: one page of the caller's findings matching `filters`, in `sortCriteria` order. */
  async getFindings(ctx: Ctx, input: FindingsQuery): Promise<FindingsPage> {
    validateFilters(input.filters, findingFilterLimits);
    const sort = planSort(input.sortCriteria);
    const fingerprint = fingerprintOf([input.filters, sort]);
    const token = decodeToken(input.nextToken, fingerprint);
    const maxPk = token?.maxPk ?? (await this.store.maxPk(ctx.tx));
    const limit = input.maxResults ?? defaultPageSize;
    const plan = planFindingQuery(input.filters, ctx.now, parseAsffTimestamp);
    const predicate = plan.exact ? undefined : compileFilters(input.filters, ctx.now);
    const scope = { ...(await visibleScopeOf(this.scope, ctx)), maxPk };
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
    const scope = await visibleScopeOf(this.scope, ctx);
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
}
