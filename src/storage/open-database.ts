/** Opens the configured database and migrates it; the only place that chooses an engine. */
import type { LogConfig, LogEvent } from 'kysely';
import type { Db } from './database.js';
import type { DialectTraits } from './dialect-traits.js';
import type { FindingsWriter } from './findings-writer.js';
import { migrateToLatest } from './migrate.js';
import { postgresEngine } from './dialects/postgres/index.js';
import { sqliteEngine } from './dialects/sqlite/index.js';
import { recordStorageEngine, type StorageEngine } from './storage-engine.js';

/** An open, migrated database and its engine. */
export interface OpenDatabase {
  db: Db;
  engine: StorageEngine;
  traits: DialectTraits;
  /** The engine's fastest findings writer (for the findings store). */
  findingsWriter: FindingsWriter;
}

/** The engines in the order they are offered a URL; SQLite takes any URL PostgreSQL does not. */
const engines: readonly StorageEngine[] = [postgresEngine, sqliteEngine];

function engineFor(url: string): StorageEngine {
  return engines.find((engine) => engine.accepts(url)) ?? sqliteEngine;
}

/** Whether `url` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(url: string): boolean {
  return engineFor(url) === postgresEngine;
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
  const engine = engineFor(url);
  const { db, findingsWriter } = await engine.open(url, {
    ...(options.schema === undefined ? {} : { schema: options.schema }),
    ...(log === undefined ? {} : { log }),
  });
  recordStorageEngine(db, engine);
  await migrateToLatest(db, engine.traits, options.schema);
  return { db, engine, traits: engine.traits, findingsWriter };
}
