/** Opens the configured engine and migrates it; the only place that chooses a dialect. */
import type { Db } from './database.js';
import type { DialectTraits } from './dialect-traits.js';
import { migrateToLatest } from './migrate.js';
import { openSqlite, sqliteTraits } from './dialects/sqlite/open-sqlite.js';

/** An open, migrated database and what kind of engine it is. */
export interface OpenDatabase {
  db: Db;
  traits: DialectTraits;
}

/** Opens `url`: a file path or `sqlite:PATH` for the embedded engine (`:memory:` for tests). */
export async function openDatabase(url: string): Promise<OpenDatabase> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    throw new Error('the PostgreSQL engine is not available in this build; use a SQLite file path');
  }
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  const db = openSqlite(file);
  await migrateToLatest(db, sqliteTraits);
  return { db, traits: sqliteTraits };
}
