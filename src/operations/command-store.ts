/** Persistence of commands, invocations and agent report ids; every read on behalf of a caller is scoped. */
import { sql, type Expression, type SqlBool } from 'kysely';
import { afterOrderedKey, inScope, type OrderedColumn, type Scope, type SortKey } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import type {
  Command,
  Invocation,
  InvocationOfCommand,
  InvocationStatus,
  InvocationTally,
} from './command-model.js';
import { commandRow, invocationRow, toCommand, toInvocation } from './command-rows.js';

/** One page of a listing: rows after a sort key (undefined: from the start), at most `limit`. */
export interface CommandPageQuery {
  commandId?: string | undefined;
  instanceId?: string | undefined;
  /** Predicates from the request's Filters (command-filters.ts). */
  filters: readonly Expression<SqlBool>[];
  after: SortKey | undefined;
  limit: number;
}

/** ListCommands' order: newest first, then by command id. */
export const commandOrder: readonly OrderedColumn[] = [
  { column: 'c.requested_at', direction: 'desc' },
  { column: 'c.command_id', direction: 'asc' },
];

/** A command's sort key in commandOrder. */
export const commandKeyOf = (command: Command): SortKey => [command.requestedAt.getTime(), command.commandId];

/** ListCommandInvocations' order: newest first, then by command and instance id. */
export const invocationOrder: readonly OrderedColumn[] = [
  { column: 'i.requested_at', direction: 'desc' },
  { column: 'i.command_id', direction: 'asc' },
  { column: 'i.instance_id', direction: 'asc' },
];

/** An invocation's sort key in invocationOrder. */
export const invocationKeyOf = ({ invocation }: InvocationOfCommand): SortKey => [
  invocation.requestedAt.getTime(),
  invocation.commandId,
  invocation.instanceId,
];

const unfinished: InvocationStatus[] = ['Pending', 'InProgress', 'Delayed', 'Cancelling'];

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
      .where(inScope(scope))
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

  /** One page of the account's commands (ListCommands): one command or those sent to one instance, filtered. */
  async pageCommands(db: DbExecutor, scope: Scope, query: CommandPageQuery): Promise<Command[]> {
    let select = db.selectFrom('ssm_commands as c').selectAll('c').where(inScope(scope, 'c'));
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
    for (const filter of query.filters) select = select.where(filter);
    if (query.after !== undefined) select = select.where(afterOrderedKey(commandOrder, query.after));
    const rows = await select
      .orderBy('c.requested_at', 'desc')
      .orderBy('c.command_id')
      .limit(query.limit)
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
      .where(inScope(scope))
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
      .where(inScope(scope))
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

  /** One page of the account's invocations (ListCommandInvocations): of one command, one instance, or all. */
  async pageInvocations(
    db: DbExecutor,
    scope: Scope,
    query: CommandPageQuery,
  ): Promise<InvocationOfCommand[]> {
    let select = db.selectFrom('ssm_command_invocations as i').selectAll('i').where(inScope(scope, 'i'));
    if (query.commandId !== undefined) select = select.where('i.command_id', '=', query.commandId);
    if (query.instanceId !== undefined) select = select.where('i.instance_id', '=', query.instanceId);
    for (const filter of query.filters) select = select.where(filter);
    if (query.after !== undefined) select = select.where(afterOrderedKey(invocationOrder, query.after));
    const rows = await select
      .orderBy('i.requested_at', 'desc')
      .orderBy('i.command_id')
      .orderBy('i.instance_id')
      .limit(query.limit)
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
