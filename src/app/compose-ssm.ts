/**
 * The Systems Manager core both halves of a node need: managed instances, SSM tags, documents and Run
 * Command (the API answers with them; the maintenance window scheduler sends commands through them).
 */
import { AccessStore, type SecretBox } from '../access/index.js';
import {
  AssociationRuns,
  AssociationsStore,
  DocumentsService,
  DocumentsStore,
  ServiceSettingsService,
  deriveDocumentFields,
  fleetNodes,
} from '../documents/index.js';
import { FleetService, FleetStore, InstanceCredentials, SsmTagStore } from '../fleet/index.js';
import { CommandsService, CommandsStore, InvocationTransitions } from '../operations/index.js';
import type { Config } from './config.js';

export interface SsmCore {
  ssmTagStore: SsmTagStore;
  fleet: FleetService;
  documentsStore: DocumentsStore;
  serviceSettings: ServiceSettingsService;
  associationsStore: AssociationsStore;
  /** When associations run: the API starts runs (StartAssociationsOnce), the worker's job the due ones. */
  associationRuns: AssociationRuns;
  documents: DocumentsService;
  commands: CommandsService;
}

export function composeSsmCore(
  config: Pick<Config, 'pingTimeoutSeconds'>,
  secrets: SecretBox,
  /** Called when instance credentials change (the API forgets cached identities). */
  onCredentialsChanged: () => void = () => {},
): SsmCore {
  const ssmTagStore = new SsmTagStore();
  const fleet = new FleetService(
    new FleetStore(),
    ssmTagStore,
    new InstanceCredentials(new AccessStore(), secrets, onCredentialsChanged),
    { pingTimeoutSeconds: config.pingTimeoutSeconds },
  );
  // Documents: their tags live in the SSM tag store; a document an association uses cannot be deleted.
  const documentsStore = new DocumentsStore(deriveDocumentFields);
  const serviceSettings = new ServiceSettingsService(documentsStore);
  const associationsStore = new AssociationsStore();
  const associationRuns = new AssociationRuns(associationsStore, fleetNodes(new FleetStore(), ssmTagStore));
  const documents = new DocumentsService(
    documentsStore,
    serviceSettings,
    (db, key) => associationsStore.usesDocument(db, key.owner, key.region, key.name),
    ssmTagStore,
  );
  // Run Command: documents resolve and validate what is sent; instances are the fleet's, and an instance key
  // takes and reports only its own invocations.
  const commandsStore = new CommandsStore();
  const commands = new CommandsService(
    commandsStore,
    new InvocationTransitions(commandsStore),
    documents,
    fleet,
  );
  return {
    ssmTagStore,
    fleet,
    documentsStore,
    serviceSettings,
    associationsStore,
    associationRuns,
    documents,
    commands,
  };
}
