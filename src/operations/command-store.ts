/** Persistence of commands, invocations and agent report ids. */
import type { Target } from '../protocols/ssm/index.js';
import { sql } from 'kysely';
import type { DbExecutor, SsmCommandInvocationsTable, SsmCommandsTable } from '../storage/database.js';
import { dateOrUndefined } from '../storage/index.js';
import type {
  Command,
  CommandStatus,
  Invocation,
  InvocationOfCommand,
  InvocationStatus,
  InvocationTally,
  PluginOutcome,
} from './command-model.js';

/** An account and Region. */
export interface Scope {
  accountId: string;
  region: string;
}

function toCommand(row: SsmCommandsTable): Command {
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

function commandRow(command: Command): SsmCommandsTable {
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

function toInvocation(row: SsmCommandInvocationsTable): Invocation {
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

function invocationRow(invocation: Invocation): SsmCommandInvocationsTable {
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

const unfinished: InvocationStatus[] = ['Pending', 'InProgress', 'Delayed', 'Cancelling'];

/** How many commands a listing reads at most (newest first); paging happens over these. */
const listLimit = 1000;

/** Commands and invocations in SQL; every read is scoped by account and Region. */
export class CommandsStore {
  async insertCommand(db: DbExecutor, command: Command, invocations: readonly Invocation[]): Promise<void> {
    await db.insertInto('ssm_commands').values(commandRow(command)).execute();
    if (invocations.length > 0)
      await db.insertInto('ssm_command_invocations').values(invocations.map(invocationRow)).execute();
  }

  async findCommand(db: DbExecutor, scope: Scope, commandId: string): Promise<Command | undefined> {
    const row = await db
      .selectFrom('ssm_commands')
      .selectAll()
      .where('command_id', '=', commandId)
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .executeTakeFirst();
    return row === undefined ? undefined : toCommand(row);
  }

  /**
   * Takes the command's row lock (a no-op update) so concurrent invocation changes of one command summarize
   * it one after the other on PostgreSQL; SQLite has a single writer anyway.
   */
  async lockCommand(db: DbExecutor, commandId: string): Promise<void> {
    await db
      .updateTable('ssm_commands')
      .set((eb) => ({ status: eb.ref('status') }))
      .where('command_id', '=', commandId)
      .execute();
  }

  async updateCommand(db: DbExecutor, command: Command): Promise<void> {
    const { command_id: commandId, ...row } = commandRow(command);
    await db.updateTable('ssm_commands').set(row).where('command_id', '=', commandId).execute();
  }

  /** The account's commands, newest first, optionally one command or those sent to one instance. */
  async listCommands(
    db: DbExecutor,
    scope: Scope,
    query: { commandId?: string | undefined; instanceId?: string | undefined },
  ): Promise<Command[]> {
    let select = db
      .selectFrom('ssm_commands as c')
      .selectAll('c')
      .where('c.account_id', '=', scope.accountId)
      .where('c.region', '=', scope.region);
    if (query.commandId !== undefined) select = select.where('c.command_id', '=', query.commandId);
    if (query.instanceId !== undefined) {
      const instanceId = query.instanceId;
      select = select.where((eb) =>
        eb.exists(
          eb
            .selectFrom('ssm_command_invocations as i')
            .select('i.command_id')
            .whereRef('i.command_id', '=', 'c.command_id')
            .where('i.instance_id', '=', instanceId),
        ),
      );
    }
    const rows = await select
      .orderBy('c.requested_at', 'desc')
      .orderBy('c.command_id')
      .limit(listLimit)
      .execute();
    return rows.map(toCommand);
  }

  async invocationsOf(db: DbExecutor, commandId: string): Promise<Invocation[]> {
    const rows = await db
      .selectFrom('ssm_command_invocations')
      .selectAll()
      .where('command_id', '=', commandId)
      .orderBy('instance_id')
      .execute();
    return rows.map(toInvocation);
  }

  /** The command's invocations counted by status and StatusDetails (summaries and rate control). */
  async tallyInvocations(db: DbExecutor, commandId: string): Promise<InvocationTally[]> {
    const rows = await db
      .selectFrom('ssm_command_invocations')
      .select((eb) => [
        'status',
        'status_details',
        eb.fn.countAll<number | string>().as('count'),
        eb.fn.count<number | string>('dispatched_at').as('dispatched_count'),
      ])
      .where('command_id', '=', commandId)
      .groupBy(['status', 'status_details'])
      .execute();
    return rows.map((row) => ({
      status: row.status as InvocationStatus,
      statusDetails: row.status_details,
      count: Number(row.count),
      dispatchedCount: Number(row.dispatched_count),
    }));
  }

  /** The command's invocations rate control still holds back, first `limit` by instance id (all without one). */
  async heldInvocations(db: DbExecutor, commandId: string, limit?: number): Promise<Invocation[]> {
    let select = db
      .selectFrom('ssm_command_invocations')
      .selectAll()
      .where('command_id', '=', commandId)
      .where('status', '=', 'Pending')
      .where('dispatched_at', 'is', null)
      .orderBy('instance_id');
    if (limit !== undefined) select = select.limit(limit);
    return (await select.execute()).map(toInvocation);
  }

  async findInvocation(
    db: DbExecutor,
    scope: Scope,
    commandId: string,
    instanceId: string,
  ): Promise<Invocation | undefined> {
    const row = await db
      .selectFrom('ssm_command_invocations')
      .selectAll()
      .where('command_id', '=', commandId)
      .where('instance_id', '=', instanceId)
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .executeTakeFirst();
    return row === undefined ? undefined : toInvocation(row);
  }

  /** The dispatched, unfinished invocations of one instance, oldest first, with their commands. */
  async unfinishedOfInstance(
    db: DbExecutor,
    scope: Scope,
    instanceId: string,
  ): Promise<InvocationOfCommand[]> {
    const rows = await db
      .selectFrom('ssm_command_invocations')
      .selectAll()
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region)
      .where('instance_id', '=', instanceId)
      .where('status', 'in', unfinished)
      .where('dispatched_at', 'is not', null)
      .orderBy('requested_at')
      .orderBy('command_id')
      .execute();
    return this.withCommands(db, rows.map(toInvocation));
  }

  /**
   * Dispatched, unfinished invocations of every account that the clock has overtaken: Pending past the
   * delivery timeout, a lapsed lease that cannot be delivered again (Cancelling, or out of deliveries), or
   * past dispatch + delivery and execution timeouts + grace. A lapsed lease with deliveries left waits for
   * the agent's next poll.
   */
  async overdue(
    db: DbExecutor,
    now: Date,
    options: { graceSeconds: number; maxDeliveries: number; limit: number },
  ): Promise<InvocationOfCommand[]> {
    const { graceSeconds, maxDeliveries, limit } = options;
    const at = now.getTime();
    const rows = await db
      .selectFrom('ssm_command_invocations as i')
      .innerJoin('ssm_commands as c', 'c.command_id', 'i.command_id')
      .selectAll('i')
      .where('i.status', 'in', unfinished)
      .where('i.dispatched_at', 'is not', null)
      .where((eb) =>
        eb.or([
          eb.and([
            eb('i.status', '=', 'Pending'),
            eb(sql<number>`${sql.ref('i.dispatched_at')} + ${sql.ref('c.timeout_seconds')} * 1000`, '<=', at),
          ]),
          eb.and([
            eb('i.lease_expires_at', '<=', at),
            eb.or([eb('i.status', '=', 'Cancelling'), eb('i.delivery_count', '>=', maxDeliveries)]),
          ]),
          eb(
            sql<number>`${sql.ref('i.dispatched_at')} + (${sql.ref('c.timeout_seconds')} + ${sql.ref('c.execution_timeout_seconds')} + ${graceSeconds}) * 1000`,
            '<=',
            at,
          ),
        ]),
      )
      .orderBy('i.requested_at')
      .limit(limit)
      .execute();
    return this.withCommands(db, rows.map(toInvocation));
  }

  /** Invocations visible to a listing (one command, one instance, or all), newest command first. */
  async listInvocations(
    db: DbExecutor,
    scope: Scope,
    query: { commandId?: string | undefined; instanceId?: string | undefined },
  ): Promise<InvocationOfCommand[]> {
    let select = db
      .selectFrom('ssm_command_invocations')
      .selectAll()
      .where('account_id', '=', scope.accountId)
      .where('region', '=', scope.region);
    if (query.commandId !== undefined) select = select.where('command_id', '=', query.commandId);
    if (query.instanceId !== undefined) select = select.where('instance_id', '=', query.instanceId);
    const rows = await select
      .orderBy('requested_at', 'desc')
      .orderBy('command_id')
      .orderBy('instance_id')
      .limit(listLimit)
      .execute();
    return this.withCommands(db, rows.map(toInvocation));
  }

  /** Stores `next` if the row is still at `expectedRevision`; false when someone else changed it first. */
  async updateInvocation(db: DbExecutor, next: Invocation, expectedRevision: number): Promise<boolean> {
    const { command_id: commandId, instance_id: instanceId, ...row } = invocationRow(next);
    const result = await db
      .updateTable('ssm_command_invocations')
      .set(row)
      .where('command_id', '=', commandId)
      .where('instance_id', '=', instanceId)
      .where('revision', '=', expectedRevision)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Records a report id; false when it was already recorded (a retried report). */
  async recordReport(
    db: DbExecutor,
    key: { commandId: string; instanceId: string; reportId: string },
    now: Date,
  ): Promise<boolean> {
    const result = await db
      .insertInto('ssm_command_reports')
      .values({
        command_id: key.commandId,
        instance_id: key.instanceId,
        report_id: key.reportId,
        received_at: now.getTime(),
      })
      .onConflict((oc) => oc.columns(['command_id', 'instance_id', 'report_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  private async withCommands(db: DbExecutor, invocations: Invocation[]): Promise<InvocationOfCommand[]> {
    const ids = [...new Set(invocations.map((i) => i.commandId))];
    if (ids.length === 0) return [];
    const rows = await db.selectFrom('ssm_commands').selectAll().where('command_id', 'in', ids).execute();
    const commands = new Map(rows.map((row) => [row.command_id, toCommand(row)]));
    return invocations.flatMap((invocation) => {
      const command = commands.get(invocation.commandId);
      return command === undefined ? [] : [{ command, invocation }];
    });
  }
}
