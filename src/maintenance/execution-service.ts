/**
 * The execution history of maintenance windows (ssm-api.md §10.4): executions, their task executions and task
 * invocations as the scheduler recorded them, and cancelling a running execution.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Ctx, SortKey } from '../kernel/index.js';
import { ssmError } from '../protocols/ssm/index.js';
import {
  isFinished,
  type ExecutionStatus,
  type TaskExecution,
  type TaskInvocation,
  type WindowExecution,
} from './window-model.js';
import { oneOf, type Keyed, type WindowFilter } from './window-paging.js';
import { invalid, parseDate, requireWindow } from './window-requests.js';
import type { MaintenanceStore } from './window-store.js';

/** Stops what an execution still runs (Run Command's CancelCommand). */
export interface RunningTaskCanceller {
  cancelExecution(ctx: Ctx, execution: WindowExecution): Promise<void>;
}

/** Where a page starts and how many rows it reads (undefined: all). */
export interface PageRange {
  after: SortKey | undefined;
  limit: number | undefined;
}

const all: PageRange = { after: undefined, limit: undefined };

/** ExecutedAfter / ExecutedBefore as predicates on the start time. */
function executionFilters(filters: readonly WindowFilter[]): Expression<SqlBool>[] {
  return filters.map((filter) => {
    if (filter.key !== 'ExecutedAfter' && filter.key !== 'ExecutedBefore')
      invalid(`Filter key ${filter.key} is not ExecutedAfter or ExecutedBefore.`);
    const at = parseDate(filter.values[0], filter.key) ?? invalid(`Filter ${filter.key} needs a value.`);
    return filter.key === 'ExecutedAfter'
      ? sql<SqlBool>`${sql.ref('start_time')} >= ${at.getTime()}`
      : sql<SqlBool>`${sql.ref('start_time')} <= ${at.getTime()}`;
  });
}

/** The STATUS filter's statuses as a predicate (none: every status). */
const statusFilters = (statuses: readonly string[] | undefined): Expression<SqlBool>[] =>
  statuses === undefined ? [] : [oneOf('status', statuses)];

export class WindowExecutionService {
  constructor(
    private readonly store: MaintenanceStore,
    private readonly canceller: RunningTaskCanceller,
  ) {}

  /** DescribeMaintenanceWindowExecutions: newest first, ExecutedAfter / ExecutedBefore filters. */
  async executions(
    ctx: Ctx,
    windowId: string,
    filters: readonly WindowFilter[],
    page: PageRange = all,
  ): Promise<Keyed<WindowExecution>[]> {
    await requireWindow(this.store, ctx, windowId);
    return this.store.executions.pageExecutions(ctx.tx, windowId, {
      filters: executionFilters(filters),
      ...page,
    });
  }

  async execution(ctx: Ctx, windowExecutionId: string): Promise<WindowExecution> {
    const execution = await this.store.executions.findExecution(ctx.tx, ctx, windowExecutionId);
    if (execution === undefined)
      throw ssmError('DoesNotExistException', `Window execution ${windowExecutionId} does not exist.`);
    return execution;
  }

  /** DescribeMaintenanceWindowExecutionTasks: in the order they started, optionally of some statuses. */
  async executionTasks(
    ctx: Ctx,
    windowExecutionId: string,
    statuses?: readonly string[],
    page: PageRange = all,
  ): Promise<Keyed<TaskExecution>[]> {
    await this.execution(ctx, windowExecutionId);
    return this.store.executions.pageTaskExecutions(ctx.tx, windowExecutionId, {
      filters: statusFilters(statuses),
      ...page,
    });
  }

  async executionTask(ctx: Ctx, windowExecutionId: string, taskExecutionId: string): Promise<TaskExecution> {
    const task = (await this.executionTasks(ctx, windowExecutionId)).find(
      (t) => t.item.taskExecutionId === taskExecutionId,
    );
    if (task === undefined)
      throw ssmError('DoesNotExistException', `Task execution ${taskExecutionId} does not exist.`);
    return task.item;
  }

  /** DescribeMaintenanceWindowExecutionTaskInvocations: in the order they run, optionally of some statuses. */
  async executionTaskInvocations(
    ctx: Ctx,
    windowExecutionId: string,
    taskExecutionId: string,
    statuses?: readonly string[],
    page: PageRange = all,
  ): Promise<Keyed<TaskInvocation>[]> {
    await this.executionTask(ctx, windowExecutionId, taskExecutionId);
    return this.store.executions.pageInvocations(ctx.tx, taskExecutionId, {
      filters: statusFilters(statuses),
      ...page,
    });
  }

  async executionTaskInvocation(
    ctx: Ctx,
    windowExecutionId: string,
    taskExecutionId: string,
    invocationId: string,
  ): Promise<TaskInvocation> {
    const invocation = (await this.executionTaskInvocations(ctx, windowExecutionId, taskExecutionId)).find(
      (i) => i.item.invocationId === invocationId,
    );
    if (invocation === undefined)
      throw ssmError('DoesNotExistException', `Task invocation ${invocationId} does not exist.`);
    return invocation.item;
  }

  /**
   * CancelMaintenanceWindowExecution: no further task starts; running commands are cancelled and the
   * execution ends CANCELLED once the scheduler has seen them stop.
   */
  async cancel(ctx: Ctx, windowExecutionId: string): Promise<WindowExecution> {
    const execution = await this.execution(ctx, windowExecutionId);
    if (isFinished(execution.status)) return execution;
    const cancelling: WindowExecution = {
      ...execution,
      cancelRequested: true,
      status: 'CANCELLING' satisfies ExecutionStatus,
      statusDetails: 'Cancelling by request.',
    };
    await this.store.executions.updateExecution(ctx.tx, cancelling);
    await this.canceller.cancelExecution(ctx, cancelling);
    return cancelling;
  }
}
