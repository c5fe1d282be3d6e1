/**
 * The maintenance window scheduler (ssm-api.md §10.4): starts each window on time — once, whichever node runs
 * the job, as executions are unique per window and schedule time — and advances its executions: tasks in
 * priority order (one priority level at a time, the tasks of a level side by side), each task's targets one
 * after another, nothing new after end − Cutoff, CANCEL_TASK tasks stopped at the cutoff.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Ctx, Scope } from '../kernel/index.js';
import type { Target } from '../protocols/ssm/index.js';
import { ApiError } from '../kernel/index.js';
import type { Database, Db, DbExecutor } from '../storage/database.js';
import { inRetryingTransaction } from '../storage/index.js';
import {
  executionOutcome,
  exportPatchFindingsRunbook,
  fillPseudoParameters,
  isFinished,
  taskOutcome,
  windowPeriod,
  type ExecutionStatus,
  type MaintenanceWindow,
  type TaskExecution,
  type TaskInvocation,
  type WindowExecution,
  type WindowTask,
  windowTargetIdsOf,
} from './window-model.js';
import type { RunningTaskCanceller } from './execution-service.js';
import { nextExecutionOf } from './window-schedule.js';
import type { MaintenanceStore } from './window-store.js';

/** What a RUN_COMMAND task needs of Run Command. */
export interface WindowCommands {
  send(
    ctx: Ctx,
    input: {
      documentName: string;
      documentVersion?: string | undefined;
      targets: Target[];
      parameters: Record<string, string[]>;
      timeoutSeconds?: number | undefined;
      comment?: string | undefined;
      maxConcurrency?: string | undefined;
      maxErrors?: string | undefined;
    },
  ): Promise<{ commandId: string; status: string; statusDetails: string }>;
  /** The command's status, or undefined when it is gone. */
  status(ctx: Ctx, commandId: string): Promise<{ status: string; statusDetails: string } | undefined>;
  cancel(ctx: Ctx, commandId: string): Promise<void>;
}

/** The nodes a window target stands for now. */
export interface WindowNodes {
  resolveTargets(db: DbExecutor, scope: Scope, targets: readonly Target[]): Promise<string[]>;
}

/** The built-in runbook's work: write the patch compliance of `instanceIds` to findings; returns how many. */
export interface PatchFindingsExport {
  exportPatchFindings(ctx: Ctx, instanceIds: readonly string[]): Promise<number>;
}

/** Windows started and executions advanced per transaction batch. */
const batchSize = 50;

const commandOutcome: Record<string, ExecutionStatus> = {
  Success: 'SUCCESS',
  Failed: 'FAILED',
  TimedOut: 'TIMED_OUT',
  Cancelled: 'CANCELLED',
};

const details = (text: string): string => text.slice(0, 250);

export class WindowRunner implements RunningTaskCanceller {
  constructor(
    private readonly store: MaintenanceStore,
    private readonly commands: WindowCommands,
    private readonly nodes: WindowNodes,
    private readonly patchFindings: PatchFindingsExport,
    /** A service identity's request context for work the scheduler does in an account. */
    private readonly contextFor: (tx: Transaction<Database>, scope: Scope, now: Date) => Ctx,
  ) {}

  /** One scheduler pass: start what is due, then advance every running execution. Returns what it touched. */
  async tick(db: Db, now: Date): Promise<{ started: number; advanced: number }> {
    let started = 0;
    for (const due of await this.store.dueWindows(db, now, batchSize)) {
      if (await inRetryingTransaction(db, (tx) => this.start(tx, due, now))) started += 1;
    }
    const active = await this.store.executions.activeExecutions(db, batchSize * 4);
    for (const execution of active) {
      await inRetryingTransaction(db, (tx) => this.advance(tx, execution.windowExecutionId, now));
    }
    return { started, advanced: active.length };
  }

