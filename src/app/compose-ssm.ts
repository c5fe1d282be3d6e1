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
  fleetStore: FleetStore;
  ssmTagStore: SsmTagStore;
  fleet: FleetService;
  documentsStore: DocumentsStore;
  serviceSettings: ServiceSettingsService;
  associationsStore: AssociationsStore;
  /** When associations run: the API starts runs (StartAssociationsOnce), the worker's job the due ones. */
  associationRuns: AssociationRuns;
  documents: DocumentsService;
  commands: CommandsService;
  /** Invocation status changes (the command-timeouts job times out overdue ones). */
  invocationTransitions: InvocationTransitions;
}

export function composeSsmCore(
  config: Pick<Config, 'pingTimeoutSeconds'>,
  secrets: SecretBox,
  /**
   * Called when instance credentials change, inside the registering or deregistering call: it clears this
   * node's in-memory identity cache, which no outbox subscriber can reach (a subscriber runs on one node of
   * the cluster; other nodes follow the access generation within seconds).
   */
  onCredentialsChanged: () => void = () => {},
): SsmCore {
  const fleetStore = new FleetStore();
  const ssmTagStore = new SsmTagStore();
  const fleet = new FleetService(
    fleetStore,
    ssmTagStore,
    new InstanceCredentials(new AccessStore(), secrets, onCredentialsChanged),
    { pingTimeoutSeconds: config.pingTimeoutSeconds },
  );
  // Documents: their tags live in the SSM tag store; a document an association uses cannot be deleted.
  const documentsStore = new DocumentsStore(deriveDocumentFields);
  const serviceSettings = new ServiceSettingsService(documentsStore);
  const associationsStore = new AssociationsStore();
  const associationRuns = new AssociationRuns(associationsStore, fleetNodes(fleetStore, ssmTagStore));
  const documents = new DocumentsService(
    documentsStore,
    serviceSettings,
    (db, key) => associationsStore.usesDocument(db, key.owner, key.region, key.name),
    ssmTagStore,
  );
  // Run Command: documents resolve and validate what is sent; instances are the fleet's, and an instance key
  // takes and reports only its own invocations.
  const commandsStore = new CommandsStore();
  const invocationTransitions = new InvocationTransitions(commandsStore);
  const commands = new CommandsService(commandsStore, invocationTransitions, documents, fleet);
  return {
    fleetStore,
    ssmTagStore,
    fleet,
    documentsStore,
    serviceSettings,
    associationsStore,
    associationRuns,
    documents,
    commands,
    invocationTransitions,
  };
}
