/** Opens the configured engine and migrates it; the only place that chooses a dialect. */
import { sql, type LogConfig, type LogEvent } from 'kysely';
import type { Db } from './database.js';
import type { DialectTraits } from './dialect-traits.js';
import type { FindingsWriter } from './findings-writer.js';
import type { WorkQueueSql } from './work-queue-sql.js';
import { KyselyFindingsWriter } from './kysely-findings-writer.js';
import { migrateToLatest } from './migrate.js';
import { openPostgres, postgresTraits } from './dialects/postgres/open-postgres.js';
import { postgresWorkQueueSql } from './dialects/postgres/postgres-work-queue.js';
import { openSqlite, sqliteTraits } from './dialects/sqlite/open-sqlite.js';
import { sqliteWorkQueueSql } from './dialects/sqlite/sqlite-work-queue.js';
import { SqliteFindingsWriter } from './dialects/sqlite/sqlite-findings-writer.js';

/** An open, migrated database and what kind of engine it is. */
export interface OpenDatabase {
  db: Db;
  traits: DialectTraits;
  /** The engine's fastest findings writer (for the findings store). */
  findingsWriter: FindingsWriter;
}

/** Whether `url` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** The engine traits `url` will open with (for wiring that receives an already open database). */
export function dialectTraitsFor(url: string): DialectTraits {
  return isPostgresUrl(url) ? postgresTraits : sqliteTraits;
}

/**
 * `BULWARK_LOG_SQL=1` logs every statement with its parameters and duration to stderr (for EXPLAIN work;
 * `bench/query.ts --explain` captures them itself).
 */
function sqlLogFromEnvironment(): LogConfig | undefined {
  if (process.env['BULWARK_LOG_SQL'] !== '1') return undefined;
  return (event: LogEvent) => {
    process.stderr.write(
      `[sql ${event.queryDurationMillis.toFixed(2)} ms${event.level === 'error' ? ' ERROR' : ''}] ` +
        `${event.query.sql} -- ${JSON.stringify(event.query.parameters)}\n`,
    );
  };
}

/**
 * Opens `url`: `postgres://…` for PostgreSQL (optionally inside `schema`, created when missing), otherwise a
 * SQLite file path or `sqlite:PATH` (`:memory:` for tests). Migrations run before it is returned.
 */
export async function openDatabase(
  url: string,
  options: { schema?: string; log?: LogConfig } = {},
): Promise<OpenDatabase> {
  const log = options.log ?? sqlLogFromEnvironment();
  if (isPostgresUrl(url)) {
    if (options.schema !== undefined) {
      if (!/^[a-z_][a-z0-9_]*$/.test(options.schema))
        throw new Error(`invalid schema name ${options.schema}`);
      const bootstrap = openPostgres(url, { maxConnections: 1 });
      await sql`create schema if not exists ${sql.id(options.schema)}`.execute(bootstrap);
      await bootstrap.destroy();
    }
    const db = openPostgres(url, {
      ...(options.schema === undefined ? {} : { schema: options.schema }),
      ...(log === undefined ? {} : { log }),
    });
    await migrateToLatest(db, postgresTraits, options.schema);
    return { db, traits: postgresTraits, findingsWriter: new KyselyFindingsWriter() };
  }
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  const { db, connection } = openSqlite(file, log);
  await migrateToLatest(db, sqliteTraits);
  return { db, traits: sqliteTraits, findingsWriter: new SqliteFindingsWriter(connection) };
}

/** The queue statements of `traits.engine`. */
export function workQueueSqlFor(traits: DialectTraits): WorkQueueSql {
  switch (traits.engine) {
    case 'postgres':
      return postgresWorkQueueSql;
    case 'sqlite':
      return sqliteWorkQueueSql;
  }
}
