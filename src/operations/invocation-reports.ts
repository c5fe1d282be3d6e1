/** What an agent reports about its own invocation: progress that renews its lease, or the final outcome. */
import type { Ctx } from '../kernel/index.js';
import { ssmError } from '../protocols/ssm/index.js';
import {
  defaultStatusDetails,
  isTerminal,
  outputLimits,
  truncateOutput,
  type Invocation,
  type PluginOutcome,
  type ReportableStatus,
} from './command-model.js';
import type { CommandInstances } from './command-ports.js';
import type { CommandsStore } from './command-store.js';
import type { InvocationTransitions } from './invocation-transitions.js';

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

/** The agent's report (`BulwarkReportCommandResult`). */
export class InvocationReports {
  constructor(
    private readonly store: CommandsStore,
    private readonly transitions: InvocationTransitions,
    private readonly instances: CommandInstances,
    private readonly leaseSeconds: number,
  ) {}

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
      const lease = new Date(ctx.now.getTime() + this.leaseSeconds * 1000);
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
