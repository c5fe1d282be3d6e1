/** The background half of a node: job, outbox and schedule loops for the worker and scheduler roles. */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { storageEngineOf } from '../storage/index.js';
import { EventDispatcher } from '../worker/event-dispatcher.js';
import { housekeepingJob } from '../worker/housekeeping-job.js';
import { JobQueue } from '../worker/job-queue.js';
import { Scheduler } from '../worker/scheduler.js';
import { WorkerLoop } from '../worker/worker-loop.js';
import { backgroundJobs, eventSubscribers } from './background-work.js';
import type { Node } from './compose.js';
import type { Config } from './config.js';
import { createProbeTables, e2eProbesEnabled, eventLedgerProbe, slowJobProbe } from './e2e-probes.js';

/** The running background loops of a node. */
export interface BackgroundWork {
  /** This node's lease-owner id (`host:pid:random`). */
  workerId: string;
  start(): Promise<void>;
  /** Stops polling after the job or event in hand is finished. */
  stop(): Promise<void>;
}

/** Builds the loops `config.roles` asks for (none for an api-only node) from the node's service graph. */
export async function composeWorker(
  node: Pick<Node, 'db' | 'logger' | 'services'>,
  config: Config,
): Promise<BackgroundWork> {
  const { db } = node;
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const log = node.logger.child({ worker: workerId });
  const subscribers = eventSubscribers(node.services);
  const jobs = backgroundJobs(node.services, config);
  if (e2eProbesEnabled(process.env)) {
    await createProbeTables(db);
    subscribers.push(eventLedgerProbe(workerId));
    jobs.push(slowJobProbe(workerId));
  }
  jobs.push(housekeepingJob(subscribers.map((s) => s.name)));

  const roles = new Set(config.roles);
  const queueSql = storageEngineOf(db).workQueue;
  const loop = new WorkerLoop({
    db,
    owner: workerId,
    logger: log,
    pollMs: config.workerPollMs,
    leaseMs: config.workerLeaseMs,
    ...(roles.has('worker')
      ? {
          jobs: { queue: new JobQueue(db, queueSql), definitions: jobs },
          dispatcher: new EventDispatcher(db, queueSql, subscribers, {
            owner: workerId,
            leaseMs: config.workerLeaseMs,
            logger: log,
          }),
        }
      : {}),
    ...(roles.has('scheduler')
      ? {
          scheduler: new Scheduler(
            db,
            jobs.flatMap((job) =>
              job.every === undefined
                ? []
                : [
                    {
                      name: job.name,
                      every: job.every,
                      ...(job.firstAfter === undefined ? {} : { firstAfter: job.firstAfter }),
                    },
                  ],
            ),
          ),
        }
      : {}),
  });
  return {
    workerId,
    start: () => loop.start(),
    stop: () => loop.stop(),
  };
}
