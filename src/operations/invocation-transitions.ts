/** Changing an invocation: the stored row, its outbox event and its command's summary, in one transaction. */
import type { Transaction } from 'kysely';
import type { Database } from '../storage/database.js';
import { WriteConflictError } from '../storage/index.js';
import { appendEvent } from '../worker/index.js';
import {
  isTerminal,
  maxDeliveries,
  planDispatch,
  summarizeCommand,
  timeoutGraceSeconds,
  type Command,
  type Invocation,
  type InvocationOfCommand,
} from './command-model.js';
import type { CommandsStore } from './command-store.js';

/** Applies invocation changes for the service (API and agent calls) and the timeout job. */
export class InvocationTransitions {
  constructor(private readonly store: CommandsStore) {}

  /**
   * Stores `next` (which must come from `current`) and, when the status changed, raises
   * CommandInvocationStatusChanged and re-summarizes the command. Rejects with WriteConflictError when another
   * transaction changed the invocation first (an agent's poll renewing the lease while its report lands): the
   * request runs again from a fresh read.
   */
  async apply(
    tx: Transaction<Database>,
    { command, invocation: current }: InvocationOfCommand,
    next: Invocation,
    now: Date,
  ): Promise<Invocation> {
    await this.store.lockCommand(tx, command.commandId);
    const stored = { ...next, updatedAt: now, revision: current.revision + 1 };
    if (!(await this.store.updateInvocation(tx, stored, current.revision))) {
      throw new WriteConflictError(
        `Invocation ${command.commandId}/${current.instanceId} changed meanwhile.`,
      );
    }
    if (stored.status !== current.status || stored.statusDetails !== current.statusDetails) {
      await this.raise(tx, command, stored, now);
      await this.summarize(tx, command, now);
    }
    return stored;
  }

  /** The invocation event of `invocation` (also raised when a command creates its invocations). */
  async raise(tx: Transaction<Database>, command: Command, invocation: Invocation, now: Date): Promise<void> {
    await appendEvent(
      tx,
      {
        type: 'CommandInvocationStatusChanged',
        accountId: command.accountId,
        region: command.region,
        commandId: command.commandId,
        instanceId: invocation.instanceId,
        documentName: command.documentName,
        status: invocation.status,
        statusDetails: invocation.statusDetails,
      },
      now.getTime(),
    );
  }

  /**
   * Applies rate control (dispatches held invocations into free slots, or terminates them once errors passed
   * MaxErrors), then re-derives the command's status and counters from the tally of its invocations.
   */
  async summarize(tx: Transaction<Database>, command: Command, now: Date): Promise<Command> {
    const tally = await this.store.tallyInvocations(tx, command.commandId);
    const plan = planDispatch(command, tally);
    const held =
      plan.terminate || plan.dispatch > 0
        ? await this.store.heldInvocations(tx, command.commandId, plan.terminate ? undefined : plan.dispatch)
        : [];
    for (const current of held) {
      const next: Invocation = plan.terminate
        ? { ...current, status: 'Failed', statusDetails: 'Terminated' }
        : { ...current, dispatchedAt: now };
      const stored = { ...next, updatedAt: now, revision: current.revision + 1 };
      if (!(await this.store.updateInvocation(tx, stored, current.revision)))
        throw new WriteConflictError(
          `Invocation ${command.commandId}/${current.instanceId} changed meanwhile.`,
        );
      if (stored.status !== current.status) await this.raise(tx, command, stored, now);
    }
    const after = held.length === 0 ? tally : await this.store.tallyInvocations(tx, command.commandId);
    const updated = { ...command, ...summarizeCommand(command, after) };
    await this.store.updateCommand(tx, updated);
    return updated;
  }

  /** What the clock does to an overdue unfinished invocation, or undefined when it is not overdue. */
  overdueOutcome({ command, invocation }: InvocationOfCommand, now: Date): Invocation | undefined {
    if (isTerminal(invocation.status)) return undefined;
    const at = now.getTime();
    const finish = (status: Invocation['status'], statusDetails: string): Invocation => ({
      ...invocation,
      status,
      statusDetails,
      leaseExpiresAt: undefined,
      endedAt: invocation.startedAt === undefined ? undefined : now,
    });
    const dispatchedAt = invocation.dispatchedAt?.getTime();
    if (dispatchedAt === undefined) return undefined; // held back by rate control: its clock has not started
    const leaseLapsed = invocation.leaseExpiresAt !== undefined && invocation.leaseExpiresAt.getTime() <= at;
    if (invocation.status === 'Cancelling' && leaseLapsed) return finish('Cancelled', 'Canceled');
    const expiresAt =
      dispatchedAt + (command.timeoutSeconds + command.executionTimeoutSeconds + timeoutGraceSeconds) * 1000;
    if (expiresAt <= at) {
      if (invocation.status === 'Cancelling') return finish('Cancelled', 'Canceled');
      return invocation.status === 'Pending'
        ? finish('TimedOut', 'Delivery Timed Out')
        : finish('TimedOut', 'Execution Timed Out');
    }
    if (invocation.status === 'Pending' && dispatchedAt + command.timeoutSeconds * 1000 <= at)
      return finish('TimedOut', 'Delivery Timed Out');
    if (invocation.status === 'InProgress' && leaseLapsed && invocation.deliveryCount >= maxDeliveries)
      return finish('Failed', 'Undeliverable');
    return undefined;
  }

  /**
   * The timeout job's step: finishes up to `limit` overdue invocations of every account (Delivery/Execution
   * Timed Out, Undeliverable, Cancelled) in `tx`; returns how many changed.
   */
  async expireOverdue(tx: Transaction<Database>, now: Date, limit: number): Promise<number> {
    const overdue = await this.store.overdue(tx, now, {
      graceSeconds: timeoutGraceSeconds,
      maxDeliveries,
      limit,
    });
    let changed = 0;
    for (const item of overdue) {
      const next = this.overdueOutcome(item, now);
      if (next === undefined) continue;
      await this.apply(tx, item, next, now);
      changed += 1;
    }
    return changed;
  }
}
