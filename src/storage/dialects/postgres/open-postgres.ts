/** The scale-out engine: PostgreSQL 15+ through a connection pool. */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../../database.js';
import type { DialectTraits } from '../../dialect-traits.js';

export const postgresTraits: DialectTraits = {
  engine: 'postgres',
  autoIncrementKey: 'bigserial',
  bigInteger: 'bigint',
};

const int8Oid = 20;
const numericOid = 1700;

/** 64-bit columns hold epoch milliseconds and counters, all within Number's exact range. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === int8Oid || oid === numericOid) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

/** Opens a pool on `url`; `schema`, when given, is created if needed and used as the search path. */
export function openPostgres(url: string, options: { schema?: string; maxConnections?: number } = {}): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    types,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
