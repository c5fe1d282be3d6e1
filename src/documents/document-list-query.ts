/**
 * ListDocuments in SQL: the stored documents a caller can see (its own, and others' shared with it or with
 * everyone) in (name, owner) order after a key, narrowed by the filters SQL can decide. PlatformTypes,
 * SchemaVersion and tag filters depend on a version's content or on the tag store and are decided by the caller.
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import { afterKey, inScope, type Scope } from '../kernel/index.js';
import type { Database, DbExecutor } from '../storage/database.js';
import type { PageWindow } from './keyset-scan.js';
import { toDocument } from './documents-store.js';
import { publicShare, type SsmDocument } from './documents-model.js';

/** One ListDocuments filter: a key and the values any of which may match. */
export interface DocumentFilter {
  key: string;
  values: string[];
}

/** A stored document the caller can see, and whether it is shared with everyone. */
export interface VisibleRow {
  document: SsmDocument;
  public: boolean;
}

type Eb = ExpressionBuilder<Database & { d: Database['ssm_documents'] }, 'd'>;

const never = sql<SqlBool>`1 = 0`;
const always = sql<SqlBool>`1 = 1`;

/** `d` has a share with one of `grantees`. */
function sharedWith(eb: Eb, grantees: readonly string[]) {
  return eb.exists(
    eb
      .selectFrom('ssm_document_permissions as p')
      .select(sql.lit(1).as('one'))
      .whereRef('p.account_id', '=', 'd.account_id')
      .whereRef('p.region', '=', 'd.region')
      .whereRef('p.name', '=', 'd.name')
      .where('p.shared_with', 'in', [...grantees]),
  );
}

const likeEscaped = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The SQL form of one filter; undefined for filters decided on the loaded document. */
function filterCondition(eb: Eb, filter: DocumentFilter, caller: string): Expression<SqlBool> | undefined {
  const any = (each: (value: string) => Expression<SqlBool>): Expression<SqlBool> =>
    filter.values.length === 0 ? never : eb.or(filter.values.map(each));
  switch (filter.key) {
    case 'Owner':
      return any((value) => {
        if (value === 'Self') return eb('d.account_id', '=', caller);
        if (value === 'Public') return sharedWith(eb, [publicShare]);
        if (value === 'Private')
          return eb.and([eb('d.account_id', '!=', caller), eb.not(sharedWith(eb, [publicShare]))]);
        return value === 'All' ? always : never;
      });
    case 'Name':
      return any(
        (value) => sql<SqlBool>`substr(${sql.ref('d.name')}, 1, ${sql.lit(value.length)}) = ${value}`,
      );
    case 'SearchKeyword':
      return any(
        (value) =>
          sql<SqlBool>`lower(${sql.ref('d.name')}) like ${`%${likeEscaped(value.toLowerCase())}%`} escape '\\'`,
      );
    case 'DocumentType':
      return eb('d.document_type', 'in', filter.values.length === 0 ? [''] : filter.values);
    case 'TargetType':
      return filter.values.length === 0 ? never : eb('d.target_type', 'in', filter.values);
    default:
      return undefined;
  }
}

/** The visible stored documents after `window.after` in (name, owner) order, narrowed by the SQL-decidable filters. */
export async function visibleDocumentsPage(
  db: DbExecutor,
  caller: Scope,
  filters: readonly DocumentFilter[],
  window: PageWindow,
): Promise<VisibleRow[]> {
  let query = db
    .selectFrom('ssm_documents as d')
    .selectAll('d')
    .select((eb) => sharedWith(eb, [publicShare]).as('is_public'))
    .where((eb) =>
      eb.or([
        inScope(caller, 'd'),
        eb.and([eb('d.region', '=', caller.region), sharedWith(eb, [caller.accountId, publicShare])]),
      ]),
    )
    .where((eb) => eb.and(filters.flatMap((filter) => filterCondition(eb, filter, caller.accountId) ?? [])));
  if (window.after !== undefined) query = query.where(afterKey(['d.name', 'd.account_id'], window.after));
  const rows = await query.orderBy('d.name').orderBy('d.account_id').limit(window.limit).execute();
  return rows.map((row) => ({
    document: toDocument(row),
    public: row.is_public === true || Number(row.is_public) === 1,
  }));
}
