/**
 * The agent's Run Command side. Each `pollAndRun` asks the hub for this instance's work
 * (`AmazonSSM.BulwarkGetPendingCommands`, naming the commands it still holds so their leases stay alive),
 * starts new invocations in the background with the executor of their document, stops the ones the hub
 * cancels (the executor kills the process group), and reports every outcome with
 * `AmazonSSM.BulwarkReportCommandResult` through a report sink (the agent's spool, or direct with retry),
 * each report with its own id so a retried report changes nothing on the hub.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fullJitterDelay, type BackoffPolicy } from '../backoff.js';
import { HubError, type HubClient } from '../hub-client.js';
import type { ReportSpool } from '../report-spool.js';
import type { DocumentResult, StepStatus } from './document-result.js';
import type { CommandExecutor, ExecutionResult } from './executor.js';
import { shellScriptExecutor } from './shell-executor.js';

/** The hub operations this runner calls (AmazonSSM targets; see src/operations/routes.ts). */
export const commandTargets = {
  getPendingCommands: 'AmazonSSM.BulwarkGetPendingCommands',
  reportCommandResult: 'AmazonSSM.BulwarkReportCommandResult',
} as const;

/** One command delivered by the hub. */
export interface PendingCommand {
  CommandId: string;
  DocumentName: string;
  DocumentVersion?: string;
  Parameters?: Record<string, string[]>;
  ExecutionTimeoutSeconds?: number;
  /** The document's content (JSON), for documents without an executor of their own. */
  Content?: string;
}

interface PendingCommandsResponse {
  Commands?: PendingCommand[];
  CancelCommandIds?: string[];
}

/** The body of one result report. */
export interface CommandReportBody extends Record<string, unknown> {
  InstanceId: string;
  CommandId: string;
  ReportId: string;
  Status: ExecutionResult['status'];
  ResponseCode: number;
  StandardOutputContent: string;
  StandardErrorContent: string;
  /** Each step's outcome, for documents run step by step. */
  Plugins?: {
    Name: string;
    Status: StepStatus;
    ResponseCode: number;
    StandardOutputContent: string;
    StandardErrorContent: string;
    ResponseStartDateTime: number;
    ResponseFinishDateTime: number;
  }[];
}

/** Where reports go: durably into the spool, or straight to the hub. */
export interface CommandReportSink {
  report(body: CommandReportBody): Promise<void>;
}

/** Reports through the agent's spool (delivered, retried and kept across restarts by the agent loop). */
export function spoolReportSink(spool: Pick<ReportSpool, 'enqueue'>): CommandReportSink {
  return {
    async report(body) {
      await spool.enqueue({
        kind: 'command-result',
        target: commandTargets.reportCommandResult,
        body,
        reportId: body.ReportId,
      });
    },
  };
}

/**
 * Reports straight to the hub, retrying unreachable/overloaded hubs with backoff until `signal` aborts;
 * a rejection by the hub (4xx) is final.
 */
export function directReportSink(
  hub: Pick<HubClient, 'call'>,
  options: { backoff?: BackoffPolicy; signal?: AbortSignal; onRejected?: (error: Error) => void } = {},
): CommandReportSink {
  const backoff = options.backoff ?? { baseMs: 500, capMs: 30_000 };
  return {
    async report(body) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await hub.call(commandTargets.reportCommandResult, body);
          return;
        } catch (error) {
          const retryable = !(error instanceof HubError) || error.retryable;
          if (!retryable) {
            options.onRejected?.(error);
            return;
          }
          if (options.signal?.aborted === true) throw error;
          await sleep(
            fullJitterDelay(attempt, backoff),
            undefined,
            options.signal === undefined ? {} : { signal: options.signal },
          );
        }
      }
    },
  };
}

/** How the runner logs. */
export interface CommandLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface CommandRunnerOptions {
  hub: Pick<HubClient, 'call'>;
  instanceId: string;
  reports: CommandReportSink;
  /** Executors by document name; default AWS-RunShellScript (add AWS-RunPatchBaseline with patchBaselineExecutor). */
  executors?: Record<string, CommandExecutor>;
  /** Runs every other document from its delivered content (documentExecutor); without it they fail. */
  documents?: CommandExecutor;
  /** Invocations running at once (the rest wait for the next poll); default 4. */
  maxConcurrent?: number;
  logger?: CommandLogger;
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

/** Commands finished here stay "held" this long, so a report still in the spool keeps its lease. */
const finishedMemoryMs = 60 * 60_000;
const maxRemembered = 50;

/** Polls the hub for commands and runs them. */
export class CommandRunner {
  private readonly running = new Map<string, Running>();
  /** Finished locally (report written to the sink, perhaps not yet delivered): id → when. */
  private readonly finished = new Map<string, number>();
  private readonly executors: Record<string, CommandExecutor>;
  private readonly maxConcurrent: number;
  private readonly logger: CommandLogger;

