/** Maintenance windows (ssm-api.md §10.3–10.4): windows, their targets and tasks, and what a run records. */
import type { Target } from '../protocols/ssm/index.js';

/** Window, task and invocation statuses of an execution. */
export const executionStatuses = [
  'PENDING',
  'IN_PROGRESS',
  'SUCCESS',
  'FAILED',
  'TIMED_OUT',
  'CANCELLING',
  'CANCELLED',
  'SKIPPED_OVERLAPPING',
] as const;
export type ExecutionStatus = (typeof executionStatuses)[number];

const finished: ReadonlySet<ExecutionStatus> = new Set([
  'SUCCESS',
  'FAILED',
  'TIMED_OUT',
  'CANCELLED',
  'SKIPPED_OVERLAPPING',
]);

/** Whether nothing changes an execution in this status any more. */
export function isFinished(status: ExecutionStatus): boolean {
  return finished.has(status);
}

export const taskTypes = ['RUN_COMMAND', 'AUTOMATION', 'LAMBDA', 'STEP_FUNCTIONS'] as const;
export type TaskType = (typeof taskTypes)[number];

/**
 * The built-in runbook an AUTOMATION task may name: it writes the patch compliance of the task's targets to
 * Security Hub findings (what a Lambda does after the scan task in AWS's multi-account patch pipeline).
 */
export const exportPatchFindingsRunbook = 'Bulwark-ExportPatchComplianceToFindings';

export const windowLimits = {
  minDurationHours: 1,
  maxDurationHours: 24,
  maxCutoffHours: 23,
  maxTargetsPerTarget: 5,
  maxWindowTargets: 100,
  maxTasks: 20,
  maxPriority: 2_147_483_647,
} as const;

export interface MaintenanceWindow {
  windowId: string;
  accountId: string;
  region: string;
  name: string;
  description: string | undefined;
  schedule: string;
  scheduleTimezone: string | undefined;
  scheduleOffset: number | undefined;
  durationHours: number;
  cutoffHours: number;
  allowUnassociatedTargets: boolean;
  enabled: boolean;
  startDate: Date | undefined;
  endDate: Date | undefined;
  createdAt: Date;
  modifiedAt: Date;
  /** When the scheduler starts the next execution; undefined when disabled or it never runs again. */
  nextExecutionAt: Date | undefined;
}

export type WindowResourceType = 'INSTANCE' | 'RESOURCE_GROUP';

export interface WindowTarget {
  windowTargetId: string;
  windowId: string;
  resourceType: WindowResourceType;
  targets: Target[];
  ownerInformation: string | undefined;
  name: string | undefined;
  description: string | undefined;
}

export type CutoffBehavior = 'CONTINUE_TASK' | 'CANCEL_TASK';

/** `TaskInvocationParameters.RunCommand` (and the Automation parameters of the built-in runbook). */
export interface TaskInvocationParameters {
  parameters: Record<string, string[]>;
  comment: string | undefined;
  timeoutSeconds: number | undefined;
  documentVersion: string | undefined;
}

export interface WindowTask {
  windowTaskId: string;
  windowId: string;
  taskArn: string;
  taskType: TaskType;
  /** `WindowTargetIds` or `InstanceIds` targets (AWS's two forms for window tasks). */
  targets: Target[];
  priority: number;
  maxConcurrency: string | undefined;
  maxErrors: string | undefined;
  serviceRoleArn: string | undefined;
  invocation: TaskInvocationParameters;
  cutoffBehavior: CutoffBehavior;
  name: string | undefined;
  description: string | undefined;
}

export interface WindowExecution {
  windowExecutionId: string;
  windowId: string;
  accountId: string;
  region: string;
  /** The schedule time it ran for (the cutoff and duration count from here). */
  scheduledAt: Date;
  status: ExecutionStatus;
  statusDetails: string;
  startTime: Date;
  endTime: Date | undefined;
  /** Set by CancelMaintenanceWindowExecution; the scheduler then cancels what runs. */
  cancelRequested: boolean;
}

/** One task of one execution, with the task as it was registered when it started. */
export interface TaskExecution {
  taskExecutionId: string;
  windowExecutionId: string;
  task: WindowTask;
  status: ExecutionStatus;
  statusDetails: string;
  startTime: Date | undefined;
  endTime: Date | undefined;
}

