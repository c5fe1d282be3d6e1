/** The background jobs and outbox subscribers of a node, each derived from the service graph. */
import { auditSealJob, auditSigningKeyFile, auditVerifyJob, loadAuditSigningKey } from '../audit/index.js';
import { compliancePurgeOnDeregistration } from '../compliance/index.js';
import { controlEvaluationSubscriber, controlsSweepJob, evaluateAccountJob } from '../controls/index.js';
import { associationRunsJob } from '../documents/index.js';
import { findingsRetentionJob } from '../findings/retention-job.js';
import { inventoryPurgeOnDeregistration } from '../fleet/index.js';
import { maintenanceWindowsJob } from '../maintenance/index.js';
import { commandTimeoutsJob } from '../operations/index.js';
import { consolePurgeJob } from '../sessions/index.js';
import type { EventSubscriber, JobDefinition } from '../worker/index.js';
import type { Config } from './config.js';
import type { Services } from './services.js';

/**
 * How capabilities react to each other's changes: each subscriber reads the outbox events the change wrote in
 * its transaction (a deregistered instance's inventory and compliance are forgotten; controls re-evaluate).
 */
export function eventSubscribers(s: Services): EventSubscriber[] {
  return [
    inventoryPurgeOnDeregistration(s.inventoryStore),
    compliancePurgeOnDeregistration(s.complianceStore),
    controlEvaluationSubscriber(s.controls.evaluator, s.controls.patchFindings),
  ];
}

/** The jobs a node runs: recurring ones (`every`) are scheduled by the scheduler role, all run by workers. */
export function backgroundJobs(s: Services, config: Config): JobDefinition[] {
  const jobs: JobDefinition[] = [
    findingsRetentionJob(config.retentionDays),
    commandTimeoutsJob(s.ssm.invocationTransitions),
    evaluateAccountJob(s.controls.evaluator),
    controlsSweepJob(s.controls.evaluator, s.controls.hubs, config.controlsSweepMs),
    maintenanceWindowsJob(s.maintenance.runner, config.maintenanceTickMs),
    associationRunsJob(s.ssm.associationRuns, config.associationTickMs),
    consolePurgeJob(s.console.limits),
  ];
  const roles = new Set(config.roles);
  if (roles.has('worker') || roles.has('scheduler')) {
    // Every node that seals must hold the same key (like master.key); the first start creates it. The same
    // key's public half verifies the trail hourly, with the anchors this node writes.
    const key = loadAuditSigningKey(auditSigningKeyFile(config.dataDir), { create: true });
    jobs.push(auditSealJob(key, s.auditAnchor), auditVerifyJob(key.publicKey, s.auditAnchor.files));
  }
  return jobs;
}
