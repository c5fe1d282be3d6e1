/**
 * Turns AwsSecurityFindingFilters into SQL conditions over the extracted columns. The in-memory matcher
 * stays the definition of the semantics; a key is pushed down only where SQL gives exactly the same answer,
 * so GetFindings narrows with SQL and re-checks in memory, and group-by runs in SQL only when every key is exact.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import { invalidInput } from '../kernel/index.js';
import type { DateFilter, FindingFilters, NumberFilter, StringFilter } from './filters/index.js';

/** A WHERE condition over the findings table aliased `f`. */
export type SqlCondition = Expression<SqlBool>;

/** An ORDER BY term over findings columns (already mapped from SortCriteria). */
export interface SortTerm {
  /** SQL expression text over alias `f` (a fixed, trusted column expression). */
  expression: string;
  direction: 'asc' | 'desc';
}

/** The SQL part of a filter: conditions, and whether they alone decide the whole filter. */
export interface FindingQueryPlan {
  conditions: SqlCondition[];
  /** True when every filter key was pushed down exactly (no in-memory re-check needed). */
  exact: boolean;
}

const stringColumns = new Map<string, { column: string; nullable: boolean }>(
  Object.entries({
    Id: { column: 'f.finding_id', nullable: false },
    ProductArn: { column: 'f.product_arn', nullable: false },
    AwsAccountId: { column: 'f.aws_account_id', nullable: false },
    GeneratorId: { column: 'f.generator_id', nullable: false },
    Title: { column: 'f.title', nullable: false },
    Region: { column: 'f.region', nullable: false },
    SeverityLabel: { column: 'f.severity_label', nullable: false },
    WorkflowStatus: { column: 'f.workflow_status', nullable: false },
    RecordState: { column: 'f.record_state', nullable: false },
    ComplianceStatus: { column: 'f.compliance_status', nullable: true },
    VerificationState: { column: 'f.verification_state', nullable: true },
    ProductName: { column: 'f.product_name', nullable: true },
    CompanyName: { column: 'f.company_name', nullable: true },
  }),
);

const childColumns = new Map<string, { table: 'finding_types' | 'finding_resources'; column: string }>(
  Object.entries({
    Type: { table: 'finding_types', column: 'type' },
    ResourceId: { table: 'finding_resources', column: 'resource_id' },
    ResourceType: { table: 'finding_resources', column: 'resource_type' },
  }),
);

const dateColumns = new Map<string, string>(
  Object.entries({
    CreatedAt: 'f.created_at_ms',
    UpdatedAt: 'f.updated_at_ms',
    FirstObservedAt: 'f.first_observed_at_ms',
    LastObservedAt: 'f.last_observed_at_ms',
  }),
);

const numberColumns = new Map<string, string>(
  Object.entries({ SeverityNormalized: 'f.severity_normalized' }),
);

function positiveString(column: string, filter: StringFilter): SqlCondition | undefined {
  const value = filter.Value ?? '';
  switch (filter.Comparison) {
    case 'EQUALS':
      return sql<SqlBool>`${sql.raw(column)} = ${value}`;
    case 'PREFIX':
      return sql<SqlBool>`(${sql.raw(column)} >= ${value} and substr(${sql.raw(column)}, 1, length(${value})) = ${value})`;
    case 'CONTAINS':
    case 'NOT_EQUALS':
    case 'PREFIX_NOT_EQUALS':
    case 'NOT_CONTAINS':
    case undefined:
      return undefined;
  }
}

function negativeString(column: string, filter: StringFilter): SqlCondition | undefined {
  const value = filter.Value ?? '';
  switch (filter.Comparison) {
    case 'NOT_EQUALS':
      return sql<SqlBool>`${sql.raw(column)} = ${value}`;
    case 'PREFIX_NOT_EQUALS':
      return sql<SqlBool>`substr(${sql.raw(column)}, 1, length(${value})) = ${value}`;
    case 'EQUALS':
    case 'PREFIX':
    case 'CONTAINS':
    case 'NOT_CONTAINS':
    case undefined:
      return undefined;
  }
}

const isNegative = (filter: StringFilter): boolean =>
  filter.Comparison === 'NOT_EQUALS' ||
  filter.Comparison === 'PREFIX_NOT_EQUALS' ||
  filter.Comparison === 'NOT_CONTAINS';