  /**
   * Starts the window's due run (or records it SKIPPED_OVERLAPPING while the previous one still runs) and
   * moves its next run time on. A run found only after its cutoff (the scheduler was down) is not started.
   */
  private async start(tx: Transaction<Database>, due: MaintenanceWindow, now: Date): Promise<boolean> {
    const windowId = due.windowId;
    const window = await this.store.findWindow(tx, due, windowId);
    if (window?.nextExecutionAt === undefined || window.nextExecutionAt.getTime() > now.getTime())
      return false;
    const scheduledAt = window.nextExecutionAt;
    await this.store.updateWindow(tx, { ...window, nextExecutionAt: nextExecutionOf(window, now) });
    if (now.getTime() >= windowPeriod(window, scheduledAt).cutoff.getTime()) return false;
    const previous = await this.store.executions.unfinishedExecutionOf(tx, windowId);
    const execution: WindowExecution = {
      windowExecutionId: randomUUID(),
      windowId,
      accountId: window.accountId,
      region: window.region,
      scheduledAt,
      status: previous === undefined ? 'IN_PROGRESS' : 'SKIPPED_OVERLAPPING',
      statusDetails:
        previous === undefined
          ? 'In progress'
          : `Skipped: execution ${previous.windowExecutionId} of this window is still running.`,
      startTime: now,
      endTime: previous === undefined ? undefined : now,
      cancelRequested: false,
    };
    const inserted = await this.store.executions.insertExecution(tx, execution);
    if (inserted && previous === undefined) await this.advance(tx, execution.windowExecutionId, now);
    return inserted;
  }

  /** Moves one execution on: running tasks' progress, the next priority level, or its end. */
  async advance(tx: Transaction<Database>, windowExecutionId: string, now: Date): Promise<void> {
    const execution = await this.store.executions.lockExecution(tx, windowExecutionId);
    if (execution === undefined || isFinished(execution.status)) return;
    const scope = { accountId: execution.accountId, region: execution.region };
    const window = await this.store.findWindow(tx, scope, execution.windowId);
    if (window === undefined) return;
    const ctx = this.contextFor(tx, scope, now);
    const pastCutoff = now.getTime() >= windowPeriod(window, execution.scheduledAt).cutoff.getTime();
    const taskExecutions = await this.store.executions.taskExecutionsOf(tx, windowExecutionId);
    const current: TaskExecution[] = [];
    for (const taskExecution of taskExecutions) {
      current.push(
        isFinished(taskExecution.status)
          ? taskExecution
          : await this.progress(ctx, execution, window, taskExecution, pastCutoff),
      );
    }
    if (current.some((t) => !isFinished(t.status))) return;
    const startedTasks = new Set(current.map((t) => t.task.windowTaskId));
    const remaining = (await this.store.tasksOf(tx, window.windowId)).filter(
      (task) => !startedTasks.has(task.windowTaskId),
    );
    if (execution.cancelRequested || remaining.length === 0 || pastCutoff) {
      const outcome = executionOutcome(
        current,
        execution.cancelRequested ? 0 : remaining.length,
        execution.cancelRequested,
      );
      await this.store.executions.updateExecution(tx, { ...execution, ...outcome, endTime: now });
      return;
    }
    const level = remaining.filter((task) => task.priority === remaining[0]?.priority);
    for (const task of level) await this.startTask(ctx, execution, window, task);
  }

