/**
 * Run Command, minimal (ssm-api.md §10.1–10.2): SendCommand to explicit instance ids, reads, CancelCommand,
 * and the two agent-facing operations through which an instance's agent takes its invocations and reports
 * their outcome (Bulwark's stand-in for ec2messages GetMessages / AcknowledgeMessage / SendReply).
 */
import { randomUUID } from 'node:crypto';
import type { Ctx } from '../kernel/index.js';
import type { DocumentAtVersion } from '../documents/index.js';
import { checkParameters } from '../documents/index.js';
import {
  defaultMaxConcurrency,
  defaultMaxErrors,
  ssmError,
  ssmPageOf,
  targetsProblem,
  type SsmPage,
  type Target,
} from '../protocols/ssm/index.js';
import type { DbExecutor } from '../storage/database.js';
import {
  defaultLeaseSeconds,
  defaultStatusDetails,
  executionTimeoutOf,
  isTerminal,
  maxDeliveries,
  outputLimits,
  pluginNameOf,
  sendCommandLimits,
  summarizeCommand,
  tallyInvocations,
  truncateOutput,
  type Command,
  type Invocation,
  type InvocationOfCommand,
  type PluginOutcome,
  type ReportableStatus,
} from './command-model.js';
import type { CommandsStore, Scope } from './command-store.js';
import type { InvocationTransitions } from './invocation-transitions.js';

/** The documents a command may run (DocumentsService.resolve). */
export interface CommandDocuments {
  resolve(
    ctx: Ctx,
    reference: string,
    selector: { documentVersion?: string | undefined },
  ): Promise<DocumentAtVersion>;
}

/** The managed instances commands go to (FleetService). */
export interface CommandInstances {
  instanceExists(db: DbExecutor, scope: Scope, instanceId: string): Promise<boolean>;
  /** The live instances that match every target. */
  resolveTargets(db: DbExecutor, scope: Scope, targets: readonly Target[]): Promise<string[]>;
  /** AccessDenied unless the caller signs as `instanceId` itself. */
  requireCallerInstance(ctx: Ctx, instanceId: string): Promise<unknown>;
}

export interface SendCommandInput {
  documentName: string;
  documentVersion?: string | undefined;
  /** Exactly one of instanceIds and targets. */
  instanceIds?: string[] | undefined;
  targets?: Target[] | undefined;
  parameters?: Record<string, string[]> | undefined;
  timeoutSeconds?: number | undefined;
  comment?: string | undefined;
  /** A count or a percentage of the targets; SSM's defaults 50 and 0 when omitted. */
  maxConcurrency?: string | undefined;
  maxErrors?: string | undefined;
}

/** One ListCommands / ListCommandInvocations filter. */
export interface CommandFilter {
  key: 'InvokedAfter' | 'InvokedBefore' | 'Status' | 'ExecutionStage' | 'DocumentName';
  value: string;
}

export interface ListQuery {
  commandId?: string | undefined;
  instanceId?: string | undefined;
  filters: CommandFilter[];
  maxResults?: number | undefined;
  nextToken?: string | undefined;
}

/** What the agent's poll hands back: invocations to run now, and running ones to cancel. */
export interface AgentWork {
  /** Each with its document's content, which the agent runs step by step (any Command document). */
  deliveries: (InvocationOfCommand & { content: string | undefined })[];
  cancellations: string[];
}

export interface AgentReport {
  instanceId: string;
  commandId: string;
  reportId: string;
  status: ReportableStatus;
  responseCode?: number | undefined;
  standardOutput?: string | undefined;
  standardError?: string | undefined;
  /** Each step's outcome, for documents the agent ran step by step. */
  plugins?: PluginOutcome[] | undefined;
}

const listPageSize = 50;

/** The Status filter values of §10.2 that name a StatusDetails rather than a Status. */
const detailFilters = new Map<string, string>(
  Object.entries({
    DeliveryTimedOut: 'Delivery Timed Out',
    ExecutionTimedOut: 'Execution Timed Out',
    Undeliverable: 'Undeliverable',
    Terminated: 'Terminated',
    InvalidPlatform: 'Invalid Platform',
    AccessDenied: 'Access Denied',
    Incomplete: 'Incomplete',
    NoInstancesInTag: 'No Instances In Tag',
    LimitExceeded: 'Rate Exceeded',
  }),
);

