/** Adapters that feed the controls capability: facts from fleet, inventory, compliance and documents; hubs; findings. */
import type { ComplianceStore } from '../compliance/index.js';
import type { ControlFactsSource, HubDirectory, NodeFacts, ServiceFindingsSink } from '../controls/index.js';
import type { DocumentsStore, ServiceSettingsService } from '../documents/index.js';
import { documentArn } from '../documents/index.js';
import type { FindingsService, FindingsStore, HubStore } from '../findings/index.js';
import type { FleetStore, InventoryStore } from '../fleet/index.js';
import { managedInstanceArn } from '../fleet/index.js';
import type { ManagedInstance } from '../fleet/index.js';
import { auditServiceWrite, serviceCtx } from './service-actor.js';

const parseTime = (value: string | undefined): Date | undefined => {
  if (value === undefined || value === '') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
};

/** Reads node, document and account facts in bulk (one query per source for a whole account). */
export function controlFacts(parts: {
  fleetStore: FleetStore;
  pingStatus: (instance: ManagedInstance, now: Date) => string;
  inventory: InventoryStore;
  compliance: ComplianceStore;
  documents: DocumentsStore;
  settings: ServiceSettingsService;
}): ControlFactsSource {
  return {
    async nodes(db, scope, now, instanceIds) {
      // A change-triggered run reads only its nodes; a sweep reads the whole account.
      const instances =
        instanceIds === undefined
          ? await parts.fleetStore.listInstances(db, scope.accountId, scope.region, true)
          : await parts.fleetStore.findInstances(db, scope.accountId, scope.region, instanceIds);
      if (instances.length === 0) return [];
      const ids = instanceIds === undefined ? undefined : instances.map((instance) => instance.instanceId);
      const [sets, summaries, reported] = await Promise.all([
        parts.compliance.listSets(db, {
          accountId: scope.accountId,
          region: scope.region,
          resourceIds: ids,
          resourceTypes: ['ManagedInstance'],
          complianceTypes: ['Patch', 'Association'],
        }),
        parts.inventory.itemsOfType(db, scope, 'AWS:PatchSummary', ids),
        parts.inventory.lastReportedAt(db, scope, ids),
      ]);
      const setOf = new Map(sets.map((set) => [`${set.resourceId} ${set.complianceType}`, set]));
      const summaryOf = new Map(summaries.map((item) => [item.instanceId, item.content[0] ?? {}]));
      return instances.map((instance): NodeFacts => {
        const summary = summaryOf.get(instance.instanceId);
        const pendingReboot = Number.parseInt(summary?.['InstalledPendingRebootCount'] ?? '0', 10) || 0;
        const end = parseTime(summary?.['OperationEndTime']);
        return {
          instanceId: instance.instanceId,
          arn: managedInstanceArn(scope.region, scope.accountId, instance.instanceId),
          deregistered: instance.deregisteredAt !== undefined,
          pingStatus: parts.pingStatus(instance, now),
          lastPingAt: instance.lastPingAt,
          agentVersion: instance.agentVersion,
          platformName: instance.platformName,
          platformVersion: instance.platformVersion,
          ipAddress: instance.ipAddress,
          computerName: instance.computerName,
          patchCompliance: setOf.get(`${instance.instanceId} Patch`),
          associationCompliance: setOf.get(`${instance.instanceId} Association`),
          patchSummary:
            summary === undefined
              ? undefined
              : {
                  baselineId: summary['BaselineId'] ?? '',
                  patchGroup: summary['PatchGroup'] ?? '',
                  operationType: summary['OperationType'] ?? 'Scan',
                  operationEndTime: end,
                  installedPendingRebootCount: pendingReboot,
                  pendingRebootSince:
                    pendingReboot === 0
                      ? undefined
                      : (parseTime(summary['LastNoRebootInstallOperationTime']) ?? end),
                  attributes: summary,
                },
          inventoryReportedAt: reported.get(instance.instanceId),
        };
      });
    },
    async documents(db, scope) {
      const owned = await parts.documents.listOwned(db, scope.accountId, scope.region);
      const publicNames = new Set(await parts.documents.publicNames(db, scope.accountId, scope.region));
      return owned.map((document) => ({
        name: document.name,
        arn: documentArn(document),
        public: publicNames.has(document.name),
      }));
    },
    async account(db, scope) {
      const value = await parts.settings.publicSharingValue(db, scope.accountId, scope.region);
      return { publicSharingBlocked: value === 'Disable' };
    },
    async patchItems(db, scope, instanceId) {
      return parts.compliance.listItems(db, {
        accountId: scope.accountId,
        region: scope.region,
        resourceIds: [instanceId],
        complianceTypes: ['Patch'],
      });
    },
  };
}

/** The accounts and Regions with Security Hub enabled. */
export function hubDirectory(hubs: HubStore): HubDirectory {
  return {
    async isEnabled(db, scope) {
      return (await hubs.find(db, scope.accountId, scope.region)) !== undefined;
    },
    async settings(db, scope) {
      const hub = await hubs.find(db, scope.accountId, scope.region);
      return hub === undefined
        ? undefined
        : {
            controlFindingGenerator: hub.controlFindingGenerator,
            autoEnableControls: hub.autoEnableControls,
          };
    },
    scopes: (db) => hubs.list(db),
  };
}

/** Control and patch findings go through the findings service as Bulwark's own service principal. */
export function serviceFindingsSink(findings: FindingsService, store: FindingsStore): ServiceFindingsSink {
  return {
    async write(tx, scope, now, documents) {
      if (documents.length === 0) return;
      const ctx = serviceCtx(tx, scope, now);
      await findings.importServiceFindings(ctx, documents);
      await auditServiceWrite(ctx, {
        eventSource: 'securityhub.amazonaws.com',
        eventName: 'BatchImportFindings',
        requestParameters: {
          Findings: { count: documents.length },
          FindingIds: documents.map((document) => (document as { Id?: unknown }).Id),
        },
        responseElements: { SuccessCount: documents.length, FailedCount: 0 },
      });
    },
    async suppressed(db, scope, productArn, findingIds) {
      if (findingIds.length === 0) return new Set();
      const stored = await store.findByIdentities(
        db,
        { accountIds: [scope.accountId], regions: [scope.region] },
        findingIds.map((id) => ({ productArn, id })),
      );
      const ids = new Set<string>();
      for (const finding of stored) {
        if (finding.document.Workflow?.Status === 'SUPPRESSED') ids.add(finding.document.Id);
      }
      return ids;
    },
  };
}