  constructor(private readonly options: CommandRunnerOptions) {
    this.executors = options.executors ?? { 'AWS-RunShellScript': shellScriptExecutor() };
    this.maxConcurrent = options.maxConcurrent ?? 4;
    this.logger = options.logger ?? { info: () => undefined, warn: () => undefined };
  }

  /** One poll: renew leases, apply cancellations, start new invocations (they run on after this returns). */
  async pollAndRun(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const now = Date.now();
    for (const [id, at] of this.finished) if (now - at > finishedMemoryMs) this.finished.delete(id);
    const free = this.maxConcurrent - this.running.size;
    const response = await this.options.hub.call<PendingCommandsResponse>(
      commandTargets.getPendingCommands,
      {
        InstanceId: this.options.instanceId,
        HeldCommandIds: [...this.running.keys(), ...this.finished.keys()],
        MaxCommands: Math.max(0, Math.min(free, 10)),
      },
      { signal },
    );
    for (const commandId of response.CancelCommandIds ?? []) await this.cancel(commandId);
    for (const command of response.Commands ?? []) {
      if (this.running.has(command.CommandId) || this.finished.has(command.CommandId)) continue;
      this.start(command);
    }
  }

  /** Resolves when every invocation started so far has finished and handed its report to the sink. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Stops every running invocation (reported Cancelled) and waits for their reports. */
  async close(): Promise<void> {
    for (const run of this.running.values()) run.controller.abort(new Error('agent stopping'));
    await this.idle();
  }

  /** Command ids this runner runs now (diagnostics, tests). */
  get runningCommandIds(): string[] {
    return [...this.running.keys()];
  }

  private async cancel(commandId: string): Promise<void> {
    const run = this.running.get(commandId);
    if (run !== undefined) {
      this.logger.info(`command ${commandId}: cancelled by the hub`);
      run.controller.abort(new Error('cancelled'));
      return;
    }
    if (this.finished.has(commandId)) return; // its result is on the way
    // Not known here (the agent restarted): nothing runs, so it is cancelled.
    await this.report(commandId, {
      status: 'Cancelled',
      responseCode: -1,
      standardOutput: '',
      standardError: '',
    });
  }

  private start(command: PendingCommand): void {
    const controller = new AbortController();
    const executor =
      this.executors[command.DocumentName] ??
      (command.Content === undefined ? undefined : this.options.documents);
    const execute = async (): Promise<ExecutionResult> => {
      if (executor === undefined) {
        return {
          status: 'Failed',
          responseCode: 1,
          standardOutput: '',
          standardError: `This agent cannot run document ${command.DocumentName}.`,
        };
      }
      try {
        return await executor({
          commandId: command.CommandId,
          documentName: command.DocumentName,
          parameters: command.Parameters ?? {},
          content: command.Content,
          executionTimeoutSeconds: command.ExecutionTimeoutSeconds ?? 3600,
          signal: controller.signal,
        });
      } catch (error) {
        return {
          status: 'Failed',
          responseCode: 1,
          standardOutput: '',
          standardError: `The agent failed to run the command: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
    };
    this.logger.info(`command ${command.CommandId}: running ${command.DocumentName}`);
    const done = execute()
      .then(async (result) => {
        this.finished.set(command.CommandId, Date.now());
        while (this.finished.size > maxRemembered) {
          const oldest = this.finished.keys().next().value;
          if (oldest === undefined) break;
          this.finished.delete(oldest);
        }
        this.logger.info(`command ${command.CommandId}: ${result.status} (exit ${result.responseCode})`);
        await this.report(command.CommandId, result);
      })
      .catch((error: unknown) => {
        this.logger.warn(
          `command ${command.CommandId}: result not reported: ${error instanceof Error ? error.message : String(error)}`,
        );
      })
      .finally(() => this.running.delete(command.CommandId));
    this.running.set(command.CommandId, { controller, done });
  }

  private report(commandId: string, result: ExecutionResult): Promise<void> {
    const plugins = (result as Partial<DocumentResult>).plugins;
    return this.options.reports.report({
      ...(plugins === undefined || plugins.length === 0
        ? {}
        : {
            Plugins: plugins.map((p) => ({
              Name: p.name,
              Status: p.status,
              ResponseCode: p.responseCode,
              StandardOutputContent: p.standardOutput,
              StandardErrorContent: p.standardError,
              ResponseStartDateTime: p.startedAt.getTime() / 1000,
              ResponseFinishDateTime: p.endedAt.getTime() / 1000,
            })),
          }),
      InstanceId: this.options.instanceId,
      CommandId: commandId,
      ReportId: randomUUID(),
      Status: result.status,
      ResponseCode: result.responseCode,
      StandardOutputContent: result.standardOutput,
      StandardErrorContent: result.standardError,
    });
  }
}
