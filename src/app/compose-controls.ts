/** The controls half of the composition: evaluator, patch findings and standards, on the findings core. */
import { ComplianceStore } from '../compliance/index.js';
import { ControlEvaluator, ControlsStore, PatchFindings, StandardsService } from '../controls/index.js';
import { DocumentsStore, ServiceSettingsService, deriveDocumentFields } from '../documents/index.js';
import { FleetStore, InventoryStore } from '../fleet/index.js';
import { pingStatusOf } from '../fleet/index.js';
import { AGENT_VERSION } from '../agent/host-facts.js';
import type { Config } from './config.js';
import type { FindingsCore } from './compose-findings.js';
import { controlFacts, hubDirectory, serviceFindingsSink } from './control-sources.js';

/** The composed controls capability. */
export interface ControlsCore {
  evaluator: ControlEvaluator;
  patchFindings: PatchFindings;
  standards: StandardsService;
  hubs: ReturnType<typeof hubDirectory>;
}

export function composeControls(
  config: Pick<Config, 'pingTimeoutSeconds' | 'patchFindingsLevel'>,
  core: FindingsCore,
): ControlsCore {
  const store = new ControlsStore();
  const documentsStore = new DocumentsStore(deriveDocumentFields);
  const facts = controlFacts({
    fleetStore: new FleetStore(),
    pingStatus: (instance, now) => pingStatusOf(instance, now, config.pingTimeoutSeconds),
    inventory: new InventoryStore(),
    compliance: new ComplianceStore(),
    documents: documentsStore,
    settings: new ServiceSettingsService(documentsStore),
  });
  const sink = serviceFindingsSink(core.findings, core.findingsStore);
  const hubs = hubDirectory(core.hubStore);
  const evaluator = new ControlEvaluator(store, facts, sink, hubs, AGENT_VERSION);
  const patchFindings = new PatchFindings(store, facts, sink, config.patchFindingsLevel);
  const standards = new StandardsService(store, evaluator, sink, (db, accountId, region) =>
    core.members.visibleAccountIds(db, accountId, region),
  );
  core.hub.listen({
    enabled: (ctx, options) => standards.hubEnabled(ctx, options),
    disabled: (ctx) => standards.hubDisabled(ctx),
    findingGeneratorChanged: (ctx) => standards.findingGeneratorChanged(ctx),
  });
  return { evaluator, patchFindings, standards, hubs };
}
