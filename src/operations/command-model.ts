/** Run Command: commands, invocations, their statuses and the pure rules (ssm-api.md §10.1–10.2). */
import { concurrencyLimit, errorLimit, type Target } from '../protocols/ssm/index.js';

export const commandStatuses = [
  'Pending',
  'InProgress',
  'Success',
  'Cancelled',
  'Failed',
  'TimedOut',
  'Cancelling',
] as const;
/** `Command.Status`. */
export type CommandStatus = (typeof commandStatuses)[number];

export const invocationStatuses = [
  'Pending',
  'InProgress',
  'Delayed',
  'Success',
  'Cancelled',
  'TimedOut',
  'Failed',
  'Cancelling',
] as const;
/** `CommandInvocation.Status`; Undeliverable, Terminated … are StatusDetails of Failed (§10.2). */
export type InvocationStatus = (typeof invocationStatuses)[number];

/** The final statuses an agent may report. */
export const reportableStatuses = ['InProgress', 'Success', 'Failed', 'TimedOut', 'Cancelled'] as const;
export type ReportableStatus = (typeof reportableStatuses)[number];

/** What the API returns of a command's output (model limits, §11). */
export const outputLimits = {
  standardOutput: 24_000,
  standardError: 8_000,
  /** `CommandPlugin.Output` in ListCommandInvocations with Details. */
  pluginOutput: 2_500,
} as const;

/** SendCommand limits (§10.1, §11). */
export const sendCommandLimits = {
  maxInstanceIds: 50,
  minTimeoutSeconds: 30,
  maxTimeoutSeconds: 2_592_000,
  /** TimeoutSeconds when omitted (§10.1: the two documented defaults conflict; 3600 chosen). */
  defaultTimeoutSeconds: 3600,
  maxComment: 100,
} as const;

/** How long a delivered invocation stays with its agent without news before it may be delivered again. */
export const defaultLeaseSeconds = 300;
/** Deliveries of one invocation (a crashing agent must not loop forever) before it fails as Undeliverable. */
export const maxDeliveries = 3;
/** Slack after ExpiresAfter before the hub gives up on an agent that went silent. */
export const timeoutGraceSeconds = 60;

/** One command as sent: to explicit instance ids, or to Targets resolved when it was sent. */
export interface Command {
  commandId: string;
  accountId: string;
  region: string;
  documentName: string;
  documentVersion: string;
  parameters: Record<string, string[]>;
  /** The targeted nodes: as given, or as the Targets resolved at SendCommand. */
  instanceIds: string[];
  /** The Targets it was sent with (undefined for explicit InstanceIds). */
  targets: Target[] | undefined;
  comment: string | undefined;
  /** How many invocations run at once: a count or a percentage of the targets (§10.1). */
  maxConcurrency: string;
  /** How many errors stop further dispatching: a count or a percentage of the targets (§10.1). */
  maxErrors: string;
  /** Delivery timeout: a node that has not picked the command up this long after dispatch gets Delivery Timed Out. */
  timeoutSeconds: number;
  /** The document's execution timeout (AWS-RunShellScript `executionTimeout`, a step's `timeoutSeconds`). */
  executionTimeoutSeconds: number;
  requestedAt: Date;
  /** RequestedDateTime + TimeoutSeconds + the execution timeout (§10.1). */
  expiresAt: Date;
  cancelRequested: boolean;
  status: CommandStatus;
  statusDetails: string;
  targetCount: number;
  completedCount: number;
  errorCount: number;
  deliveryTimedOutCount: number;
}

/** How one step (plugin) of a document ended on a node, as its agent reported it. */
export const pluginStatuses = ['Success', 'Failed', 'TimedOut', 'Cancelled', 'Skipped'] as const;

/** One step's outcome: what CommandPlugins and GetCommandInvocation with a PluginName show. */
export interface PluginOutcome {
  name: string;
  status: (typeof pluginStatuses)[number];
  responseCode: number;
  standardOutput: string;
  standardError: string;
  startedAt: Date | undefined;
  endedAt: Date | undefined;
}

/** One command on one managed node. */
export interface Invocation {
  commandId: string;
  instanceId: string;
  accountId: string;
  region: string;
  status: InvocationStatus;
  statusDetails: string;
  /** -1 until the agent reports an exit code. */
  responseCode: number;
  standardOutput: string;
  standardError: string;
  requestedAt: Date;
  /** When rate control let it go to the agent; undefined while held back (it shows as Pending). */
  dispatchedAt: Date | undefined;
  deliveryCount: number;
  /** While InProgress/Cancelling: when the agent's hold on the invocation lapses unless it renews it. */
  leaseExpiresAt: Date | undefined;
  startedAt: Date | undefined;
  endedAt: Date | undefined;
  updatedAt: Date;
  /** Bumped on every stored change (optimistic concurrency). */
  revision: number;
  /** Each step's outcome, when the agent reported them (documents run step by step). */
  plugins?: PluginOutcome[] | undefined;
}

