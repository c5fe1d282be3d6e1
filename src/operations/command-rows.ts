/** How Run Command's commands and invocations are stored: row ↔ domain mappings of ssm_commands and ssm_command_invocations. */
import type { Target } from '../protocols/ssm/index.js';
import type { SsmCommandInvocationsTable, SsmCommandsTable } from '../storage/database.js';
import { dateOrUndefined } from '../storage/index.js';
import type { Command, CommandStatus, Invocation, InvocationStatus, PluginOutcome } from './command-model.js';

export function toCommand(row: SsmCommandsTable): Command {
  return {
    commandId: row.command_id,
    accountId: row.account_id,
    region: row.region,
    documentName: row.document_name,
    documentVersion: row.document_version,
    parameters: JSON.parse(row.parameters) as Record<string, string[]>,
    instanceIds: JSON.parse(row.instance_ids) as string[],
    targets: row.targets === null ? undefined : (JSON.parse(row.targets) as Target[]),
    comment: row.comment ?? undefined,
    timeoutSeconds: Number(row.timeout_seconds),
    executionTimeoutSeconds: Number(row.execution_timeout_seconds),
    requestedAt: new Date(Number(row.requested_at)),
    expiresAt: new Date(Number(row.expires_at)),
    cancelRequested: Number(row.cancel_requested) === 1,
    maxConcurrency: row.max_concurrency,
    maxErrors: row.max_errors,
    status: row.status as CommandStatus,
    statusDetails: row.status_details,
    targetCount: Number(row.target_count),
    completedCount: Number(row.completed_count),
    errorCount: Number(row.error_count),
    deliveryTimedOutCount: Number(row.delivery_timed_out_count),
  };
}

export function commandRow(command: Command): SsmCommandsTable {
  return {
    command_id: command.commandId,
    account_id: command.accountId,
    region: command.region,
    document_name: command.documentName,
    document_version: command.documentVersion,
    parameters: JSON.stringify(command.parameters),
    instance_ids: JSON.stringify(command.instanceIds),
    targets: command.targets === undefined ? null : JSON.stringify(command.targets),
    comment: command.comment ?? null,
    timeout_seconds: command.timeoutSeconds,
    execution_timeout_seconds: command.executionTimeoutSeconds,
    requested_at: command.requestedAt.getTime(),
    expires_at: command.expiresAt.getTime(),
    cancel_requested: command.cancelRequested ? 1 : 0,
    max_concurrency: command.maxConcurrency,
    max_errors: command.maxErrors,
    status: command.status,
    status_details: command.statusDetails,
    target_count: command.targetCount,
    completed_count: command.completedCount,
    error_count: command.errorCount,
    delivery_timed_out_count: command.deliveryTimedOutCount,
  };
}

export function toInvocation(row: SsmCommandInvocationsTable): Invocation {
  return {
    commandId: row.command_id,
    instanceId: row.instance_id,
    accountId: row.account_id,
    region: row.region,
    status: row.status as InvocationStatus,
    statusDetails: row.status_details,
    responseCode: Number(row.response_code),
    standardOutput: row.standard_output,
    standardError: row.standard_error,
    requestedAt: new Date(Number(row.requested_at)),
    dispatchedAt: dateOrUndefined(row.dispatched_at),
    deliveryCount: Number(row.delivery_count),
    leaseExpiresAt: dateOrUndefined(row.lease_expires_at),
    startedAt: dateOrUndefined(row.started_at),
    endedAt: dateOrUndefined(row.ended_at),
    updatedAt: new Date(Number(row.updated_at)),
    revision: Number(row.revision),
    plugins: pluginsOf(row.plugin_results ?? null),
  };
}

/** The stored step outcomes (dates as epoch milliseconds). */
function pluginsOf(text: string | null): PluginOutcome[] | undefined {
  if (text === null) return undefined;
  const stored = JSON.parse(text) as (Omit<PluginOutcome, 'startedAt' | 'endedAt'> & {
    startedAt: number | null;
    endedAt: number | null;
  })[];
  return stored.map((p) => ({
    ...p,
    startedAt: p.startedAt === null ? undefined : new Date(p.startedAt),
    endedAt: p.endedAt === null ? undefined : new Date(p.endedAt),
  }));
}

export function invocationRow(invocation: Invocation): SsmCommandInvocationsTable {
  return {
    command_id: invocation.commandId,
    instance_id: invocation.instanceId,
    account_id: invocation.accountId,
    region: invocation.region,
    status: invocation.status,
    status_details: invocation.statusDetails,
    response_code: invocation.responseCode,
    standard_output: invocation.standardOutput,
    standard_error: invocation.standardError,
    requested_at: invocation.requestedAt.getTime(),
    dispatched_at: invocation.dispatchedAt?.getTime() ?? null,
    delivery_count: invocation.deliveryCount,
    lease_expires_at: invocation.leaseExpiresAt?.getTime() ?? null,
    started_at: invocation.startedAt?.getTime() ?? null,
    ended_at: invocation.endedAt?.getTime() ?? null,
    updated_at: invocation.updatedAt.getTime(),
    revision: invocation.revision,
    plugin_results:
      invocation.plugins === undefined
        ? null
        : JSON.stringify(
            invocation.plugins.map((p) => ({
              ...p,
              startedAt: p.startedAt?.getTime() ?? null,
              endedAt: p.endedAt?.getTime() ?? null,
            })),
          ),
  };
}