  /** Starts one task: an invocation per window target it names (or one for its InstanceIds). */
  private async startTask(
    ctx: Ctx,
    execution: WindowExecution,
    window: MaintenanceWindow,
    task: WindowTask,
  ): Promise<void> {
    const taskExecution: TaskExecution = {
      taskExecutionId: randomUUID(),
      windowExecutionId: execution.windowExecutionId,
      task,
      status: 'IN_PROGRESS',
      statusDetails: 'In progress',
      startTime: ctx.now,
      endTime: undefined,
    };
    const windowTargets = new Map(
      (await this.store.targetsOf(ctx.tx, window.windowId)).map((t) => [t.windowTargetId, t]),
    );
    const pending = (partial: Pick<TaskInvocation, 'targets' | 'windowTargetId' | 'ownerInformation'>) => ({
      invocationId: randomUUID(),
      taskExecutionId: taskExecution.taskExecutionId,
      windowExecutionId: execution.windowExecutionId,
      executionId: '',
      taskType: task.taskType,
      parameters: '{}',
      status: 'PENDING' as const,
      statusDetails: 'Pending',
      startTime: undefined,
      endTime: undefined,
      ...partial,
    });
    const invocations: TaskInvocation[] = [
      ...windowTargetIdsOf(task).flatMap((id) => {
        const target = windowTargets.get(id);
        return target === undefined
          ? []
          : [
              pending({
                targets: target.targets,
                windowTargetId: id,
                ownerInformation: target.ownerInformation,
              }),
            ];
      }),
      ...task.targets
        .filter((t) => t.key === 'InstanceIds' || t.key === 'instanceids')
        .map((t) =>
          pending({
            targets: [{ key: 'InstanceIds', values: t.values }],
            windowTargetId: undefined,
            ownerInformation: undefined,
          }),
        ),
    ];
    await this.store.executions.insertTaskExecution(ctx.tx, taskExecution);
    await this.store.executions.insertInvocations(ctx.tx, invocations);
    await this.progress(ctx, execution, window, taskExecution, false);
  }

  /**
   * Advances a task's invocations in order: follows the running one's command, starts the next when it is
   * done; at the cutoff a CANCEL_TASK task stops (its command is cancelled, it ends TIMED_OUT).
   */
  private async progress(
    ctx: Ctx,
    execution: WindowExecution,
    window: MaintenanceWindow,
    taskExecution: TaskExecution,
    pastCutoff: boolean,
  ): Promise<TaskExecution> {
    const invocations = await this.store.executions.invocationsOf(ctx.tx, taskExecution.taskExecutionId);
    const stopping =
      execution.cancelRequested || (pastCutoff && taskExecution.task.cutoffBehavior === 'CANCEL_TASK');
    const stoppedAs: ExecutionStatus = execution.cancelRequested ? 'CANCELLED' : 'TIMED_OUT';
    for (const [index, invocation] of invocations.entries()) {
      if (isFinished(invocation.status)) continue;
      let next: TaskInvocation;
      if (invocation.executionId === '') {
        next = stopping
          ? {
              ...invocation,
              status: stoppedAs,
              statusDetails: 'Not started: the task was stopped.',
              endTime: ctx.now,
            }
          : await this.run(ctx, execution, window, taskExecution, invocation);
      } else {
        next = await this.follow(ctx, invocation, stopping ? stoppedAs : undefined);
      }
      invocations[index] = next;
      await this.store.executions.updateInvocation(ctx.tx, next);
      if (!isFinished(next.status)) break; // one target at a time
    }
    if (invocations.some((i) => !isFinished(i.status))) return taskExecution;
    const finishedTask: TaskExecution = { ...taskExecution, ...taskOutcome(invocations), endTime: ctx.now };
    await this.store.executions.updateTaskExecution(ctx.tx, finishedTask);
    return finishedTask;
  }

