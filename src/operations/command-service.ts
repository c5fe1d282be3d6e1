/**
 * Run Command, minimal (ssm-api.md §10.1–10.2): SendCommand to explicit instance ids, reads, CancelCommand,
 * and the two agent-facing operations through which an instance's agent takes its invocations and reports
 * their outcome (Bulwark's stand-in for ec2messages GetMessages / AcknowledgeMessage / SendReply).
 */
import { randomUUID } from 'node:crypto';
import type { Ctx, SortKey } from '../kernel/index.js';
import { checkParameters } from '../documents/index.js';
import {
  defaultMaxConcurrency,
  defaultMaxErrors,
  ssmError,
  targetsProblem,
  type Target,
} from '../protocols/ssm/index.js';
import {
  checkFilters,
  commandFilterPredicates,
  invocationFilterPredicates,
  type CommandFilter,
} from './command-filters.js';
import {
  defaultLeaseSeconds,
  executionTimeoutOf,
  isTerminal,
  pluginNameOf,
  sendCommandLimits,
  summarizeCommand,
  tallyInvocations,
  type Command,
  type Invocation,
  type InvocationOfCommand,
} from './command-model.js';
import { CommandDispatch, type AgentWork } from './command-dispatch.js';
import type { CommandDocuments, CommandInstances } from './command-ports.js';
import type { CommandsStore } from './command-store.js';
import { InvocationReports, type AgentReport } from './invocation-reports.js';
import type { InvocationTransitions } from './invocation-transitions.js';

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

/** What ListCommands and ListCommandInvocations ask for: whose rows, filtered, and which page of them. */
export interface CommandListQuery {
  commandId?: string | undefined;
  instanceId?: string | undefined;
  filters: readonly CommandFilter[];
  /** The sort key the page starts after (undefined: the first page). */
  after?: SortKey | undefined;
  /** How many rows to read; the page size when omitted. */
  limit?: number | undefined;
}

/** Rows a listing reads when the caller names no limit (ListCommands' largest page). */
const defaultListLimit = 50;

/** The Run Command rules: who may send, what an invocation may become, and when. */
export class CommandsService {
  private readonly dispatch: CommandDispatch;
  private readonly reports: InvocationReports;

  constructor(
    private readonly store: CommandsStore,
    private readonly transitions: InvocationTransitions,
    private readonly documents: CommandDocuments,
    private readonly instances: CommandInstances,
    options: { leaseSeconds: number } = { leaseSeconds: defaultLeaseSeconds },
  ) {
    this.dispatch = new CommandDispatch(store, transitions, documents, instances, options.leaseSeconds);
    this.reports = new InvocationReports(store, transitions, instances, options.leaseSeconds);
  }

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

  /** ListCommands: a page of the account's commands, newest first. */
  async listCommands(ctx: Ctx, query: CommandListQuery): Promise<Command[]> {
    checkFilters(query.filters, true);
    if (query.commandId !== undefined && !(await this.isListed(ctx, query.commandId, query.instanceId)))
      throw ssmError('InvalidCommandId', `Command ${query.commandId} does not exist.`);
    return this.store.pageCommands(ctx.tx, ctx, {
      commandId: query.commandId,
      instanceId: query.instanceId,
      filters: commandFilterPredicates(query.filters),
      after: query.after,
      limit: query.limit ?? defaultListLimit,
    });
  }

  /** Whether the account has the command (sent to `instanceId`, when one is named). */
  private async isListed(ctx: Ctx, commandId: string, instanceId: string | undefined): Promise<boolean> {
    if ((await this.store.findCommand(ctx.tx, ctx, commandId)) === undefined) return false;
    return (
      instanceId === undefined ||
      (await this.store.findInvocation(ctx.tx, ctx, commandId, instanceId)) !== undefined
    );
  }

  /** ListCommandInvocations: a page of the account's invocations, newest first. */
  async listInvocations(ctx: Ctx, query: CommandListQuery): Promise<InvocationOfCommand[]> {
    checkFilters(query.filters, false);
    if (
      query.commandId !== undefined &&
      (await this.store.findCommand(ctx.tx, ctx, query.commandId)) === undefined
    )
      throw ssmError('InvalidCommandId', `Command ${query.commandId} does not exist.`);
    return this.store.pageInvocations(ctx.tx, ctx, {
      commandId: query.commandId,
      instanceId: query.instanceId,
      filters: invocationFilterPredicates(query.filters),
      after: query.after,
      limit: query.limit ?? defaultListLimit,
    });
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

  /** The agent's poll (`BulwarkGetPendingCommands`): see CommandDispatch. */
  poll(ctx: Ctx, instanceId: string, held: readonly string[], max: number): Promise<AgentWork> {
    return this.dispatch.poll(ctx, instanceId, held, max);
  }

  /** The agent's report (`BulwarkReportCommandResult`): see InvocationReports. */
  report(ctx: Ctx, report: AgentReport): Promise<Invocation> {
    return this.reports.report(ctx, report);
  }
}
