/** What a document executor is: the agent side of one invocation, from parameters to outcome. */

/** The outcome statuses an executor ends in (the hub's final invocation statuses). */
export type ExecutionStatus = 'Success' | 'Failed' | 'TimedOut' | 'Cancelled';

/** One invocation to run. */
export interface CommandExecution {
  commandId: string;
  documentName: string;
  parameters: Readonly<Record<string, readonly string[]>>;
  /** The hub's execution timeout for the document (a document parameter may say less). */
  executionTimeoutSeconds: number;
  /** The document's content as the hub sent it (JSON), for documents run step by step. */
  content?: string | undefined;
  /** Aborted when the hub cancels the command or the agent stops. */
  signal: AbortSignal;
}

/** How an invocation ended. */
export interface ExecutionResult {
  status: ExecutionStatus;
  /** The process exit code; 137 when the agent killed it (timeout, cancel), like the SSM Agent. */
  responseCode: number;
  standardOutput: string;
  standardError: string;
}

/** Runs one document's invocations. */
export type CommandExecutor = (execution: CommandExecution) => Promise<ExecutionResult>;

/** The exit code the SSM Agent reports for a command it stopped (128 + SIGKILL). */
export const stoppedExitCode = 137;

/** SSM's API limits on the output it keeps (ssm-api.md §11). */
export const outputCaps = { standardOutput: 24_000, standardError: 8_000 } as const;
