/** Brings a database to the program's schema version, and refuses a database newer than the program. */
import { Migrator, type MigrationProvider, type Migration } from 'kysely';
import type { Db } from './database.js';
import type { DialectTraits } from './dialect-traits.js';
import { allMigrations } from './migrations/index.js';

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly migrations: Record<string, Migration>) {}
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(this.migrations);
  }
}

/**
 * How often a migration run is tried when it fails outside any migration. Kysely's migrator looks up its own
 * tables by introspecting every schema of the database; on PostgreSQL that catalog scan fails when another
 * session drops a column or table at the same moment (another schema's migration or cleanup), and trying again
 * is safe because no migration ran.
 */
const bookkeepingAttempts = 3;

/** Runs every pending migration; throws when the database holds migrations this program does not know. */
export async function migrateToLatest(db: Db, traits: DialectTraits, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider(allMigrations(traits)),
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  for (let attempt = 1; ; attempt += 1) {
    const { error, results } = await migrator.migrateToLatest();
    if (error === undefined) return;
    const cause = error instanceof Error ? error.message : JSON.stringify(error);
    if (/previously executed migration .* is missing/.test(cause)) {
      throw new Error(`the database schema is newer than this program (${cause}); upgrade Bulwark`);
    }
    const failed = results?.find((r) => r.status === 'Error');
    if (failed === undefined && attempt < bookkeepingAttempts) {
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      continue;
    }
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${cause}`);
  }
}