function matchesFilters(
  filters: readonly CommandFilter[],
  item: { requestedAt: Date; status: string; statusDetails: string; documentName: string; terminal: boolean },
): boolean {
  return filters.every((filter) => {
    switch (filter.key) {
      case 'InvokedAfter':
        return item.requestedAt.getTime() >= Date.parse(filter.value);
      case 'InvokedBefore':
        return item.requestedAt.getTime() <= Date.parse(filter.value);
      case 'Status': {
        const detail = detailFilters.get(filter.value);
        return detail === undefined ? item.status === filter.value : item.statusDetails === detail;
      }
      case 'ExecutionStage':
        return filter.value === 'Complete' ? item.terminal : !item.terminal;
      case 'DocumentName':
        return item.documentName === filter.value;
    }
  });
}

function checkFilters(filters: readonly CommandFilter[], allowExecutionStage: boolean): void {
  for (const filter of filters) {
    if (filter.key === 'ExecutionStage' && !allowExecutionStage)
      throw ssmError('InvalidFilterKey', 'ExecutionStage is not a ListCommandInvocations filter.');
    if (
      (filter.key === 'InvokedAfter' || filter.key === 'InvokedBefore') &&
      Number.isNaN(Date.parse(filter.value))
    )
      throw ssmError(
        'InvalidFilterValue',
        `Filter ${filter.key} needs an ISO-8601 date, got ${filter.value}.`,
      );
    if (filter.key === 'ExecutionStage' && !['Executing', 'Complete'].includes(filter.value))
      throw ssmError('InvalidFilterValue', 'ExecutionStage is Executing or Complete.');
  }
}

/** The Run Command rules: who may send, what an invocation may become, and when. */
export class CommandsService {
  constructor(
    private readonly store: CommandsStore,
    private readonly transitions: InvocationTransitions,
    private readonly documents: CommandDocuments,
    private readonly instances: CommandInstances,
    private readonly options: { leaseSeconds: number } = { leaseSeconds: defaultLeaseSeconds },
  ) {}

  /** SendCommand: one Pending invocation per instance; the instances' agents pick them up when they poll. */
  async send(ctx: Ctx, input: SendCommandInput): Promise<Command> {
    const { document, version } = await this.documents.resolve(ctx, input.documentName, {
      documentVersion: input.documentVersion,
    });
    if (document.documentType !== 'Command')
      throw ssmError('InvalidDocument', `Document ${input.documentName} is not a Command document.`);
    const instanceIds = await this.targetedInstances(ctx, input);
    const parameters = input.parameters ?? {};
    const problem = checkParameters(version.parameters, parameters);
    if (problem !== undefined) throw ssmError('InvalidParameters', problem);
    const timeoutSeconds = input.timeoutSeconds ?? sendCommandLimits.defaultTimeoutSeconds;
    const executionTimeoutSeconds = executionTimeoutOf(version.content, version.parameters, parameters);
    const invocations: Invocation[] = instanceIds.map((instanceId) => ({
      commandId: '',
      instanceId,
      accountId: ctx.accountId,
      region: ctx.region,
      status: 'Pending',
      statusDetails: 'Pending',
      responseCode: -1,
      standardOutput: '',
      standardError: '',
      requestedAt: ctx.now,
      dispatchedAt: undefined,
      deliveryCount: 0,
      leaseExpiresAt: undefined,
      startedAt: undefined,
      endedAt: undefined,
      updatedAt: ctx.now,
      revision: 0,
    }));
    const commandId = randomUUID();
    const maxErrors = input.maxErrors ?? defaultMaxErrors;
    const command: Command = {
      commandId,
      accountId: ctx.accountId,
      region: ctx.region,
      documentName: input.documentName,
      documentVersion: String(version.version),
      parameters,
      instanceIds,
      targets: input.targets,
      comment: input.comment,
      maxConcurrency: input.maxConcurrency ?? defaultMaxConcurrency,
      maxErrors,
      timeoutSeconds,
      executionTimeoutSeconds,
      requestedAt: ctx.now,
      expiresAt: new Date(ctx.now.getTime() + (timeoutSeconds + executionTimeoutSeconds) * 1000),
      cancelRequested: false,
      ...summarizeCommand({ cancelRequested: false, maxErrors }, tallyInvocations(invocations)),
      ...(invocations.length === 0 ? { status: 'Failed', statusDetails: 'No Instances In Tag' } : {}),
    };
    const stored = invocations.map((invocation) => ({ ...invocation, commandId }));
    await this.store.insertCommand(ctx.tx, command, stored);
    if (stored.length === 0) return command;
    for (const invocation of stored) await this.transitions.raise(ctx.tx, command, invocation, ctx.now);
    return this.transitions.summarize(ctx.tx, command, ctx.now);
  }

