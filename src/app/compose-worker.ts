/** The background half of a node: job, outbox and schedule loops for the worker and scheduler roles. */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { pino, type Logger } from 'pino';
import {
  AuditAnchor,
  auditAnchorFiles,
  auditSealJob,
  auditSigningKeyFile,
  loadAuditSigningKey,
} from '../audit/index.js';
import { findingsRetentionJob } from '../findings/retention-job.js';
import { CommandsStore, InvocationTransitions, commandTimeoutsJob } from '../operations/index.js';
import type { Db } from '../storage/database.js';
import { storageEngineOf } from '../storage/index.js';
import { openDatabase } from '../storage/open-database.js';
import type { EventSubscriber, JobDefinition } from '../worker/index.js';
import { EventDispatcher } from '../worker/event-dispatcher.js';
import { housekeepingJob } from '../worker/housekeeping-job.js';
import { JobQueue } from '../worker/job-queue.js';
import { Scheduler } from '../worker/scheduler.js';
import { WorkerLoop } from '../worker/worker-loop.js';
import type { Config } from './config.js';
import { createProbeTables, e2eProbesEnabled, eventLedgerProbe, slowJobProbe } from './e2e-probes.js';
import { ComplianceStore, compliancePurgeOnDeregistration } from '../compliance/index.js';
import { InventoryStore, inventoryPurgeOnDeregistration } from '../fleet/index.js';
import { controlEvaluationSubscriber, controlsSweepJob, evaluateAccountJob } from '../controls/index.js';
import type { FindingsWriter } from '../storage/findings-writer.js';
import { composeControls } from './compose-controls.js';
import { composeMaintenance } from './compose-maintenance.js';
import { composeSsmCore } from './compose-ssm.js';
import { SecretBox, loadMasterKey } from '../access/index.js';
import { maintenanceWindowsJob } from '../maintenance/index.js';
import { associationRunsJob } from '../documents/index.js';
import { composeFindingsCore } from './compose-findings.js';

/** The running background loops of a node. */
export interface BackgroundWork {
  /** This node's lease-owner id (`host:pid:random`). */
  workerId: string;
  start(): Promise<void>;
  /** Stops polling after the job or event in hand is finished. */
  stop(): Promise<void>;
}

/** Builds the loops `config.roles` asks for (none for an api-only node) on an open database. */
export async function composeWorker(
  db: Db,
  config: Config,
  logger: Logger,
  findingsWriter: FindingsWriter,
): Promise<BackgroundWork> {
  const workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const log = logger.child({ worker: workerId });
  // Each capability forgets a deregistered instance's data itself, from the outbox event.
  const controls = composeControls(config, composeFindingsCore(findingsWriter));
  const subscribers: EventSubscriber[] = [
    inventoryPurgeOnDeregistration(new InventoryStore()),
    compliancePurgeOnDeregistration(new ComplianceStore()),
    controlEvaluationSubscriber(controls.evaluator, controls.patchFindings),
  ];
  // The maintenance window scheduler sends Run Command commands like the API does (the same master key).
  const secrets = new SecretBox(loadMasterKey(config.masterKeyFile, process.env['BULWARK_MASTER_KEY']));
  const ssm = composeSsmCore(config, secrets);
  const maintenance = composeMaintenance(ssm, controls);
  const roles = new Set(config.roles);
  const jobs: JobDefinition[] = [
    findingsRetentionJob(config.retentionDays),
    commandTimeoutsJob(new InvocationTransitions(new CommandsStore())),
    evaluateAccountJob(controls.evaluator),
    controlsSweepJob(controls.evaluator, controls.hubs, config.controlsSweepMs),
    maintenanceWindowsJob(maintenance.runner, config.maintenanceTickMs),
    associationRunsJob(ssm.associationRuns, config.associationTickMs),
  ];
  if (roles.has('worker') || roles.has('scheduler')) {
    // Every node that seals must hold the same key (like master.key); the first start creates it.
    jobs.push(
      auditSealJob(
        loadAuditSigningKey(auditSigningKeyFile(config.dataDir), { create: true }),
        new AuditAnchor(auditAnchorFiles(config.dataDir)),
      ),
    );
  }
  if (e2eProbesEnabled(process.env)) {
    await createProbeTables(db);
    subscribers.push(eventLedgerProbe(workerId));
    jobs.push(slowJobProbe(workerId));
  }
  jobs.push(housekeepingJob(subscribers.map((s) => s.name)));

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
            jobs.flatMap((job) => (job.every === undefined ? [] : [{ name: job.name, every: job.every }])),
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

/** The database and logger of a node without the api role (which otherwise come from composeApp). */
export async function openBackgroundNode(
  config: Config,
): Promise<{ db: Db; findingsWriter: FindingsWriter; logger: Logger; close(): Promise<void> }> {
  const logger = pino({ level: config.logLevel, base: { service: 'bulwark' } });
  const { db, findingsWriter } = await openDatabase(config.database);
  return { db, findingsWriter, logger, close: () => db.destroy() };
}
