/** Persistence of findings: extracted filter columns, child tables for arrays, the document, and history. */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { DbExecutor } from '../storage/database.js';
import {
  KyselyFindingsWriter,
  type FindingColumns,
  type FindingRows,
  type FindingsWriter,
} from '../storage/index.js';
import { parseAsffTimestamp } from './filters/asff-timestamp.js';
import {
  completeSeverity,
  diffFindings,
  severityRank,
  type FieldChange,
  type FindingDocument,
  type StoredFinding,
} from './findings-model.js';
import type { SortTerm, SqlCondition } from './finding-query-plan.js';
import { SummaryDelta, type SummaryState } from './finding-summary.js';
import { applySummaryDelta, readSummaryStates, summaryStateOf } from './finding-summary-store.js';

/** A row change to write: a new finding (no pk) or a new version of an existing one. */
export interface FindingWrite {
  pk: number | undefined;
  /** The row version read with the finding being replaced; undefined for a new finding. */
  version: number | undefined;
  region: string;
  document: FindingDocument;
  customerUpdated: number;
  /**
   * Whether the finding is now the current one of a state Bulwark keeps itself (retention keeps it while the
   * hub is enabled); undefined keeps what is stored (false for a new finding).
   */
  held?: boolean | undefined;
  /** `changes` undefined marks a creation whose changes are every field of `document` (derived when read). */
  history: { sourceType: string; sourceIdentity: string; changes: FieldChange[] | undefined; at: Date };
}

// A creation's history lists every field of the created document, about as large as the document itself. It
// is stored as this marker and derived from the document when read; the first later write of the finding
// materializes it from the document it replaces, so the derivation always sees the created version.
const derivedCreation = '';

/** One entry of a finding's history. */
export interface FindingHistoryEntry {
  seq: number;
  updateTime: Date;
  findingCreated: boolean;
  sourceType: string;
  sourceIdentity: string;
  updates: FieldChange[];
}

/** A page of candidate rows for a query, in sort order, with the sort key values of each. */
export interface CandidateRow {
  pk: number;
  sortValues: (string | number)[];
  finding: StoredFinding;
}

function columnsOf(
  region: string,
  document: FindingDocument,
  customerUpdated: number,
  version: number,
  storedAt: Date,
): FindingColumns {
  const severity = completeSeverity(document.Severity ?? {});
  const label = severity.Label ?? 'INFORMATIONAL';
  return {
    region,
    product_arn: document.ProductArn,
    finding_id: document.Id,
    aws_account_id: document.AwsAccountId,
    generator_id: document.GeneratorId,
    title: document.Title,
    severity_label: label,
    severity_rank: severityRank(label),
    severity_normalized: severity.Normalized ?? 0,
    workflow_status: document.Workflow?.Status ?? 'NEW',
    record_state: document.RecordState ?? 'ACTIVE',
    compliance_status: document.Compliance?.Status ?? null,
    verification_state: document.VerificationState ?? null,
    product_name: document.ProductName ?? null,
    company_name: document.CompanyName ?? null,
    created_at_ms: parseAsffTimestamp(document.CreatedAt) ?? 0,
    updated_at_ms: parseAsffTimestamp(document.UpdatedAt) ?? 0,
    first_observed_at_ms:
      typeof document['FirstObservedAt'] === 'string'
        ? (parseAsffTimestamp(document['FirstObservedAt']) ?? null)
        : null,
    last_observed_at_ms:
      typeof document['LastObservedAt'] === 'string'
        ? (parseAsffTimestamp(document['LastObservedAt']) ?? null)
        : null,
    customer_updated: customerUpdated,
    version,
    stored_at_ms: storedAt.getTime(),
  };
}

const identityKey = (productArn: string, id: string): string => `${productArn}\u0000${id}`;

