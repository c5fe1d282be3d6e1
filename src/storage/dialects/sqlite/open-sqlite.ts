/** The embedded engine: one SQLite file in WAL mode behind a single writer connection. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, type LogConfig } from 'kysely';
import type { Database } from '../../database.js';
import type { DialectTraits } from '../../dialect-traits.js';

export const sqliteTraits: DialectTraits = {
  engine: 'sqlite',
  autoIncrementKey: 'integer',
  bigInteger: 'integer',
};

/** An open SQLite file: the Kysely handle and the one connection behind it (for the engine's own writers). */
export interface OpenSqlite {
  db: Kysely<Database>;
  connection: SqliteDatabase.Database;
}

/** Opens (creating if needed) the SQLite file; `:memory:` gives a throwaway database for tests. */
export function openSqlite(file: string, log?: LogConfig): OpenSqlite {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const connection = new SqliteDatabase(file);
  // 8 KiB pages hold three ~2 KB finding documents where 4 KiB pages hold one (takes effect on a new file only).
  connection.pragma('page_size = 8192');
  // WAL + NORMAL: a committed transaction survives a process crash (kill -9); only power loss can cost the tail.
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('foreign_keys = ON');
  connection.pragma('cache_size = -65536');
  connection.pragma('temp_store = MEMORY');
  // Checkpoint every 64 MiB of WAL rather than every 8 MiB: index pages rewritten by many batches are copied
  // back once per checkpoint; the WAL file is truncated back to that size afterwards.
  connection.pragma('wal_autocheckpoint = 8192');
  connection.pragma('journal_size_limit = 67108864');
  // No ANALYZE / PRAGMA optimize: the findings' planner statistics are fixed by migration 0001.
  return {
    db: new Kysely<Database>({
      dialect: new SqliteDialect({ database: connection }),
      ...(log === undefined ? {} : { log }),
    }),
    connection,
  };
}