/** SQL for one string key on a scalar column, or undefined when a comparison cannot be pushed down. */
function scalarStringCondition(
  target: { column: string; nullable: boolean },
  filters: readonly StringFilter[],
): SqlCondition | undefined {
  const positives: SqlCondition[] = [];
  const negatives: SqlCondition[] = [];
  for (const filter of filters) {
    if (isNegative(filter)) {
      const excluded = negativeString(target.column, filter);
      if (excluded === undefined) return undefined;
      negatives.push(
        target.nullable
          ? sql<SqlBool>`(${sql.raw(target.column)} is null or not ${excluded})`
          : sql<SqlBool>`not ${excluded}`,
      );
    } else {
      const included = positiveString(target.column, filter);
      if (included === undefined) return undefined;
      positives.push(included);
    }
  }
  const parts = [
    ...(positives.length > 0 ? [sql<SqlBool>`(${sql.join(positives, sql` or `)})`] : []),
    ...negatives,
  ];
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

/** SQL for one string key on a child table: positives need some element, negatives need none. */
function childStringCondition(
  target: { table: string; column: string },
  filters: readonly StringFilter[],
): SqlCondition | undefined {
  const column = `c.${target.column}`;
  const positives: SqlCondition[] = [];
  const negatives: SqlCondition[] = [];
  for (const filter of filters) {
    const condition = isNegative(filter) ? negativeString(column, filter) : positiveString(column, filter);
    if (condition === undefined) return undefined;
    (isNegative(filter) ? negatives : positives).push(condition);
  }
  const exists = (condition: SqlCondition): SqlCondition =>
    sql<SqlBool>`exists (select 1 from ${sql.raw(target.table)} c where c.finding_pk = f.pk and ${condition})`;
  // Same rows as exists(), but lets SQLite drive from the child index (a rare ResourceId) instead of testing
  // every row of the account.
  const among = (condition: SqlCondition): SqlCondition =>
    sql<SqlBool>`f.pk in (select c.finding_pk from ${sql.raw(target.table)} c where ${condition})`;
  const parts: SqlCondition[] = [];
  if (positives.length > 0) parts.push(among(sql<SqlBool>`(${sql.join(positives, sql` or `)})`));
  for (const negative of negatives) parts.push(sql<SqlBool>`not ${exists(negative)}`);
  return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

const dayMs = 86_400_000;

function dateCondition(
  column: string,
  filters: readonly DateFilter[],
  now: Date,
  parse: (text: string) => number | undefined,
): SqlCondition | undefined {
  const alternatives: SqlCondition[] = [];
  for (const filter of filters) {
    const bounds: SqlCondition[] = [sql<SqlBool>`${sql.raw(column)} is not null`];
    if (filter.Start !== undefined) {
      const start = parse(filter.Start);
      if (start === undefined) return undefined;
      bounds.push(sql<SqlBool>`${sql.raw(column)} >= ${start}`);
    }
    if (filter.End !== undefined) {
      const end = parse(filter.End);
      if (end === undefined) return undefined;
      bounds.push(sql<SqlBool>`${sql.raw(column)} <= ${end}`);
    }
    if (filter.DateRange !== undefined) {
      const edge = now.getTime() - (filter.DateRange.Value ?? 0) * dayMs;
      bounds.push(
        filter.DateRange.Comparison === 'OLDER_THAN'
          ? sql<SqlBool>`${sql.raw(column)} < ${edge}`
          : sql<SqlBool>`${sql.raw(column)} >= ${edge}`,
      );
    }
    alternatives.push(sql<SqlBool>`(${sql.join(bounds, sql` and `)})`);
  }
  return sql<SqlBool>`(${sql.join(alternatives, sql` or `)})`;
}

function numberCondition(column: string, filters: readonly NumberFilter[]): SqlCondition {
  const c = sql.raw(column);
  const alternatives = filters.map((filter) => {
    const bounds: SqlCondition[] = [sql<SqlBool>`${c} is not null`];
    if (filter.Gte !== undefined) bounds.push(sql<SqlBool>`${c} >= ${filter.Gte}`);
    if (filter.Lte !== undefined) bounds.push(sql<SqlBool>`${c} <= ${filter.Lte}`);
    if (filter.Eq !== undefined) bounds.push(sql<SqlBool>`${c} = ${filter.Eq}`);
    if (filter.Gt !== undefined) bounds.push(sql<SqlBool>`${c} > ${filter.Gt}`);
    if (filter.Lt !== undefined) bounds.push(sql<SqlBool>`${c} < ${filter.Lt}`);
    return sql<SqlBool>`(${sql.join(bounds, sql` and `)})`;
  });
  return sql<SqlBool>`(${sql.join(alternatives, sql` or `)})`;
}

/** Plans the SQL half of `filters` (already validated). */
export function planFindingQuery(
  filters: FindingFilters,
  now: Date,
  parseTimestamp: (text: string) => number | undefined,
): FindingQueryPlan {
  const conditions: SqlCondition[] = [];
  let exact = true;
  for (const [key, value] of Object.entries(filters)) {
    if (!Array.isArray(value) || value.length === 0) continue;
    let condition: SqlCondition | undefined;
    const scalar = stringColumns.get(key);
    const child = childColumns.get(key);
    const date = dateColumns.get(key);
    const number = numberColumns.get(key);
    if (scalar !== undefined) condition = scalarStringCondition(scalar, value as StringFilter[]);
    else if (child !== undefined) condition = childStringCondition(child, value as StringFilter[]);
    else if (date !== undefined) condition = dateCondition(date, value as DateFilter[], now, parseTimestamp);
    else if (number !== undefined) condition = numberCondition(number, value as NumberFilter[]);
    if (condition === undefined) exact = false;
    else conditions.push(condition);
  }
  return { conditions, exact };
}

const sortColumns = new Map<string, { column: string; kind: 'number' | 'text'; nullable: boolean }>(
  Object.entries({
    UpdatedAt: { column: 'f.updated_at_ms', kind: 'number', nullable: false },
    CreatedAt: { column: 'f.created_at_ms', kind: 'number', nullable: false },
    FirstObservedAt: { column: 'f.first_observed_at_ms', kind: 'number', nullable: true },
    LastObservedAt: { column: 'f.last_observed_at_ms', kind: 'number', nullable: true },
    SeverityLabel: { column: 'f.severity_rank', kind: 'number', nullable: false },
    SeverityNormalized: { column: 'f.severity_normalized', kind: 'number', nullable: false },
    Title: { column: 'f.title', kind: 'text', nullable: false },
    Id: { column: 'f.finding_id', kind: 'text', nullable: false },
    ProductArn: { column: 'f.product_arn', kind: 'text', nullable: false },
    AwsAccountId: { column: 'f.aws_account_id', kind: 'text', nullable: false },
    GeneratorId: { column: 'f.generator_id', kind: 'text', nullable: false },
    WorkflowStatus: { column: 'f.workflow_status', kind: 'text', nullable: false },
    RecordState: { column: 'f.record_state', kind: 'text', nullable: false },
    ComplianceStatus: { column: 'f.compliance_status', kind: 'text', nullable: true },
    VerificationState: { column: 'f.verification_state', kind: 'text', nullable: true },
    ProductName: { column: 'f.product_name', kind: 'text', nullable: true },
    CompanyName: { column: 'f.company_name', kind: 'text', nullable: true },
  }),
);

/** The sort fields GetFindings accepts. */
export const sortableFields = [...sortColumns.keys()];

/** Maps SortCriteria to ORDER BY terms (SortOrder defaults to asc); missing values sort last either way. */
export function planSort(
  criteria: readonly { Field?: string | undefined; SortOrder?: string | undefined }[],
): SortTerm[] {
  return criteria.map((criterion) => {
    const field = criterion.Field ?? '';
    const target = sortColumns.get(field);
    if (target === undefined) {
      throw invalidInput(
        `SortCriteria Field '${field}' is not supported; use one of ${sortableFields.join(', ')}`,
      );
    }
    const direction = criterion.SortOrder === 'desc' ? 'desc' : 'asc';
    if (!target.nullable) return { expression: target.column, direction };
    const missing =
      target.kind === 'number'
        ? direction === 'asc'
          ? '9007199254740991'
          : '-9007199254740991'
        : direction === 'asc'
          ? `'\uffff'`
          : `''`;
    return { expression: `coalesce(${target.column}, ${missing})`, direction };
  });
}

/** Group-by targets that SQL can count exactly. */
export function planGroupBy(
  attribute: string,
):
  | { kind: 'column'; expression: string }
  | { kind: 'child'; table: 'finding_types' | 'finding_resources'; column: string }
  | undefined {
  const scalar = stringColumns.get(attribute);
  if (scalar !== undefined) return { kind: 'column', expression: scalar.column };
  const child = childColumns.get(attribute);
  if (child !== undefined) return { kind: 'child', table: child.table, column: child.column };
  return undefined;
}
