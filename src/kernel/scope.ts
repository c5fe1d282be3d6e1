/**
 * The tenant predicate, written once: every store narrows its queries to the caller's account (and Region) with
 * these, so no query can forget half of the scope.
 */
import { sql, type Expression, type SqlBool } from 'kysely';

/** The account and Region a call acts in (a Ctx is one). */
export interface Scope {
  accountId: string;
  region: string;
}

const column = (name: string, table: string | undefined) =>
  sql.ref(table === undefined ? name : `${table}.${name}`);

/** `account_id = ? AND region = ?`, on `table`'s columns when a query joins several tables. */
export function inScope(scope: Scope, table?: string): Expression<SqlBool> {
  return sql<SqlBool>`(${column('account_id', table)} = ${scope.accountId} and ${column('region', table)} = ${scope.region})`;
}

/** `account_id = ?`, for rows that belong to an account in every Region (or have no Region column). */
export function inAccount(accountId: string, table?: string): Expression<SqlBool> {
  return sql<SqlBool>`${column('account_id', table)} = ${accountId}`;
}
