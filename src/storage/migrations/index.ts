/** The ordered list of schema migrations; a name, once released, never changes. */
import type { Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';
import { initialSchema } from './0001-initial.js';
import { jobsAndOutboxSchema } from './0002-jobs-and-outbox.js';

export function allMigrations(traits: DialectTraits): Record<string, Migration> {
  return {
    '0001-initial': initialSchema(traits),
    '0002-jobs-and-outbox': jobsAndOutboxSchema(traits),
  };
}
