/** The ordered list of schema migrations; a name, once released, never changes. */
import type { Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';
import { initialSchema } from './0001-initial.js';
import { jobsAndOutboxSchema } from './0002-jobs-and-outbox.js';
import { auditTrailSchema } from './0003-audit-trail.js';
import { principalsAndPoliciesSchema } from './0004-principals-and-policies.js';
import { membersSchema } from './0005-members.js';

export function allMigrations(traits: DialectTraits): Record<string, Migration> {
  return {
    '0001-initial': initialSchema(traits),
    '0002-jobs-and-outbox': jobsAndOutboxSchema(traits),
    '0003-audit-trail': auditTrailSchema(traits),
    '0004-principals-and-policies': principalsAndPoliciesSchema(traits),
    '0005-members': membersSchema(traits),
  };
}
