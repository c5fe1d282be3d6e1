/**
 * The ports the controls read other capabilities through (fleet, compliance, documents, Security Hub), and the
 * control facts and hub directory built on them. The composition root plugs each capability's facade in.
 */
import type { ComplianceItem, ComplianceSet } from '../compliance/index.js';
import type { ManagedInstance } from '../fleet/index.js';
import { managedInstanceArn } from '../fleet/index.js';
import type { DbExecutor } from '../storage/database.js';
import type { HubDirectory } from './evaluator.js';
import type { ControlFactsSource, NodeFacts, PatchSummaryFacts } from './facts.js';
import type { ControlScopeKey } from './controls-store.js';

/** Managed nodes, their ping status and inventory. */
export interface ControlFleetPort {
  listInstances(
    db: DbExecutor,
    scope: ControlScopeKey,
    includeDeregistered: boolean,
  ): Promise<ManagedInstance[]>;
  findInstances(
    db: DbExecutor,
    scope: ControlScopeKey,
    instanceIds: readonly string[],
  ): Promise<ManagedInstance[]>;
  pingStatus(instance: ManagedInstance, now: Date): string;
  inventoryItems(
    db: DbExecutor,
    scope: ControlScopeKey,
    typeName: string,
    instanceIds?: readonly string[],
  ): Promise<{ instanceId: string; content: Record<string, string>[] }[]>;
  inventoryReportedAt(
    db: DbExecutor,
    scope: ControlScopeKey,
    instanceIds?: readonly string[],
  ): Promise<Map<string, Date>>;
}

/** Managed nodes' compliance sets and items. */
export interface ControlCompliancePort {
  nodeSets(
    db: DbExecutor,
    scope: ControlScopeKey,
    query: { instanceIds?: readonly string[] | undefined; complianceTypes: readonly string[] },
  ): Promise<ComplianceSet[]>;
  resourceItems(
    db: DbExecutor,
    scope: ControlScopeKey,
    resourceId: string,
    complianceTypes: readonly string[],
  ): Promise<ComplianceItem[]>;
}

/** The account's documents and its public-sharing setting. */
export interface ControlDocumentsPort {
  ownedDocuments(
    db: DbExecutor,
    scope: ControlScopeKey,
  ): Promise<{ name: string; arn: string; public: boolean }[]>;
  publicSharingSetting(db: DbExecutor, scope: ControlScopeKey): Promise<string>;
}

/** Hubs: where Security Hub is enabled and with which settings. */
export interface ControlHubsPort {
  hubSettings(db: DbExecutor, scope: ControlScopeKey): ReturnType<HubDirectory['settings']>;
  enabledScopes(db: DbExecutor): Promise<ControlScopeKey[]>;
}

const parseTime = (value: string | undefined): Date | undefined => {
  if (value === undefined || value === '') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
};

/** The parts of an AWS:PatchSummary row the controls use. */
function patchSummaryFacts(summary: Record<string, string>): PatchSummaryFacts {
  const pendingReboot = Number.parseInt(summary['InstalledPendingRebootCount'] ?? '0', 10) || 0;
  const end = parseTime(summary['OperationEndTime']);
  return {
    baselineId: summary['BaselineId'] ?? '',
    patchGroup: summary['PatchGroup'] ?? '',
    operationType: summary['OperationType'] ?? 'Scan',
    operationEndTime: end,
    installedPendingRebootCount: pendingReboot,
    pendingRebootSince:
      pendingReboot === 0 ? undefined : (parseTime(summary['LastNoRebootInstallOperationTime']) ?? end),
    attributes: summary,
  };
}

/** Reads node, document and account facts in bulk (one query per source for a whole account). */
export function controlFactsFrom(ports: {
  fleet: ControlFleetPort;
  compliance: ControlCompliancePort;
  documents: ControlDocumentsPort;
}): ControlFactsSource {
  const { fleet, compliance, documents } = ports;
  return {
    async nodes(db, scope, now, instanceIds) {
      // A change-triggered run reads only its nodes; a sweep reads the whole account.
      const instances =
        instanceIds === undefined
          ? await fleet.listInstances(db, scope, true)
          : await fleet.findInstances(db, scope, instanceIds);
      if (instances.length === 0) return [];
      const ids = instanceIds === undefined ? undefined : instances.map((instance) => instance.instanceId);
      const [sets, summaries, reported] = await Promise.all([
        compliance.nodeSets(db, scope, { instanceIds: ids, complianceTypes: ['Patch', 'Association'] }),
        fleet.inventoryItems(db, scope, 'AWS:PatchSummary', ids),
        fleet.inventoryReportedAt(db, scope, ids),
      ]);
      const setOf = new Map(sets.map((set) => [`${set.resourceId} ${set.complianceType}`, set]));
      const summaryOf = new Map(summaries.map((item) => [item.instanceId, item.content[0] ?? {}]));
      return instances.map((instance): NodeFacts => {
        const summary = summaryOf.get(instance.instanceId);
        return {
          instanceId: instance.instanceId,
          arn: managedInstanceArn(scope.region, scope.accountId, instance.instanceId),
          deregistered: instance.deregisteredAt !== undefined,
          pingStatus: fleet.pingStatus(instance, now),
          lastPingAt: instance.lastPingAt,
          agentVersion: instance.agentVersion,
          platformName: instance.platformName,
          platformVersion: instance.platformVersion,
          ipAddress: instance.ipAddress,
          computerName: instance.computerName,
          patchCompliance: setOf.get(`${instance.instanceId} Patch`),
          associationCompliance: setOf.get(`${instance.instanceId} Association`),
          patchSummary: summary === undefined ? undefined : patchSummaryFacts(summary),
          inventoryReportedAt: reported.get(instance.instanceId),
        };
      });
    },
    documents: (db, scope) => documents.ownedDocuments(db, scope),
    async account(db, scope) {
      return { publicSharingBlocked: (await documents.publicSharingSetting(db, scope)) === 'Disable' };
    },
    patchItems: (db, scope, instanceId) => compliance.resourceItems(db, scope, instanceId, ['Patch']),
  };
}

/** The accounts and Regions with Security Hub enabled. */
export function hubDirectoryFrom(hubs: ControlHubsPort): HubDirectory {
  return {
    async isEnabled(db, scope) {
      return (await hubs.hubSettings(db, scope)) !== undefined;
    },
    settings: (db, scope) => hubs.hubSettings(db, scope),
    scopes: (db) => hubs.enabledScopes(db),
  };
}
