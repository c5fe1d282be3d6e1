/**
 * The agent's State Manager side, like the SSM Agent's association processor: each poll fetches this node's
 * associations (`ListInstanceAssociations`); one with a run to do (the hub names its ExecutionId) is reported
 * InProgress, run with the executor of its document (or step by step from its content) and reported with
 * `UpdateInstanceAssociationStatus` — Status, ExecutionDate, ExecutionSummary ("1 out of 1 plugin processed,
 * …") and, when it could not run at all, an ErrorCode.
 */
import type { HubClient } from '../hub-client.js';
import type { CommandLogger } from './command-runner.js';
import { executionSummary, type DocumentResult } from './document-result.js';
import type { CommandExecutor, ExecutionResult } from './executor.js';

/** The hub operations this runner calls. */
export const associationTargets = {
  listInstanceAssociations: 'AmazonSSM.ListInstanceAssociations',
  updateInstanceAssociationStatus: 'AmazonSSM.UpdateInstanceAssociationStatus',
} as const;

/** One association as ListInstanceAssociations answers it (AWS members plus what the agent runs it with). */
export interface InstanceAssociationItem {
  AssociationId: string;
  InstanceId: string;
  Content?: string;
  AssociationVersion?: string;
  Name?: string;
  DocumentVersion?: string;
  Parameters?: Record<string, string[]>;
  ExecutionId?: string;
}

interface ListResponse {
  Associations?: InstanceAssociationItem[];
  NextToken?: string;
}

/** The body of one UpdateInstanceAssociationStatus report. */
export interface AssociationReportBody extends Record<string, unknown> {
  AssociationId: string;
  InstanceId: string;
  ExecutionResult: {
    Status: 'InProgress' | 'Success' | 'Failed' | 'TimedOut';
    ExecutionDate: number;
    ExecutionSummary: string;
    ErrorCode?: string;
  };
}

export interface AssociationRunnerOptions {
  hub: Pick<HubClient, 'call'>;
  instanceId: string;
  /** Where reports go (the agent's spool in production). */
  report(body: AssociationReportBody): Promise<void>;
  /** Executors by document name (AWS-RunPatchBaseline …). */
  executors?: Record<string, CommandExecutor>;
  /** Runs every other document from its content (documentExecutor). */
  documents?: CommandExecutor;
  logger?: CommandLogger;
}

/** Association runs finished here are remembered this long, so a report still spooled doesn't run them again. */
const finishedMemoryMs = 60 * 60_000;

/** Polls the hub for this node's associations and runs the ones it asks for. */
export class AssociationRunner {
  private readonly running = new Map<string, Promise<void>>();
  private readonly finished = new Map<string, number>();
  private readonly logger: CommandLogger;

  constructor(private readonly options: AssociationRunnerOptions) {
    this.logger = options.logger ?? { info: () => undefined, warn: () => undefined };
  }

  /** One poll: starts the runs the hub asks for (they go on in the background). */
  async pollAndRun(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const now = Date.now();
    for (const [id, at] of this.finished) if (now - at > finishedMemoryMs) this.finished.delete(id);
    let nextToken: string | undefined;
    do {
      const response: ListResponse = await this.options.hub.call<ListResponse>(
        associationTargets.listInstanceAssociations,
        { InstanceId: this.options.instanceId, ...(nextToken === undefined ? {} : { NextToken: nextToken }) },
        { signal },
      );
      for (const item of response.Associations ?? []) {
        const executionId = item.ExecutionId;
        if (executionId === undefined || this.finished.has(executionId)) continue;
        if (this.running.has(item.AssociationId)) continue;
        this.start(item, executionId, signal);
      }
      nextToken = response.NextToken;
    } while (nextToken !== undefined);
  }

  /** Resolves when every run started so far has reported. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  private start(item: InstanceAssociationItem, executionId: string, signal: AbortSignal): void {
    const name = item.Name ?? '';
    const done = (async () => {
      this.logger.info(`association ${item.AssociationId}: running ${name}`);
      await this.report(item, 'InProgress', 'The association is running.');
      const result = await this.execute(item, name, signal);
      const plugins = (result as Partial<DocumentResult>).plugins;
      const status =
        result.status === 'Success' ? 'Success' : result.status === 'TimedOut' ? 'TimedOut' : 'Failed';
      const summary =
        plugins !== undefined && plugins.length > 0
          ? executionSummary(plugins)
          : `1 out of 1 plugin processed, ${status === 'Success' ? 1 : 0} success, ${status === 'Failed' ? 1 : 0} failed, ${status === 'TimedOut' ? 1 : 0} timedout, 0 skipped.`;
      this.finished.set(executionId, Date.now());
      this.logger.info(`association ${item.AssociationId}: ${status}`);
      const couldNotRun = plugins !== undefined && plugins.length === 0 && status === 'Failed';
      await this.report(item, status, summary, couldNotRun ? 'InvalidDoc' : undefined);
    })()
      .catch((error: unknown) => {
        this.logger.warn(
          `association ${item.AssociationId}: not reported: ${error instanceof Error ? error.message : String(error)}`,
        );
      })
      .finally(() => this.running.delete(item.AssociationId));
    this.running.set(item.AssociationId, done);
  }

  private async execute(
    item: InstanceAssociationItem,
    name: string,
    signal: AbortSignal,
  ): Promise<ExecutionResult> {
    const executor =
      this.options.executors?.[name] ?? (item.Content === undefined ? undefined : this.options.documents);
    if (executor === undefined) {
      return {
        status: 'Failed',
        responseCode: 1,
        standardOutput: '',
        standardError: `This agent cannot run document ${name}.`,
      };
    }
    try {
      return await executor({
        commandId: item.AssociationId,
        documentName: name,
        parameters: item.Parameters ?? {},
        content: item.Content,
        // Associations have no command-level timeout: each step's own timeoutSeconds (default 3600) governs.
        executionTimeoutSeconds: 172_800,
        signal,
      });
    } catch (error) {
      return {
        status: 'Failed',
        responseCode: 1,
        standardOutput: '',
        standardError: error instanceof Error ? error.message : String(error),
      };
    }
  }

  private report(
    item: InstanceAssociationItem,
    status: AssociationReportBody['ExecutionResult']['Status'],
    summary: string,
    errorCode?: string,
  ): Promise<void> {
    return this.options.report({
      AssociationId: item.AssociationId,
      InstanceId: this.options.instanceId,
      ExecutionResult: {
        Status: status,
        ExecutionDate: Date.now() / 1000,
        ExecutionSummary: summary,
        ...(errorCode === undefined ? {} : { ErrorCode: errorCode }),
      },
    });
  }
}
