/** What requests to the maintenance window API carry, and the checks and rules they share. */
import type { Ctx } from '../kernel/index.js';
import { ssmError, type Target } from '../protocols/ssm/index.js';
import type {
  CutoffBehavior,
  MaintenanceWindow,
  TaskInvocationParameters,
  TaskType,
  WindowResourceType,
} from './window-model.js';
import type { MaintenanceStore } from './window-store.js';

export interface WindowInput {
  name: string;
  description?: string | undefined;
  schedule: string;
  scheduleTimezone?: string | undefined;
  scheduleOffset?: number | undefined;
  durationHours: number;
  cutoffHours: number;
  allowUnassociatedTargets: boolean;
  enabled?: boolean | undefined;
  startDate?: string | undefined;
  endDate?: string | undefined;
}

export interface TargetInput {
  windowId: string;
  resourceType: WindowResourceType;
  targets: Target[];
  ownerInformation?: string | undefined;
  name?: string | undefined;
  description?: string | undefined;
}

export interface TaskInput {
  windowId: string;
  taskArn: string;
  taskType: TaskType;
  targets?: Target[] | undefined;
  priority?: number | undefined;
  maxConcurrency?: string | undefined;
  maxErrors?: string | undefined;
  serviceRoleArn?: string | undefined;
  invocation?: Partial<TaskInvocationParameters> | undefined;
  cutoffBehavior?: CutoffBehavior | undefined;
  name?: string | undefined;
  description?: string | undefined;
}

/** UpdateMaintenanceWindowTask's fields: what is given replaces the registered value; the type never changes. */
export type TaskUpdate = Omit<TaskInput, 'taskArn' | 'taskType'> & { taskArn?: string | undefined };

/** A ValidationException. */
export const invalid = (message: string): never => {
  throw ssmError('ValidationException', message);
};

export function parseDate(text: string | undefined, field: string): Date | undefined {
  if (text === undefined) return undefined;
  const value = Date.parse(text);
  if (Number.isNaN(value)) invalid(`${field} ${text} is not an ISO-8601 date and time.`);
  return new Date(value);
}

/** An Update* field: the given value, else nothing under `Replace`, else the current one. */
export const keeper =
  (replace: boolean) =>
  <T>(given: T | undefined, current: T | undefined): T | undefined =>
    given !== undefined ? given : replace ? undefined : current;

/** The caller's window, or DoesNotExistException. */
export async function requireWindow(
  store: MaintenanceStore,
  ctx: Ctx,
  windowId: string,
): Promise<MaintenanceWindow> {
  const window = await store.findWindow(ctx.tx, ctx, windowId);
  if (window === undefined)
    throw ssmError('DoesNotExistException', `Maintenance window ${windowId} does not exist.`);
  return window;
}