/** The rows of one write: extracted columns, serialized document, distinct child values, history entry. */
function rowsOf(w: FindingWrite): FindingRows {
  const types = w.document.Types ?? [];
  const resources: { type: string; id: string }[] = [];
  for (const r of w.document.Resources) {
    if (!resources.some((seen) => seen.type === r.Type && seen.id === r.Id))
      resources.push({ type: r.Type, id: r.Id });
  }
  return {
    pk: w.pk,
    expectedVersion: w.version,
    columns: columnsOf(
      w.region,
      w.document,
      w.customerUpdated,
      w.version === undefined ? 0 : w.version + 1,
      w.history.at,
    ),
    held: w.held === undefined ? undefined : w.held ? 1 : 0,
    document: JSON.stringify(w.document),
    types: types.length < 2 ? types : [...new Set(types)],
    resources,
    history: {
      update_time_ms: w.history.at.getTime(),
      finding_created: w.pk === undefined ? 1 : 0,
      source_type: w.history.sourceType,
      source_identity: w.history.sourceIdentity,
      updates: w.history.changes === undefined ? derivedCreation : JSON.stringify(w.history.changes),
    },
  };
}

/** Reads and writes the findings tables. */
export class FindingsStore {
  /** `writer` is the engine's findings writer (openDatabase supplies it); the portable one works on any engine. */
  constructor(private readonly writer: FindingsWriter = new KyselyFindingsWriter()) {}

  /**
   * The stored findings among `identities` owned by `scope.accountIds` in `scope.regions`. A finding's identity is
   * (AwsAccountId, Region, ProductArn, Id): two accounts may each hold a finding with the same ProductArn and Id,
   * so one identity may match one finding per account in scope.
   */
  async findByIdentities(
    db: DbExecutor,
    scope: { accountIds: readonly string[]; regions: readonly string[] },
    identities: readonly { productArn: string; id: string }[],
  ): Promise<StoredFinding[]> {
    if (identities.length === 0 || scope.accountIds.length === 0 || scope.regions.length === 0) return [];
    // One indexed IN lookup per product (a batch usually has one): an OR of (product, id) pairs defeats the
    // identity index in SQLite and scans the Region.
    const idsByProduct = new Map<string, string[]>();
    for (const identity of identities) {
      const ids = idsByProduct.get(identity.productArn);
      if (ids === undefined) idsByProduct.set(identity.productArn, [identity.id]);
      else ids.push(identity.id);
    }
    const rows: { pk: number; customer_updated: number; version: number; document: string }[] = [];
    for (const [productArn, ids] of idsByProduct) {
      for (let start = 0; start < ids.length; start += 500) {
        rows.push(
          ...(await db
            .selectFrom('findings as f')
            .innerJoin('finding_documents as d', 'd.finding_pk', 'f.pk')
            .select(['f.pk', 'f.customer_updated', 'f.version', 'd.document'])
            .where('f.aws_account_id', 'in', scope.accountIds)
            .where('f.region', 'in', scope.regions)
            .where('f.product_arn', '=', productArn)
            .where('f.finding_id', 'in', ids.slice(start, start + 500))
            .execute()),
        );
      }
    }
    return rows.map((row) => ({
      pk: Number(row.pk),
      customerUpdated: row.customer_updated,
      version: Number(row.version),
      document: JSON.parse(row.document) as FindingDocument,
    }));
  }

  /** Writes findings (rows, child rows, history) and moves the summary by new minus replaced versions. */
  async write(db: DbExecutor, writes: readonly FindingWrite[]): Promise<void> {
    const first = writes[0];
    if (first === undefined) return;
    const updatedPks: number[] = [];
    for (const w of writes) if (w.pk !== undefined) updatedPks.push(w.pk);
    let replaced = new Map<number, SummaryState>();
    if (updatedPks.length > 0) {
      await this.materializeCreations(db, updatedPks);
      replaced = await readSummaryStates(db, updatedPks);
    }
    const rows = writes.map(rowsOf);
    await this.writer.write(db, rows);
    const delta = new SummaryDelta();
    for (const row of rows) {
      const old = row.pk === undefined ? undefined : replaced.get(row.pk);
      if (old !== undefined) delta.add(old, -1);
      delta.add(summaryStateOf(row), 1);
    }
    await applySummaryDelta(db, delta, first.history.at);
  }