/** One target of a task execution: a Run Command command, or one run of the built-in runbook. */
export interface TaskInvocation {
  invocationId: string;
  taskExecutionId: string;
  windowExecutionId: string;
  /** The command id for RUN_COMMAND; the run's id for the built-in runbook; empty until started. */
  executionId: string;
  taskType: TaskType;
  /** The parameters it ran with, pseudo parameters filled in (a JSON string, as AWS shows it). */
  parameters: string;
  status: ExecutionStatus;
  statusDetails: string;
  startTime: Date | undefined;
  endTime: Date | undefined;
  ownerInformation: string | undefined;
  windowTargetId: string | undefined;
  /** What it sends to: the window target's Targets, or the task's InstanceIds. */
  targets: Target[];
}

/** The window's current run period: its start and the last moment a task may start (end − Cutoff). */
export function windowPeriod(
  window: Pick<MaintenanceWindow, 'durationHours' | 'cutoffHours'>,
  scheduledAt: Date,
): { end: Date; cutoff: Date } {
  const hour = 3_600_000;
  const end = scheduledAt.getTime() + window.durationHours * hour;
  return { end: new Date(end), cutoff: new Date(end - window.cutoffHours * hour) };
}

/** `{{WINDOW_ID}}`-style pseudo parameters (§10.4) replaced in every value. */
export function fillPseudoParameters(
  parameters: Readonly<Record<string, readonly string[]>>,
  values: Readonly<Record<string, string>>,
): Record<string, string[]> {
  const fill = (text: string): string =>
    text.replace(/\{\{\s*([A-Z_]+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole);
  return Object.fromEntries(Object.entries(parameters).map(([name, list]) => [name, list.map(fill)]));
}

/**
 * An execution's outcome from its task executions: CANCELLED when cancelled; FAILED when a task failed;
 * TIMED_OUT when the cutoff kept tasks from starting or cancelled them (CANCEL_TASK); else SUCCESS.
 */
export function executionOutcome(
  tasks: readonly Pick<TaskExecution, 'status'>[],
  notStarted: number,
  cancelled: boolean,
): { status: ExecutionStatus; statusDetails: string } {
  if (cancelled) return { status: 'CANCELLED', statusDetails: 'Cancelled by request.' };
  const failed = tasks.filter((t) => t.status === 'FAILED').length;
  if (failed > 0) return { status: 'FAILED', statusDetails: `${failed} of ${tasks.length} tasks failed.` };
  const timedOut = tasks.filter((t) => t.status === 'TIMED_OUT').length;
  if (notStarted > 0 || timedOut > 0)
    return {
      status: 'TIMED_OUT',
      statusDetails: `The window's cutoff passed: ${notStarted} tasks did not start, ${timedOut} were stopped.`,
    };
  return { status: 'SUCCESS', statusDetails: 'All tasks succeeded.' };
}

/** A task execution's status from its invocations once all are finished. */
export function taskOutcome(invocations: readonly Pick<TaskInvocation, 'status'>[]): {
  status: ExecutionStatus;
  statusDetails: string;
} {
  const count = (status: ExecutionStatus): number => invocations.filter((i) => i.status === status).length;
  if (invocations.length === 0) return { status: 'SUCCESS', statusDetails: 'The task had no targets.' };
  if (count('FAILED') > 0)
    return {
      status: 'FAILED',
      statusDetails: `${count('FAILED')} of ${invocations.length} invocations failed.`,
    };
  if (count('TIMED_OUT') > 0)
    return {
      status: 'TIMED_OUT',
      statusDetails: `${count('TIMED_OUT')} of ${invocations.length} invocations timed out.`,
    };
  if (count('CANCELLED') > 0) return { status: 'CANCELLED', statusDetails: 'Cancelled.' };
  return { status: 'SUCCESS', statusDetails: 'Success' };
}

/** The window target ids a task sends to. */
export function windowTargetIdsOf(task: Pick<WindowTask, 'targets'>): string[] {
  return task.targets.filter((t) => t.key === 'WindowTargetIds').flatMap((t) => t.values);
}
