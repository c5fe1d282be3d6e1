/**
 * The Filters of ListCommands and ListCommandInvocations (ssm-api.md §10.2): checked, then turned into SQL
 * predicates on the command (`c`) or invocation (`i`) rows, so they decide which rows fill a page.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import { ssmError } from '../protocols/ssm/index.js';

/** One ListCommands / ListCommandInvocations filter. */
export interface CommandFilter {
  key: 'InvokedAfter' | 'InvokedBefore' | 'Status' | 'ExecutionStage' | 'DocumentName';
  value: string;
}

/** The Status filter values of §10.2 that name a StatusDetails rather than a Status. */
const detailFilters = new Map<string, string>(
  Object.entries({
    DeliveryTimedOut: 'Delivery Timed Out',
    ExecutionTimedOut: 'Execution Timed Out',
    Undeliverable: 'Undeliverable',
    Terminated: 'Terminated',
    InvalidPlatform: 'Invalid Platform',
    AccessDenied: 'Access Denied',
    Incomplete: 'Incomplete',
    NoInstancesInTag: 'No Instances In Tag',
    LimitExceeded: 'Rate Exceeded',
  }),
);

/** InvalidFilterKey / InvalidFilterValue for filters the operation does not take. */
export function checkFilters(filters: readonly CommandFilter[], allowExecutionStage: boolean): void {
  for (const filter of filters) {
    if (filter.key === 'ExecutionStage' && !allowExecutionStage)
      throw ssmError('InvalidFilterKey', 'ExecutionStage is not a ListCommandInvocations filter.');
    if (
      (filter.key === 'InvokedAfter' || filter.key === 'InvokedBefore') &&
      Number.isNaN(Date.parse(filter.value))
    )
      throw ssmError(
        'InvalidFilterValue',
        `Filter ${filter.key} needs an ISO-8601 date, got ${filter.value}.`,
      );
    if (filter.key === 'ExecutionStage' && !['Executing', 'Complete'].includes(filter.value))
      throw ssmError('InvalidFilterValue', 'ExecutionStage is Executing or Complete.');
  }
}

/** The predicate shared by both lists: time, Status (or the StatusDetails it names) on `table`'s row. */
function sharedPredicate(table: 'c' | 'i', filter: CommandFilter): Expression<SqlBool> | undefined {
  const ref = (column: string) => sql.ref(`${table}.${column}`);
  switch (filter.key) {
    case 'InvokedAfter':
      return sql<SqlBool>`${ref('requested_at')} >= ${Date.parse(filter.value)}`;
    case 'InvokedBefore':
      return sql<SqlBool>`${ref('requested_at')} <= ${Date.parse(filter.value)}`;
    case 'Status': {
      const detail = detailFilters.get(filter.value);
      return detail === undefined
        ? sql<SqlBool>`${ref('status')} = ${filter.value}`
        : sql<SqlBool>`${ref('status_details')} = ${detail}`;
    }
    default:
      return undefined;
  }
}

/** ListCommands' filters on `ssm_commands as c`; ExecutionStage Complete means every invocation finished. */
export function commandFilterPredicates(filters: readonly CommandFilter[]): Expression<SqlBool>[] {
  return filters.map((filter) => {
    if (filter.key === 'ExecutionStage')
      return filter.value === 'Complete'
        ? sql<SqlBool>`${sql.ref('c.completed_count')} = ${sql.ref('c.target_count')}`
        : sql<SqlBool>`${sql.ref('c.completed_count')} <> ${sql.ref('c.target_count')}`;
    if (filter.key === 'DocumentName') return sql<SqlBool>`${sql.ref('c.document_name')} = ${filter.value}`;
    return sharedPredicate('c', filter) ?? sql<SqlBool>`1 = 1`;
  });
}

/** ListCommandInvocations' filters on `ssm_command_invocations as i`; DocumentName is the command's. */
export function invocationFilterPredicates(filters: readonly CommandFilter[]): Expression<SqlBool>[] {
  return filters.map((filter) => {
    if (filter.key === 'DocumentName')
      return sql<SqlBool>`exists (select 1 from ssm_commands as d where d.command_id = ${sql.ref('i.command_id')} and d.document_name = ${filter.value})`;
    return sharedPredicate('i', filter) ?? sql<SqlBool>`1 = 1`;
  });
}