/** An invocation with the command it belongs to (what reads and deliveries show). */
export interface InvocationOfCommand {
  command: Command;
  invocation: Invocation;
}

const terminal: ReadonlySet<InvocationStatus> = new Set(['Success', 'Cancelled', 'TimedOut', 'Failed']);

/** Whether an invocation is finished (nothing changes it any more). */
export function isTerminal(status: InvocationStatus): boolean {
  return terminal.has(status);
}

/** The StatusDetails that goes with a plain status (the detailed ones are set where they arise). */
export function defaultStatusDetails(status: InvocationStatus): string {
  switch (status) {
    case 'InProgress':
      return 'In Progress';
    case 'Cancelled':
      return 'Canceled';
    case 'TimedOut':
      return 'Execution Timed Out';
    case 'Pending':
    case 'Delayed':
    case 'Success':
    case 'Failed':
    case 'Cancelling':
      return status;
  }
}

/** StatusDetails of a Failed invocation that do not count as errors (§10.1): they never reached a run. */
const nonCountingFailures: ReadonlySet<string> = new Set([
  'Undeliverable',
  'Terminated',
  'Invalid Platform',
  'Access Denied',
]);

type InvocationState = Pick<Invocation, 'status' | 'statusDetails'>;

/** An error for MaxErrors and ErrorCount: the run failed, or ran out of time while executing. */
export function isError(invocation: InvocationState): boolean {
  return (
    (invocation.status === 'Failed' && !nonCountingFailures.has(invocation.statusDetails)) ||
    (invocation.status === 'TimedOut' && invocation.statusDetails === 'Execution Timed Out')
  );
}

/**
 * How many of a command's invocations have one status and StatusDetails, and how many of those were
 * dispatched: what summaries and rate control read, so a change need not load every invocation.
 */
export interface InvocationTally extends InvocationState {
  count: number;
  dispatchedCount: number;
}

/** The tally of `invocations` (the store counts stored ones in SQL). */
export function tallyInvocations(
  invocations: readonly Pick<Invocation, 'status' | 'statusDetails' | 'dispatchedAt'>[],
): InvocationTally[] {
  const byState = new Map<string, InvocationTally>();
  for (const invocation of invocations) {
    const key = `${invocation.status}\n${invocation.statusDetails}`;
    const entry = byState.get(key) ?? {
      status: invocation.status,
      statusDetails: invocation.statusDetails,
      count: 0,
      dispatchedCount: 0,
    };
    entry.count += 1;
    if (invocation.dispatchedAt !== undefined) entry.dispatchedCount += 1;
    byState.set(key, entry);
  }
  return [...byState.values()];
}

const countOf = (tally: readonly InvocationTally[], matches: (entry: InvocationTally) => boolean): number =>
  tally.reduce((sum, entry) => (matches(entry) ? sum + entry.count : sum), 0);

/**
 * Counters and the aggregate status of a command from the tally of its invocations (§10.1–10.2). A finished
 * command is Failed when its errors reach max(1, MaxErrors), Delivery Timed Out when its delivery time-outs do;
 * Success when every invocation succeeded or never reached a run (Undeliverable …) and at least one succeeded;
 * Failed / Incomplete when some succeeded and too few failed to fail it.
 */
export function summarizeCommand(
  command: Pick<Command, 'cancelRequested' | 'maxErrors'>,
  tally: readonly InvocationTally[],
): Pick<
  Command,
  'status' | 'statusDetails' | 'completedCount' | 'errorCount' | 'deliveryTimedOutCount' | 'targetCount'
> {
  const counts = {
    targetCount: countOf(tally, () => true),
    completedCount: countOf(tally, (entry) => isTerminal(entry.status)),
    errorCount: countOf(tally, isError),
    deliveryTimedOutCount: countOf(tally, (entry) => entry.statusDetails === 'Delivery Timed Out'),
  };
  const has = (status: InvocationStatus): boolean => countOf(tally, (entry) => entry.status === status) > 0;
  const outcome = ((): { status: CommandStatus; statusDetails: string } => {
    if (counts.completedCount < counts.targetCount) {
      if (has('Cancelling')) return { status: 'Cancelling', statusDetails: 'Cancelling' };
      if (countOf(tally, (entry) => entry.status === 'Pending') === counts.targetCount)
        return { status: 'Pending', statusDetails: 'Pending' };
      return { status: 'InProgress', statusDetails: 'In Progress' };
    }
    if (command.cancelRequested && has('Cancelled'))
      return { status: 'Cancelled', statusDetails: 'Canceled' };
    const threshold = Math.max(1, errorLimit(command.maxErrors, counts.targetCount));
    if (counts.errorCount >= threshold) return { status: 'Failed', statusDetails: 'Failed' };
    if (counts.deliveryTimedOutCount >= threshold)
      return { status: 'TimedOut', statusDetails: 'Delivery Timed Out' };
    if (has('Success')) {
      const unclean = countOf(
        tally,
        (entry) =>
          entry.status !== 'Success' &&
          !(entry.status === 'Failed' && nonCountingFailures.has(entry.statusDetails)),
      );
      return unclean === 0
        ? { status: 'Success', statusDetails: 'Success' }
        : { status: 'Failed', statusDetails: 'Incomplete' };
    }
    if (counts.deliveryTimedOutCount > 0) return { status: 'TimedOut', statusDetails: 'Delivery Timed Out' };
    return { status: 'Failed', statusDetails: 'Failed' };
  })();
  return { ...counts, ...outcome };
}

