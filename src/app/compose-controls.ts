/** The controls part of the graph: evaluator, patch findings and standards, reading other capabilities through ports. */
import { complianceFacts, type ComplianceFacts, type ComplianceStore } from '../compliance/index.js';
import {
  ControlEvaluator,
  ControlsStore,
  PatchFindings,
  StandardsService,
  controlFactsFrom,
  hubDirectoryFrom,
  type HubDirectory,
} from '../controls/index.js';
import {
  documentFacts,
  type DocumentFacts,
  type DocumentsStore,
  type ServiceSettingsService,
} from '../documents/index.js';
import { hubFacts, type HubFacts } from '../findings/index.js';
import {
  fleetFacts,
  type FleetFacts,
  type FleetStore,
  type InventoryStore,
  type SsmTagStore,
} from '../fleet/index.js';
import { AGENT_VERSION } from '../agent/host-facts.js';
import type { Config } from './config.js';
import type { FindingsCore } from './compose-findings.js';
import { serviceFindingsSink } from './service-findings-sink.js';

/** The composed controls capability. */
export interface ControlsCore {
  evaluator: ControlEvaluator;
  patchFindings: PatchFindings;
  standards: StandardsService;
  hubs: HubDirectory;
}

/** The other capabilities' query facades the controls read. */
export interface ControlsFacades {
  fleet: FleetFacts;
  compliance: ComplianceFacts;
  documents: DocumentFacts;
  hubs: HubFacts;
}

/** The stores the controls' facades read. */
export interface ControlsSourceStores {
  fleetStore: FleetStore;
  ssmTagStore: SsmTagStore;
  inventoryStore: InventoryStore;
  complianceStore: ComplianceStore;
  documentsStore: DocumentsStore;
  serviceSettings: ServiceSettingsService;
}

/** The facades of fleet, compliance, documents and Security Hub over their stores. */
export function controlsFacades(
  config: Pick<Config, 'pingTimeoutSeconds'>,
  core: FindingsCore,
  stores: ControlsSourceStores,
): ControlsFacades {
  return {
    fleet: fleetFacts(
      { fleet: stores.fleetStore, tags: stores.ssmTagStore, inventory: stores.inventoryStore },
      { pingTimeoutSeconds: config.pingTimeoutSeconds },
    ),
    compliance: complianceFacts(stores.complianceStore),
    documents: documentFacts(stores.documentsStore, stores.serviceSettings),
    hubs: hubFacts(core.hubStore),
  };
}

export function composeControls(
  config: Pick<Config, 'patchFindingsLevel'>,
  core: FindingsCore,
  facades: ControlsFacades,
): ControlsCore {
  const store = new ControlsStore();
  const facts = controlFactsFrom(facades);
  const sink = serviceFindingsSink(core.findings, facades.hubs);
  const hubs = hubDirectoryFrom(facades.hubs);
  const evaluator = new ControlEvaluator(store, facts, sink, hubs, AGENT_VERSION);
  const patchFindings = new PatchFindings(store, facts, sink, config.patchFindingsLevel);
  const standards = new StandardsService(store, evaluator, sink, (db, accountId, region) =>
    core.members.visibleAccountIds(db, accountId, region),
  );
  // In-process hook: enabling a hub enables its default standards and disabling it disables them in the same
  // transaction, so the EnableSecurityHub or DisableSecurityHub response already reflects them.
  core.hub.listen({
    enabled: (ctx, options) => standards.hubEnabled(ctx, options),
    disabled: (ctx) => standards.hubDisabled(ctx),
  });
  return { evaluator, patchFindings, standards, hubs };
}