  /** Starts one invocation: sends its command, or runs the built-in runbook to completion. */
  private async run(
    ctx: Ctx,
    execution: WindowExecution,
    window: MaintenanceWindow,
    taskExecution: TaskExecution,
    invocation: TaskInvocation,
  ): Promise<TaskInvocation> {
    const { task } = taskExecution;
    const parameters = fillPseudoParameters(task.invocation.parameters, {
      WINDOW_ID: window.windowId,
      WINDOW_TASK_ID: task.windowTaskId,
      WINDOW_TARGET_ID: invocation.windowTargetId ?? '',
      WINDOW_EXECUTION_ID: execution.windowExecutionId,
      TASK_EXECUTION_ID: taskExecution.taskExecutionId,
      INVOCATION_ID: invocation.invocationId,
      TARGET_TYPE: 'INSTANCE',
    });
    const started = { ...invocation, parameters: JSON.stringify(parameters), startTime: ctx.now };
    try {
      if (task.taskType === 'AUTOMATION' && task.taskArn === exportPatchFindingsRunbook) {
        const nodes = await this.nodes.resolveTargets(ctx.tx, ctx, invocation.targets);
        const written = await this.patchFindings.exportPatchFindings(ctx, nodes);
        return {
          ...started,
          executionId: invocation.invocationId,
          status: 'SUCCESS',
          statusDetails: details(
            `Exported the patch compliance of ${nodes.length} nodes: ${written} findings written.`,
          ),
          endTime: ctx.now,
        };
      }
      // A patch run in a window shares one snapshot per window execution (§10.4).
      if (task.taskArn === 'AWS-RunPatchBaseline' && parameters['SnapshotId'] === undefined)
        parameters['SnapshotId'] = [execution.windowExecutionId];
      const command = await this.commands.send(ctx, {
        documentName: task.taskArn,
        documentVersion: task.invocation.documentVersion,
        targets: invocation.targets,
        parameters,
        timeoutSeconds: task.invocation.timeoutSeconds,
        comment: (task.invocation.comment ?? `Maintenance window ${window.windowId}`).slice(0, 100),
        maxConcurrency: task.maxConcurrency,
        maxErrors: task.maxErrors,
      });
      return this.follow(
        ctx,
        {
          ...started,
          parameters: JSON.stringify(parameters),
          executionId: command.commandId,
          status: 'IN_PROGRESS',
          statusDetails: 'In Progress',
        },
        undefined,
      );
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return {
        ...started,
        status: 'FAILED',
        statusDetails: details(`${error.exceptionName}: ${error.message}`),
        endTime: ctx.now,
      };
    }
  }

  /** A running invocation's state from its command; `stopAs` cancels the command first. */
  private async follow(
    ctx: Ctx,
    invocation: TaskInvocation,
    stopAs: ExecutionStatus | undefined,
  ): Promise<TaskInvocation> {
    if (stopAs !== undefined && invocation.status !== 'CANCELLING') {
      await this.commands.cancel(ctx, invocation.executionId);
    }
    const command = await this.commands.status(ctx, invocation.executionId);
    if (command === undefined)
      return {
        ...invocation,
        status: 'FAILED',
        statusDetails: 'The command no longer exists.',
        endTime: ctx.now,
      };
    const outcome = commandOutcome[command.status];
    if (outcome === undefined) {
      return stopAs === undefined
        ? { ...invocation, status: 'IN_PROGRESS', statusDetails: command.statusDetails }
        : { ...invocation, status: 'CANCELLING', statusDetails: 'Cancelling' };
    }
    const status = stopAs !== undefined && outcome === 'CANCELLED' ? stopAs : outcome;
    return { ...invocation, status, statusDetails: details(command.statusDetails), endTime: ctx.now };
  }

  /** CancelMaintenanceWindowExecution's part: cancels the commands the execution's tasks still run. */
  async cancelExecution(ctx: Ctx, execution: WindowExecution): Promise<void> {
    for (const taskExecution of await this.store.executions.taskExecutionsOf(
      ctx.tx,
      execution.windowExecutionId,
    )) {
      if (isFinished(taskExecution.status)) continue;
      for (const invocation of await this.store.executions.invocationsOf(
        ctx.tx,
        taskExecution.taskExecutionId,
      )) {
        if (
          invocation.taskType === 'RUN_COMMAND' &&
          invocation.executionId !== '' &&
          !isFinished(invocation.status)
        )
          await this.commands.cancel(ctx, invocation.executionId);
      }
    }
  }
}