  /** Writes out the derived creation changes of `pks` before their documents are replaced. */
  private async materializeCreations(db: DbExecutor, pks: readonly number[]): Promise<void> {
    const rows = await db
      .selectFrom('finding_history as h')
      .innerJoin('finding_documents as d', 'd.finding_pk', 'h.finding_pk')
      .select(['h.seq', 'd.document'])
      .where('h.finding_pk', 'in', pks)
      .where('h.updates', '=', derivedCreation)
      .execute();
    for (const row of rows) {
      const created = JSON.parse(row.document) as FindingDocument;
      await db
        .updateTable('finding_history')
        .set({ updates: JSON.stringify(diffFindings(undefined, created)) })
        .where('seq', '=', row.seq)
        .execute();
    }
  }

  /**
   * Candidate rows matching `conditions` within `accountIds` and `regions`, in `sort` order then pk, after the
   * keyset `after` (the sort values and pk of the last row already seen), at most `limit` rows.
   */
  async scan(
    db: DbExecutor,
    scope: { accountIds: readonly string[]; regions: readonly string[]; maxPk: number | undefined },
    conditions: readonly SqlCondition[],
    sort: readonly SortTerm[],
    after: { values: (string | number)[]; pk: number } | undefined,
    limit: number,
  ): Promise<CandidateRow[]> {
    const pkDirection = sort[0]?.direction ?? 'desc';
    // Two steps: the keys of the page from the findings indexes, then their documents; sorting or skipping
    // rows never drags 2 KB documents along.
    let query = db
      .selectFrom('findings as f')
      .select(['f.pk', 'f.customer_updated'])
      .where('f.aws_account_id', 'in', scope.accountIds)
      .where('f.region', 'in', scope.regions);
    sort.forEach((term, index) => {
      query = query.select(sql.raw<string | number>(term.expression).as(`sort_${index}`));
    });
    if (scope.maxPk !== undefined) query = query.where('f.pk', '<=', scope.maxPk);
    for (const condition of conditions) query = query.where(condition);
    if (after !== undefined) query = query.where(keysetAfter(sort, pkDirection, after));
    for (const term of sort) query = query.orderBy(sql.raw(term.expression), term.direction);
    query = query.orderBy('f.pk', pkDirection).limit(limit);
    const rows = (await query.execute()) as unknown as Record<string, unknown>[];
    const documents = new Map<number, string>();
    for (let start = 0; start < rows.length; start += 500) {
      const pks = rows.slice(start, start + 500).map((row) => Number(row['pk']));
      const found = await db
        .selectFrom('finding_documents')
        .select(['finding_pk', 'document'])
        .where('finding_pk', 'in', pks)
        .execute();
      for (const row of found) documents.set(Number(row.finding_pk), row.document);
    }
    return rows.map((row) => ({
      pk: Number(row['pk']),
      sortValues: sort.map((_, index) => row[`sort_${index}`] as string | number),
      finding: {
        pk: Number(row['pk']),
        customerUpdated: Number(row['customer_updated']),
        document: JSON.parse(documents.get(Number(row['pk'])) ?? 'null') as FindingDocument,
      },
    }));
  }

  /** The highest finding pk (the snapshot bound of a paginated walk). */
  async maxPk(db: DbExecutor): Promise<number> {
    const row = await db
      .selectFrom('findings')
      .select((eb) => eb.fn.max('pk').as('max'))
      .executeTakeFirst();
    return Number(row?.max ?? 0);
  }

