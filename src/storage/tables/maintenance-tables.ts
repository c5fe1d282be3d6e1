/** Kysely row types of maintenance windows: windows, targets, tasks, executions with their task executions and invocations, and client tokens. */

export interface MaintenanceWindowsTable {
  window_id: string;
  account_id: string;
  region: string;
  name: string;
  description: string | null;
  schedule: string;
  schedule_timezone: string | null;
  schedule_offset: number | null;
  duration_hours: number;
  cutoff_hours: number;
  allow_unassociated_targets: number;
  enabled: number;
  start_date: number | null;
  end_date: number | null;
  created_at: number;
  modified_at: number;
  /** When the scheduler starts the next run; null when disabled or finished. */
  next_execution_at: number | null;
}

export interface MaintenanceWindowTargetsTable {
  window_target_id: string;
  window_id: string;
  resource_type: string;
  /** JSON array of `{key, values}`. */
  targets: string;
  owner_information: string | null;
  name: string | null;
  description: string | null;
  created_at: number;
}

export interface MaintenanceWindowTasksTable {
  window_task_id: string;
  window_id: string;
  /** JSON of the registered task (type, targets, rate control, invocation parameters …). */
  task: string;
  priority: number;
  created_at: number;
}

export interface MaintenanceWindowExecutionsTable {
  window_execution_id: string;
  window_id: string;
  account_id: string;
  region: string;
  scheduled_at: number;
  status: string;
  status_details: string;
  start_time: number;
  end_time: number | null;
  cancel_requested: number;
}

export interface MaintenanceWindowTaskExecutionsTable {
  task_execution_id: string;
  window_execution_id: string;
  /** JSON of the task as registered when this execution started it. */
  task: string;
  status: string;
  status_details: string;
  start_time: number | null;
  end_time: number | null;
}

export interface MaintenanceWindowTaskInvocationsTable {
  invocation_id: string;
  task_execution_id: string;
  window_execution_id: string;
  /** Invocations of one task execution run one after another, in this order. */
  sequence: number;
  execution_id: string;
  task_type: string;
  parameters: string;
  status: string;
  status_details: string;
  start_time: number | null;
  end_time: number | null;
  owner_information: string | null;
  window_target_id: string | null;
  targets: string;
}

export interface MaintenanceClientTokensTable {
  account_id: string;
  region: string;
  operation: string;
  client_token: string;
  /** A hash of the request, so a token reused with other parameters is refused. */
  fingerprint: string;
  resource_id: string;
}

/** The maintenance tables by name. */
export interface MaintenanceTables {
  maintenance_windows: MaintenanceWindowsTable;
  maintenance_window_targets: MaintenanceWindowTargetsTable;
  maintenance_window_tasks: MaintenanceWindowTasksTable;
  maintenance_window_executions: MaintenanceWindowExecutionsTable;
  maintenance_window_task_executions: MaintenanceWindowTaskExecutionsTable;
  maintenance_window_task_invocations: MaintenanceWindowTaskInvocationsTable;
  maintenance_client_tokens: MaintenanceClientTokensTable;
}
