/**
 * Delivering invocations to agents: the poll through which an instance's agent takes its Pending invocations,
 * keeps the leases of those it runs, and learns which to cancel.
 */
import type { Ctx } from '../kernel/index.js';
import { maxDeliveries, type Command, type Invocation, type InvocationOfCommand } from './command-model.js';
import type { CommandDocuments, CommandInstances } from './command-ports.js';
import type { CommandsStore } from './command-store.js';
import type { InvocationTransitions } from './invocation-transitions.js';

/** What the agent's poll hands back: invocations to run now, and running ones to cancel. */
export interface AgentWork {
  /** Each with its document's content, which the agent runs step by step (any Command document). */
  deliveries: (InvocationOfCommand & { content: string | undefined })[];
  cancellations: string[];
}

/** The agent's poll (`BulwarkGetPendingCommands`). */
export class CommandDispatch {
  constructor(
    private readonly store: CommandsStore,
    private readonly transitions: InvocationTransitions,
    private readonly documents: CommandDocuments,
    private readonly instances: CommandInstances,
    private readonly leaseSeconds: number,
  ) {}

  /**
   * The agent's poll (`BulwarkGetPendingCommands`), for the caller's own instance only: renews the leases of
   * the invocations the agent still holds (`held`), returns the Cancelling ones among them, finishes
   * Cancelling ones it no longer holds as Cancelled, and delivers up to `max` Pending (or lapsed) ones —
   * InProgress with a lease of `leaseSeconds`.
   */
  async poll(ctx: Ctx, instanceId: string, held: readonly string[], max: number): Promise<AgentWork> {
    await this.instances.requireCallerInstance(ctx, instanceId);
    const holding = new Set(held);
    const lease = new Date(ctx.now.getTime() + this.leaseSeconds * 1000);
    const work: AgentWork = { deliveries: [], cancellations: [] };
    for (const item of await this.store.unfinishedOfInstance(ctx.tx, ctx, instanceId)) {
      const { command, invocation } = item;
      if (this.transitions.overdueOutcome(item, ctx.now) !== undefined) continue; // the timeout job's
      if (holding.has(command.commandId)) {
        if (invocation.status === 'Pending') continue;
        await this.transitions.apply(ctx.tx, item, { ...invocation, leaseExpiresAt: lease }, ctx.now);
        if (invocation.status === 'Cancelling') work.cancellations.push(command.commandId);
        continue;
      }
      if (invocation.status === 'Cancelling') {
        const next: Invocation = {
          ...invocation,
          status: 'Cancelled',
          statusDetails: 'Canceled',
          leaseExpiresAt: undefined,
          endedAt: ctx.now,
        };
        await this.transitions.apply(ctx.tx, item, next, ctx.now);
        continue;
      }
      const lapsed =
        invocation.status === 'InProgress' &&
        invocation.leaseExpiresAt !== undefined &&
        invocation.leaseExpiresAt.getTime() <= ctx.now.getTime();
      if (invocation.status !== 'Pending' && !lapsed) continue;
      if (work.deliveries.length >= max || invocation.deliveryCount >= maxDeliveries) continue;
      const delivered: Invocation = {
        ...invocation,
        status: 'InProgress',
        statusDetails: 'In Progress',
        deliveryCount: invocation.deliveryCount + 1,
        leaseExpiresAt: lease,
        startedAt: ctx.now,
      };
      const stored = await this.transitions.apply(ctx.tx, item, delivered, ctx.now);
      work.deliveries.push({ command, invocation: stored, content: await this.contentOf(ctx, command) });
    }
    return work;
  }

  /** The content of the document version a command runs (undefined once the document is gone). */
  private async contentOf(ctx: Ctx, command: Command): Promise<string | undefined> {
    try {
      const { version } = await this.documents.resolve(ctx, command.documentName, {
        documentVersion: command.documentVersion,
      });
      return version.content;
    } catch {
      return undefined;
    }
  }
}
