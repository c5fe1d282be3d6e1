/**
 * Maintenance windows (ssm-api.md §10.3–10.4): windows with the scheduler's next run time, their targets and
 * tasks, and executions → task executions → task invocations. One execution per window and schedule time
 * (a unique key), so two scheduler nodes can never start the same run twice.
 */
import type { Kysely, Migration } from 'kysely';
import type { DialectTraits } from '../dialect-traits.js';

export function maintenanceWindowsSchema(traits: DialectTraits): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await createWindows(db, traits);
      await createTargetsAndTasks(db, traits);
      await createExecutions(db, traits);
      await createTaskInvocations(db, traits);
    },
  };
}

/** Maintenance windows, listed per account and found when due by the scheduler. */
async function createWindows(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const big = traits.bigInteger;
  await db.schema
    .createTable('maintenance_windows')
    .addColumn('window_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('schedule', 'text', (c) => c.notNull())
    .addColumn('schedule_timezone', 'text')
    .addColumn('schedule_offset', 'integer')
    .addColumn('duration_hours', 'integer', (c) => c.notNull())
    .addColumn('cutoff_hours', 'integer', (c) => c.notNull())
    .addColumn('allow_unassociated_targets', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('start_date', big)
    .addColumn('end_date', big)
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('modified_at', big, (c) => c.notNull())
    .addColumn('next_execution_at', big)
    .execute();
  await db.schema
    .createIndex('maintenance_windows_by_account')
    .on('maintenance_windows')
    .columns(['account_id', 'region', 'name'])
    .execute();
  // The scheduler: windows due to start, across accounts.
  await db.schema
    .createIndex('maintenance_windows_due')
    .on('maintenance_windows')
    .columns(['next_execution_at'])
    .execute();
}

/** The targets and tasks registered with a window. */
async function createTargetsAndTasks(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const big = traits.bigInteger;
  await db.schema
    .createTable('maintenance_window_targets')
    .addColumn('window_target_id', 'text', (c) => c.primaryKey())
    .addColumn('window_id', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('targets', 'text', (c) => c.notNull())
    .addColumn('owner_information', 'text')
    .addColumn('name', 'text')
    .addColumn('description', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('maintenance_window_targets_by_window')
    .on('maintenance_window_targets')
    .columns(['window_id'])
    .execute();
  await db.schema
    .createTable('maintenance_window_tasks')
    .addColumn('window_task_id', 'text', (c) => c.primaryKey())
    .addColumn('window_id', 'text', (c) => c.notNull())
    .addColumn('task', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('maintenance_window_tasks_by_window')
    .on('maintenance_window_tasks')
    .columns(['window_id', 'priority'])
    .execute();
}

/** Window executions, found while running by the scheduler, and their task executions. */
async function createExecutions(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const big = traits.bigInteger;
  await db.schema
    .createTable('maintenance_window_executions')
    .addColumn('window_execution_id', 'text', (c) => c.primaryKey())
    .addColumn('window_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('scheduled_at', big, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_details', 'text', (c) => c.notNull())
    .addColumn('start_time', big, (c) => c.notNull())
    .addColumn('end_time', big)
    .addColumn('cancel_requested', 'integer', (c) => c.notNull())
    .addUniqueConstraint('maintenance_window_executions_once', ['window_id', 'scheduled_at'])
    .execute();
  // The scheduler's second half: executions still running, across accounts.
  await db.schema
    .createIndex('maintenance_window_executions_by_status')
    .on('maintenance_window_executions')
    .columns(['status'])
    .execute();
  await db.schema
    .createTable('maintenance_window_task_executions')
    .addColumn('task_execution_id', 'text', (c) => c.primaryKey())
    .addColumn('window_execution_id', 'text', (c) => c.notNull())
    .addColumn('task', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_details', 'text', (c) => c.notNull())
    .addColumn('start_time', big)
    .addColumn('end_time', big)
    .execute();
  await db.schema
    .createIndex('maintenance_window_task_executions_by_execution')
    .on('maintenance_window_task_executions')
    .columns(['window_execution_id'])
    .execute();
}

/** Task invocations (one per target) and the client tokens of idempotent registrations. */
async function createTaskInvocations(db: Kysely<unknown>, traits: DialectTraits): Promise<void> {
  const big = traits.bigInteger;
  await db.schema
    .createTable('maintenance_window_task_invocations')
    .addColumn('invocation_id', 'text', (c) => c.primaryKey())
    .addColumn('task_execution_id', 'text', (c) => c.notNull())
    .addColumn('window_execution_id', 'text', (c) => c.notNull())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .addColumn('execution_id', 'text', (c) => c.notNull())
    .addColumn('task_type', 'text', (c) => c.notNull())
    .addColumn('parameters', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_details', 'text', (c) => c.notNull())
    .addColumn('start_time', big)
    .addColumn('end_time', big)
    .addColumn('owner_information', 'text')
    .addColumn('window_target_id', 'text')
    .addColumn('targets', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('maintenance_window_task_invocations_by_task')
    .on('maintenance_window_task_invocations')
    .columns(['task_execution_id', 'sequence'])
    .execute();
  // ClientToken idempotency of CreateMaintenanceWindow and Register{Target,Task}WithMaintenanceWindow.
  await db.schema
    .createTable('maintenance_client_tokens')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('client_token', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('maintenance_client_tokens_pk', [
      'account_id',
      'region',
      'operation',
      'client_token',
    ])
    .execute();
}
