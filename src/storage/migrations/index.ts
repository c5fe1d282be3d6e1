/** The ordered list of schema migrations; a name, once released, never changes. */
import type { Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';
import { initialSchema } from './0001-initial.js';
import { jobsAndOutboxSchema } from './0002-jobs-and-outbox.js';
import { auditTrailSchema } from './0003-audit-trail.js';
import { principalsAndPoliciesSchema } from './0004-principals-and-policies.js';
import { membersSchema } from './0005-members.js';
import { fleetSchema } from './0006-fleet.js';
import { inventoryComplianceSchema } from './0007-inventory-compliance.js';
import { patchingSchema } from './0008-patching.js';
import { documentsAssociationsSchema } from './0009-documents-associations.js';
import { findingAggregatorsSchema } from './0010-finding-aggregators.js';
import { commandsSchema } from './0012-commands.js';
import { controlsSchema } from './0013-controls.js';
import { commandTargetsSchema } from './0014-command-targets.js';
import { commandRateControlSchema } from './0015-command-rate-control.js';
import { maintenanceWindowsSchema } from './0016-maintenance-windows.js';
import { outboxDeadLetterPayloadsSchema } from './0020-outbox-dead-letter-payloads.js';
import { findingIdentityByAccountSchema } from './0021-finding-identity-by-account.js';
import { findingRetentionSchema } from './0022-finding-retention.js';
import { associationRunsSchema } from './0023-association-runs.js';
import { commandInvocationsByTimeSchema } from './0026-command-invocations-by-time.js';
import { consoleSignInSchema } from './0027-console-sign-in.js';
import { findingSummarySchema } from './0028-finding-summary.js';
import { auditConsoleCallsSchema } from './0029-audit-console-calls.js';
import { auditVerificationSchema } from './0030-audit-verification.js';

export function allMigrations(traits: DialectTraits): Record<string, Migration> {
  return {
    '0001-initial': initialSchema(traits),
    '0002-jobs-and-outbox': jobsAndOutboxSchema(traits),
    '0003-audit-trail': auditTrailSchema(traits),
    '0004-principals-and-policies': principalsAndPoliciesSchema(traits),
    '0005-members': membersSchema(traits),
    '0006-fleet': fleetSchema(traits),
    '0007-inventory-compliance': inventoryComplianceSchema(traits),
    '0008-patching': patchingSchema(traits),
    '0009-documents-associations': documentsAssociationsSchema(traits),
    '0010-finding-aggregators': findingAggregatorsSchema(traits),
    '0012-commands': commandsSchema(traits),
    '0013-controls': controlsSchema(traits),
    '0014-command-targets': commandTargetsSchema(),
    '0015-command-rate-control': commandRateControlSchema(traits),
    '0016-maintenance-windows': maintenanceWindowsSchema(traits),
    '0020-outbox-dead-letter-payloads': outboxDeadLetterPayloadsSchema(traits),
    '0021-finding-identity-by-account': findingIdentityByAccountSchema(traits),
    '0022-finding-retention': findingRetentionSchema(traits),
    '0023-association-runs': associationRunsSchema(),
    '0026-command-invocations-by-time': commandInvocationsByTimeSchema(),
    '0027-console-sign-in': consoleSignInSchema(traits),
    '0028-finding-summary': findingSummarySchema(traits),
    '0029-audit-console-calls': auditConsoleCallsSchema(),
    '0030-audit-verification': auditVerificationSchema(traits),
  };
}