  /** The instances a command goes to: the explicit ids (each a live node, none twice), or what the Targets match. */
  private async targetedInstances(ctx: Ctx, input: SendCommandInput): Promise<string[]> {
    const explicit = input.instanceIds !== undefined && input.instanceIds.length > 0;
    const targeted = input.targets !== undefined && input.targets.length > 0;
    if (explicit === targeted)
      throw ssmError(
        'ValidationException',
        'Specify either InstanceIds or Targets, not both and not neither.',
      );
    if (input.targets !== undefined && targeted) {
      const problem = targetsProblem(input.targets);
      if (problem !== undefined) throw ssmError('InvalidTarget', problem);
      return this.instances.resolveTargets(ctx.tx, ctx, input.targets);
    }
    const instanceIds = input.instanceIds ?? [];
    const seen = new Set<string>();
    for (const instanceId of instanceIds) {
      if (seen.has(instanceId))
        throw ssmError('DuplicateInstanceId', `Instance ${instanceId} is listed twice.`);
      seen.add(instanceId);
      if (!(await this.instances.instanceExists(ctx.tx, ctx, instanceId)))
        throw ssmError('InvalidInstanceId', `Instance ${instanceId} is not a registered managed instance.`);
    }
    return instanceIds;
  }

  /** One command of the account, or undefined. */
  async command(ctx: Ctx, commandId: string): Promise<Command | undefined> {
    return this.store.findCommand(ctx.tx, ctx, commandId);
  }

  /** GetCommandInvocation; `pluginName`, when given, must be the document's step. */
  async getInvocation(
    ctx: Ctx,
    commandId: string,
    instanceId: string,
    pluginName?: string,
  ): Promise<InvocationOfCommand> {
    const command = await this.store.findCommand(ctx.tx, ctx, commandId);
    const invocation =
      command === undefined ? undefined : await this.store.findInvocation(ctx.tx, ctx, commandId, instanceId);
    if (command === undefined || invocation === undefined)
      throw ssmError(
        'InvocationDoesNotExist',
        'An invocation with that command id and instance id does not exist.',
      );
    const names = invocation.plugins?.map((p) => p.name) ?? [pluginNameOf(command.documentName)];
    if (pluginName !== undefined && !names.includes(pluginName))
      throw ssmError('InvalidPluginName', `The document has no plugin ${pluginName}.`);
    return { command, invocation };
  }

  /** ListCommands, newest first. */
  async listCommands(ctx: Ctx, query: ListQuery): Promise<SsmPage<Command>> {
    checkFilters(query.filters, true);
    const commands = await this.store.listCommands(ctx.tx, ctx, query);
    if (query.commandId !== undefined && commands.length === 0)
      throw ssmError('InvalidCommandId', `Command ${query.commandId} does not exist.`);
    const matching = commands.filter((command) =>
      matchesFilters(query.filters, {
        ...command,
        terminal: command.completedCount === command.targetCount,
      }),
    );
    return ssmPageOf(
      matching,
      query,
      ['ListCommands', query.commandId, query.instanceId, query.filters],
      listPageSize,
    );
  }

  /** ListCommandInvocations, newest command first. */
  async listInvocations(ctx: Ctx, query: ListQuery): Promise<SsmPage<InvocationOfCommand>> {
    checkFilters(query.filters, false);
    if (
      query.commandId !== undefined &&
      (await this.store.findCommand(ctx.tx, ctx, query.commandId)) === undefined
    )
      throw ssmError('InvalidCommandId', `Command ${query.commandId} does not exist.`);
    const items = await this.store.listInvocations(ctx.tx, ctx, query);
    const matching = items.filter(({ command, invocation }) =>
      matchesFilters(query.filters, {
        requestedAt: invocation.requestedAt,
        status: invocation.status,
        statusDetails: invocation.statusDetails,
        documentName: command.documentName,
        terminal: isTerminal(invocation.status),
      }),
    );
    return ssmPageOf(
      matching,
      query,
      ['ListCommandInvocations', query.commandId, query.instanceId, query.filters],
      listPageSize,
    );
  }

