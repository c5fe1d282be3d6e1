/** Service-test support: the documents capability wired like compose.ts, with the real compliance capability. */
import { ComplianceService, ComplianceStore } from '../../src/compliance/index.js';
import {
  AssociationRuns,
  AssociationsService,
  AssociationsStore,
  DocumentsService,
  DocumentsStore,
  ServiceSettingsService,
  deriveDocumentFields,
  fleetNodes,
} from '../../src/documents/index.js';
import { FleetStore, SsmTagStore } from '../../src/fleet/index.js';

/** Services wired like compose.ts (the real compliance capability included). */
export function buildDocumentServices() {
  const store = new DocumentsStore(deriveDocumentFields);
  const settings = new ServiceSettingsService(store);
  const associationsStore = new AssociationsStore();
  const documents = new DocumentsService(
    store,
    settings,
    (db, key) => associationsStore.usesDocument(db, key.owner, key.region, key.name),
    new SsmTagStore(),
  );
  const compliance = new ComplianceService(
    new ComplianceStore(),
    { instanceInformation: () => Promise.resolve(new Map()) },
    () => undefined,
  );
  const runs = new AssociationRuns(associationsStore, fleetNodes(new FleetStore(), new SsmTagStore()));
  const associations = new AssociationsService(associationsStore, documents, compliance, undefined, runs);
  return { documents, settings, associations, associationsStore, compliance, runs };
}
