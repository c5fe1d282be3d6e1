/** Kysely row types of Run Command: commands, their per-node invocations and output reports. */

export interface SsmCommandsTable {
  command_id: string;
  account_id: string;
  region: string;
  document_name: string;
  document_version: string;
  /** JSON object: parameter name → values, as sent. */
  parameters: string;
  /** JSON array of the targeted instance ids. */
  instance_ids: string;
  /** JSON array of `{Key, Values}` when sent to Targets; null for explicit InstanceIds. */
  targets: string | null;
  comment: string | null;
  timeout_seconds: number;
  execution_timeout_seconds: number;
  requested_at: number;
  expires_at: number;
  cancel_requested: number;
  status: string;
  status_details: string;
  target_count: number;
  completed_count: number;
  error_count: number;
  delivery_timed_out_count: number;
  /** MaxConcurrency / MaxErrors as sent: a count or a percentage of the targets. */
  max_concurrency: string;
  max_errors: string;
}

export interface SsmCommandInvocationsTable {
  command_id: string;
  instance_id: string;
  account_id: string;
  region: string;
  status: string;
  status_details: string;
  response_code: number;
  standard_output: string;
  standard_error: string;
  requested_at: number;
  /** When rate control let the invocation go to its agent; null while it is held back. */
  dispatched_at: number | null;
  delivery_count: number;
  lease_expires_at: number | null;
  started_at: number | null;
  ended_at: number | null;
  updated_at: number;
  /** Bumped on every change: conditional updates on it keep concurrent polls and reports from clobbering. */
  revision: number;
  /** JSON list of each step's outcome (name, status, response code, output, times), when reported. */
  plugin_results: string | null;
}

export interface SsmCommandReportsTable {
  command_id: string;
  instance_id: string;
  report_id: string;
  received_at: number;
}

/** The operations tables by name. */
export interface OperationsTables {
  ssm_commands: SsmCommandsTable;
  ssm_command_invocations: SsmCommandInvocationsTable;
  ssm_command_reports: SsmCommandReportsTable;
}
