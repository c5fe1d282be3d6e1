/** Kysely table types: the rows Bulwark stores, one file per capability under tables/. Stores map these to domain types; nothing else sees rows. */
import type { Kysely, Transaction } from 'kysely';
import type { AccessTables } from './tables/access-tables.js';
import type { AuditTables } from './tables/audit-tables.js';
import type { FindingsTables } from './tables/findings-tables.js';
import type { FindingSummaryTables } from './tables/finding-summary-tables.js';
import type { WorkerTables } from './tables/worker-tables.js';
import type { FleetTables } from './tables/fleet-tables.js';
import type { DocumentsTables } from './tables/documents-tables.js';
import type { ComplianceTables } from './tables/compliance-tables.js';
import type { PatchingTables } from './tables/patching-tables.js';
import type { OperationsTables } from './tables/operations-tables.js';
import type { MaintenanceTables } from './tables/maintenance-tables.js';
import type { ControlsTables } from './tables/controls-tables.js';

export type * from './tables/access-tables.js';
export type * from './tables/audit-tables.js';
export type * from './tables/findings-tables.js';
export type * from './tables/finding-summary-tables.js';
export type * from './tables/worker-tables.js';
export type * from './tables/fleet-tables.js';
export type * from './tables/documents-tables.js';
export type * from './tables/compliance-tables.js';
export type * from './tables/patching-tables.js';
export type * from './tables/operations-tables.js';
export type * from './tables/maintenance-tables.js';
export type * from './tables/controls-tables.js';

/** Every table of the database, by name. */
export interface Database
  extends
    AccessTables,
    AuditTables,
    FindingsTables,
    FindingSummaryTables,
    WorkerTables,
    FleetTables,
    DocumentsTables,
    ComplianceTables,
    PatchingTables,
    OperationsTables,
    MaintenanceTables,
    ControlsTables {}

/** The database handle every store receives. */
export type Db = Kysely<Database>;
/** A transaction, or the database itself where a store runs outside one. */
export type DbExecutor = Kysely<Database> | Transaction<Database>;
