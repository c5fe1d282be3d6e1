/** The embedded engine: one SQLite file in WAL mode behind a single writer connection. */
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, type LogConfig } from 'kysely';
import type { Database } from '../../database.js';

/** An open SQLite file: the Kysely handle and the one connection behind it (for the engine's own writers). */
export interface OpenSqlite {
  db: Kysely<Database>;
  connection: SqliteDatabase.Database;
}

/**
 * Creates the database file (and its directory, 0700) owner-only before SQLite opens it: SQLite gives the
 * -wal and -shm files it makes the database file's mode, so they are 0600 too. Looser existing files are tightened.
 */
function createPrivately(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  tighten(file);
}

function tighten(file: string): void {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    return; // not there (yet)
  }
  if ((mode & 0o077) !== 0) chmodSync(file, mode & 0o700);
}

/** Opens (creating if needed) the SQLite file; `:memory:` gives a throwaway database for tests. */
export function openSqlite(file: string, log?: LogConfig): OpenSqlite {
  if (file !== ':memory:') createPrivately(file);
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
  if (file !== ':memory:') for (const companion of [`${file}-wal`, `${file}-shm`]) tighten(companion);
  // No ANALYZE / PRAGMA optimize: the findings' planner statistics are fixed by migration 0001.
  return {
    db: new Kysely<Database>({
      dialect: new SqliteDialect({ database: connection }),
      ...(log === undefined ? {} : { log }),
    }),
    connection,
  };
}