/** What rate control does next to a command's held-back invocations (§10.1), first by instance id. */
export interface DispatchPlan {
  /** How many held-back invocations to let go to their agents now. */
  dispatch: number;
  /** Whether the held-back invocations will never run: the errors went past MaxErrors. */
  terminate: boolean;
}

/**
 * Keeps at most MaxConcurrency invocations dispatched and unfinished; once errors exceed MaxErrors, the
 * invocations not yet dispatched are terminated (those running finish). Nothing is dispatched after a cancel.
 */
export function planDispatch(
  command: Pick<Command, 'cancelRequested' | 'maxConcurrency' | 'maxErrors'>,
  tally: readonly InvocationTally[],
): DispatchPlan {
  const held = tally.reduce(
    (sum, entry) => (entry.status === 'Pending' ? sum + entry.count - entry.dispatchedCount : sum),
    0,
  );
  if (command.cancelRequested || held === 0) return { dispatch: 0, terminate: false };
  const targets = countOf(tally, () => true);
  if (countOf(tally, isError) > errorLimit(command.maxErrors, targets))
    return { dispatch: 0, terminate: true };
  const running = tally.reduce(
    (sum, entry) => (isTerminal(entry.status) ? sum : sum + entry.dispatchedCount),
    0,
  );
  const free = concurrencyLimit(command.maxConcurrency, targets) - running;
  return { dispatch: Math.min(held, Math.max(0, free)), terminate: false };
}

/** The first `limit` characters (SSM shows the head of the output). */
export function truncateOutput(text: string, limit: number): string {
  return text.length <= limit ? text : text.slice(0, limit);
}

/** `CommandPlugin.Output`: standard output, then standard error after SSM's separator, at most 2,500 chars. */
export function pluginOutput(standardOutput: string, standardError: string): string {
  const combined =
    standardError === '' ? standardOutput : `${standardOutput}\n----------ERROR-------\n${standardError}`;
  return truncateOutput(combined, outputLimits.pluginOutput);
}

/** The plugin (step) name GetCommandInvocation reports for the Linux step of a built-in document. */
export function pluginNameOf(documentName: string): string {
  if (documentName === 'AWS-RunShellScript') return 'aws:runShellScript';
  if (documentName === 'AWS-RunPatchBaseline') return 'PatchLinux';
  return 'aws:runShellScript';
}

/** `PT1.25S`: ExecutionElapsedTime as SSM writes it (an ISO-8601 duration). */
export function elapsedTime(startedAt: Date | undefined, endedAt: Date | undefined): string {
  if (startedAt === undefined || endedAt === undefined) return '';
  return `PT${((endedAt.getTime() - startedAt.getTime()) / 1000).toFixed(3).replace(/\.?0+$/, '')}S`;
}

/** The default execution timeout of a step (AWS-RunShellScript's `executionTimeout` default). */
export const defaultExecutionTimeoutSeconds = 3600;

/**
 * A document's execution timeout for these parameters: the largest step `timeoutSeconds` (a number, or a
 * `{{ parameter }}` reference resolved with the sent value or the parameter's default), 3600 when none.
 */
export function executionTimeoutOf(
  content: string,
  declared: readonly { name: string; defaultValue?: unknown }[],
  parameters: Readonly<Record<string, readonly string[]>>,
): number {
  let body: unknown;
  try {
    body = JSON.parse(content);
  } catch {
    return defaultExecutionTimeoutSeconds; // YAML documents: no step timeout read yet
  }
  const steps = (body as { mainSteps?: unknown; runtimeConfig?: unknown }).mainSteps;
  const values: number[] = [];
  for (const step of Array.isArray(steps) ? steps : []) {
    const raw = (step as { inputs?: { timeoutSeconds?: unknown } }).inputs?.timeoutSeconds;
    const reference = typeof raw === 'string' ? /^\{\{\s*(\w+)\s*\}\}$/.exec(raw)?.[1] : undefined;
    const resolved =
      reference === undefined
        ? raw
        : (parameters[reference]?.[0] ?? declared.find((p) => p.name === reference)?.defaultValue);
    const seconds = Number(resolved);
    if (Number.isFinite(seconds) && seconds > 0) values.push(seconds);
  }
  return values.length === 0 ? defaultExecutionTimeoutSeconds : Math.max(...values);
}