  /**
   * CancelCommand: Pending invocations are Cancelled at once; delivered ones become Cancelling until their
   * agent stops the process and reports Cancelled (or its lease lapses).
   */
  async cancel(ctx: Ctx, commandId: string, instanceIds: readonly string[] | undefined): Promise<void> {
    const command = await this.store.findCommand(ctx.tx, ctx, commandId);
    if (command === undefined) throw ssmError('InvalidCommandId', `Command ${commandId} does not exist.`);
    if (instanceIds !== undefined) {
      if (new Set(instanceIds).size !== instanceIds.length)
        throw ssmError('DuplicateInstanceId', 'An instance id is listed twice.');
      const unknown = instanceIds.find((id) => !command.instanceIds.includes(id));
      if (unknown !== undefined)
        throw ssmError('InvalidInstanceId', `Command ${commandId} was not sent to ${unknown}.`);
    }
    await this.store.lockCommand(ctx.tx, commandId);
    const marked = { ...command, cancelRequested: true };
    await this.store.updateCommand(ctx.tx, marked);
    for (const invocation of await this.store.invocationsOf(ctx.tx, commandId)) {
      if (instanceIds !== undefined && !instanceIds.includes(invocation.instanceId)) continue;
      if (isTerminal(invocation.status) || invocation.status === 'Cancelling') continue;
      const next: Invocation =
        invocation.status === 'Pending'
          ? { ...invocation, status: 'Cancelled', statusDetails: 'Canceled' }
          : { ...invocation, status: 'Cancelling', statusDetails: 'Cancelling' };
      await this.transitions.apply(ctx.tx, { command: marked, invocation }, next, ctx.now);
    }
    await this.transitions.summarize(ctx.tx, marked, ctx.now);
  }

  /**
   * The agent's poll (`BulwarkGetPendingCommands`), for the caller's own instance only: renews the leases of
   * the invocations the agent still holds (`held`), returns the Cancelling ones among them, finishes
   * Cancelling ones it no longer holds as Cancelled, and delivers up to `max` Pending (or lapsed) ones —
   * InProgress with a lease of `leaseSeconds`.
   */
  async poll(ctx: Ctx, instanceId: string, held: readonly string[], max: number): Promise<AgentWork> {
    await this.instances.requireCallerInstance(ctx, instanceId);
    const holding = new Set(held);
    const lease = new Date(ctx.now.getTime() + this.options.leaseSeconds * 1000);
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

  /**
   * The agent's report (`BulwarkReportCommandResult`) about its own invocation. Idempotent: a report id seen
   * before changes nothing; a report about a finished invocation changes nothing either (the hub may have
   * timed it out first). InProgress renews the lease; a final status records exit code and bounded output.
   */
  async report(ctx: Ctx, report: AgentReport): Promise<Invocation> {
    await this.instances.requireCallerInstance(ctx, report.instanceId);
    const command = await this.store.findCommand(ctx.tx, ctx, report.commandId);
    const invocation =
      command === undefined
        ? undefined
        : await this.store.findInvocation(ctx.tx, ctx, report.commandId, report.instanceId);
    if (command === undefined || invocation === undefined)
      throw ssmError(
        'InvocationDoesNotExist',
        'An invocation with that command id and instance id does not exist.',
      );
    const fresh = await this.store.recordReport(ctx.tx, report, ctx.now);
    if (!fresh || isTerminal(invocation.status)) return invocation;
    const item = { command, invocation };
    if (report.status === 'InProgress') {
      const lease = new Date(ctx.now.getTime() + this.options.leaseSeconds * 1000);
      return this.transitions.apply(
        ctx.tx,
        item,
        {
          ...invocation,
          ...(invocation.status === 'Pending' ? { status: 'InProgress', statusDetails: 'In Progress' } : {}),
          leaseExpiresAt: lease,
          startedAt: invocation.startedAt ?? ctx.now,
        },
        ctx.now,
      );
    }
    return this.transitions.apply(
      ctx.tx,
      item,
      {
        ...invocation,
        status: report.status,
        statusDetails: defaultStatusDetails(report.status),
        responseCode: report.responseCode ?? invocation.responseCode,
        standardOutput: truncateOutput(report.standardOutput ?? '', outputLimits.standardOutput),
        standardError: truncateOutput(report.standardError ?? '', outputLimits.standardError),
        plugins: report.plugins?.map((p) => ({
          ...p,
          standardOutput: truncateOutput(p.standardOutput, outputLimits.standardOutput),
          standardError: truncateOutput(p.standardError, outputLimits.standardError),
        })),
        leaseExpiresAt: undefined,
        startedAt: invocation.startedAt ?? ctx.now,
        endedAt: ctx.now,
      },
      ctx.now,
    );
  }
}
