/** The scale-out engine: PostgreSQL 15+ through a connection pool. */
import { Kysely, PostgresDialect, type LogConfig } from 'kysely';
import pg from 'pg';
import type { Database } from '../../database.js';

const int8Oid = 20;
const numericOid = 1700;

/** 64-bit columns hold epoch milliseconds and counters, all within Number's exact range. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown => {
    if (oid === int8Oid || oid === numericOid) return (value: string) => Number(value);
    return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Opens a pool on `url`; `schema`, when given, is created if needed and used as the search path. */
export function openPostgres(
  url: string,
  options: { schema?: string; maxConnections?: number; log?: LogConfig } = {},
): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    types,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
}
