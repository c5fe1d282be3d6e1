/** The ordered list of schema migrations; a name, once released, never changes. */
import type { Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';
import { initialSchema } from './0001-initial.js';

export function allMigrations(traits: DialectTraits): Record<string, Migration> {
  return {
    '0001-initial': initialSchema(traits),
  };
}