  /** Counts matching findings per value of a column-backed attribute, largest first, at most `limit` groups. */
  async countBy(
    db: DbExecutor,
    scope: { accountIds: readonly string[]; regions: readonly string[] },
    conditions: readonly SqlCondition[],
    group:
      | { kind: 'column'; expression: string }
      | { kind: 'child'; table: 'finding_types' | 'finding_resources'; column: string },
    limit: number,
  ): Promise<{ value: string; count: number }[]> {
    let query = db
      .selectFrom('findings as f')
      .where('f.aws_account_id', 'in', scope.accountIds)
      .where('f.region', 'in', scope.regions);
    for (const condition of conditions) query = query.where(condition);
    const valueExpression =
      group.kind === 'column' ? sql.raw<string>(group.expression) : sql.raw<string>(`c.${group.column}`);
    const grouped =
      group.kind === 'column'
        ? query
        : query.innerJoin(sql.raw(`${group.table}`).as('c') as never, (join) =>
            join.onRef(sql.raw('c.finding_pk') as never, '=', 'f.pk'),
          );
    // A column holds one value per finding, so count(*) counts findings (and can use a covering index);
    // a child table may hold several rows per finding.
    const counted = group.kind === 'column' ? sql<number>`count(*)` : sql<number>`count(distinct f.pk)`;
    const rows = await grouped
      .select([valueExpression.as('value'), counted.as('count')])
      .where(valueExpression, 'is not', null)
      .groupBy(valueExpression)
      .orderBy(counted, 'desc')
      .orderBy(valueExpression, 'asc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ value: String(row.value), count: Number(row.count) }));
  }

  async history(
    db: DbExecutor,
    pk: number,
    range: { startMs: number | undefined; endMs: number | undefined },
    afterSeq: number | undefined,
    limit: number,
  ): Promise<FindingHistoryEntry[]> {
    let query = db.selectFrom('finding_history').selectAll().where('finding_pk', '=', pk);
    if (range.startMs !== undefined) query = query.where('update_time_ms', '>=', range.startMs);
    if (range.endMs !== undefined) query = query.where('update_time_ms', '<=', range.endMs);
    if (afterSeq !== undefined) query = query.where('seq', '>', afterSeq);
    const rows = await query.orderBy('seq', 'asc').limit(limit).execute();
    let current: FindingDocument | undefined;
    if (rows.some((row) => row.updates === derivedCreation)) {
      const row = await db
        .selectFrom('finding_documents')
        .select('document')
        .where('finding_pk', '=', pk)
        .executeTakeFirst();
      if (row !== undefined) current = JSON.parse(row.document) as FindingDocument;
    }
    return rows.map((row) => ({
      seq: Number(row.seq),
      updateTime: new Date(Number(row.update_time_ms)),
      findingCreated: row.finding_created === 1,
      sourceType: row.source_type,
      sourceIdentity: row.source_identity,
      updates:
        row.updates === derivedCreation
          ? current === undefined
            ? []
            : diffFindings(undefined, current)
          : (JSON.parse(row.updates) as FieldChange[]),
    }));
  }

  /** Number of findings stored (for the metrics gauge). */
  async count(db: DbExecutor): Promise<number> {
    const row = await db
      .selectFrom('findings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

/** The keyset condition "strictly after (values…, pk)" in the given order. */
function keysetAfter(
  sort: readonly SortTerm[],
  pkDirection: 'asc' | 'desc',
  after: { values: (string | number)[]; pk: number },
): Expression<SqlBool> {
  const terms = [
    ...sort.map((term, index) => ({
      expression: term.expression,
      direction: term.direction,
      value: after.values[index],
    })),
    { expression: 'f.pk', direction: pkDirection, value: after.pk as string | number | undefined },
  ];
  const alternatives = terms.map((term, index) => {
    const equalities = terms
      .slice(0, index)
      .map((earlier) => sql`${sql.raw(earlier.expression)} = ${earlier.value}`);
    const comparison =
      term.direction === 'asc'
        ? sql`${sql.raw(term.expression)} > ${term.value}`
        : sql`${sql.raw(term.expression)} < ${term.value}`;
    return sql.join([...equalities, comparison], sql` and `);
  });
  return sql<SqlBool>`(${sql.join(
    alternatives.map((a) => sql`(${a})`),
    sql` or `,
  )})`;
}

export { identityKey };
