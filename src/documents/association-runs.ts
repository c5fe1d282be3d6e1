/**
 * When State Manager associations run (ssm-api.md §8): on create/update (unless ApplyOnlyAtCronInterval), on
 * their schedule, and on StartAssociationsOnce. A run is an execution with one Pending target per managed node
 * the association targets then; each node's agent sees its Pending run in ListInstanceAssociations, runs the
 * document and reports UpdateInstanceAssociationStatus.
 */
import { randomUUID } from 'node:crypto';
import type { FleetStore, SsmTagStore } from '../fleet/index.js';
import type { DbExecutor, Db } from '../storage/index.js';
import { inRetryingTransaction } from '../storage/index.js';
import type { AssociationsStore } from './associations-store.js';
import { targetsInstance } from './association-targets.js';
import type { Association, AssociationExecution, AssociationSpec } from './documents-model.js';
import { nextRun, parseAssociationSchedule } from '../protocols/ssm/index.js';

/** The live managed nodes of an account and Region with their tags (the fleet's). */
export interface AssociationFleet {
  instances(
    db: DbExecutor,
    scope: { accountId: string; region: string },
  ): Promise<{ instanceId: string; tags: Record<string, string> }[]>;
}

/** Due associations started per transaction batch of the job. */
const dueBatch = 100;

/** The next scheduled run of `spec` after `after` (cron/rate anchored at `anchor`), ScheduleOffset days later. */
export function nextScheduledRun(spec: AssociationSpec, after: Date, anchor: Date): Date | undefined {
  if (spec.scheduleExpression === undefined) return undefined;
  const next = nextRun(parseAssociationSchedule(spec.scheduleExpression, after), after, anchor);
  if (next === undefined || spec.scheduleOffset === undefined) return next;
  return new Date(next.getTime() + spec.scheduleOffset * 24 * 3600 * 1000);
}

export class AssociationRuns {
  constructor(
    private readonly store: AssociationsStore,
    private readonly fleet: AssociationFleet,
  ) {}

  /** The nodes `association` targets now. */
  async targetsOf(db: DbExecutor, association: Association): Promise<string[]> {
    const instances = await this.fleet.instances(db, association);
    return instances
      .filter((node) => targetsInstance(association.spec, node.instanceId, node.tags))
      .map((node) => node.instanceId);
  }

  /**
   * Starts a run of `association` over `instanceIds` (default: every node it targets now): a Pending execution,
   * its Pending targets and each node's status Pending with the execution's id. Undefined when nothing is targeted.
   */
  async start(
    db: DbExecutor,
    association: Association,
    now: Date,
    instanceIds?: readonly string[],
  ): Promise<AssociationExecution | undefined> {
    const nodes = instanceIds ?? (await this.targetsOf(db, association));
    if (nodes.length === 0) return undefined;
    const execution: AssociationExecution = {
      executionId: randomUUID(),
      associationId: association.associationId,
      associationVersion: association.version,
      status: 'Pending',
      detailedStatus: 'Pending',
      createdAt: now,
      lastExecutionAt: now,
      counts: {},
    };
    await this.store.executions.put(db, execution);
    for (const instanceId of nodes) await this.markPending(db, association, execution, instanceId, now);
    return execution;
  }

  /** Adds `instanceId` to `execution` as a Pending target and sets the node's status Pending. */
  async markPending(
    db: DbExecutor,
    association: Association,
    execution: AssociationExecution,
    instanceId: string,
    now: Date,
  ): Promise<void> {
    await this.store.executions.putTarget(db, {
      executionId: execution.executionId,
      associationId: association.associationId,
      associationVersion: execution.associationVersion,
      instanceId,
      status: 'Pending',
      detailedStatus: 'Pending',
      executedAt: now,
    });
    const previous = await this.store.statuses.find(db, association.associationId, instanceId);
    await this.store.statuses.put(db, association, {
      associationId: association.associationId,
      instanceId,
      associationVersion: association.version,
      documentVersion: previous?.documentVersion ?? association.spec.documentVersion,
      executionId: execution.executionId,
      status: 'Pending',
      detailedStatus: 'Pending',
      errorCode: undefined,
      executionSummary: undefined,
      executedAt: now,
    });
  }

  /**
   * Starts every association whose next run is due, each once however many workers run this: a worker owns a
   * run by moving `next_run_at` from the value it read (compare-and-set) in the transaction that starts it.
   */
  async runDue(db: Db, now: Date): Promise<number> {
    let started = 0;
    for (;;) {
      const due = await this.store.due(db, now, dueBatch);
      for (const association of due) {
        const won = await inRetryingTransaction(db, async (tx) => {
          const next = this.followingRun(association, now);
          if (!(await this.store.claimRun(tx, association.associationId, association.nextRunAt, next))) {
            return false;
          }
          await this.start(tx, association, now);
          return true;
        });
        if (won) started += 1;
      }
      if (due.length < dueBatch) return started;
    }
  }

  /** The run after the one due now: the schedule's next occurrence, none for an association without one. */
  private followingRun(association: Association, now: Date): Date | undefined {
    try {
      return nextScheduledRun(association.spec, now, association.updatedAt);
    } catch {
      return undefined; // a schedule that no longer parses never runs again rather than blocking the job
    }
  }
}

/** The fleet's live managed nodes and their SSM tags as associations see them. */
export function fleetNodes(
  instances: Pick<FleetStore, 'listInstances'>,
  tags: Pick<SsmTagStore, 'listByType'>,
): AssociationFleet {
  return {
    async instances(db, scope) {
      const [live, tagged] = await Promise.all([
        instances.listInstances(db, scope.accountId, scope.region, false),
        tags.listByType(db, { ...scope, resourceType: 'ManagedInstance' }),
      ]);
      return live.map((instance) => ({
        instanceId: instance.instanceId,
        tags: Object.fromEntries((tagged.get(instance.instanceId) ?? []).map((t) => [t.key, t.value])),
      }));
    },
  };
}
