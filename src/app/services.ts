/**
 * The service graph of a node: every store and service built once, from which the HTTP route tables
 * (api-routes.ts) and the background jobs and subscribers (background-work.ts) are both derived.
 */
import { AccessService, AccessStore, SecretBox, loadMasterKey } from '../access/index.js';
import { AuditAnchor, AuditStore, auditAnchorFiles } from '../audit/index.js';
import { ComplianceService, ComplianceStore } from '../compliance/index.js';
import { AssociationsService, type InstanceDirectory } from '../documents/index.js';
import {
  InsightsService,
  InsightsStore,
  ProductsService,
  TagsService,
  findingScope,
  findingSummaryFacts,
} from '../findings/index.js';
import {
  FleetInstanceDirectory,
  InventoryService,
  InventoryStore,
  SsmTagsService,
  instanceIdOfActor,
  type FleetFacts,
} from '../fleet/index.js';
import {
  PatchBaselineService,
  PatchStateService,
  PatchingStore,
  patchInstancesFrom,
  patchStateFrom,
} from '../patching/index.js';
import { OverviewService, overviewSourcesFrom } from '../overview/index.js';
import { ConsoleSessions, SignInService, type SignInLimits } from '../sessions/index.js';
import type { Db } from '../storage/database.js';
import type { FindingsWriter } from '../storage/findings-writer.js';
import {
  composeControls,
  controlsFacades,
  type ControlsCore,
  type ControlsFacades,
} from './compose-controls.js';
import { composeFindingsCore, type FindingsCore } from './compose-findings.js';
import { composeMaintenance, type MaintenanceCore } from './compose-maintenance.js';
import { composeSsmCore, type SsmCore } from './compose-ssm.js';
import type { Config } from './config.js';

/** Every service of a node, built once. */
export interface Services {
  db: Db;
  access: AccessService;
  findings: FindingsCore;
  insights: InsightsService;
  products: ProductsService;
  findingTags: TagsService;
  controls: ControlsCore;
  ssm: SsmCore;
  ssmTags: SsmTagsService;
  maintenance: MaintenanceCore;
  inventoryStore: InventoryStore;
  inventory: InventoryService;
  complianceStore: ComplianceStore;
  compliance: ComplianceService;
  patchBaselines: PatchBaselineService;
  patchStates: PatchStateService;
  associations: AssociationsService;
  auditAnchor: AuditAnchor;
  audit: AuditStore;
  overview: OverviewService;
  console: ConsoleCore;
}

/** Console sign-in and its sessions, with the limits the purge job keeps rows for. */
export interface ConsoleCore {
  signIn: SignInService;
  sessions: ConsoleSessions;
  limits: SignInLimits;
}

/** Builds the service graph of a node on an open database. */
export function buildServices(
  db: Db,
  findingsWriter: FindingsWriter,
  config: Config,
  clock: () => Date = () => new Date(),
): Services {
  const secrets = new SecretBox(loadMasterKey(config.masterKeyFile, process.env['BULWARK_MASTER_KEY']));
  const access = new AccessService(db, new AccessStore(), secrets);
  const findings = composeFindingsCore(findingsWriter);
  const ssm = composeSsmCore(config, secrets, () => access.forgetIdentities());
  const inventoryStore = new InventoryStore();
  const complianceStore = new ComplianceStore();
  const facades = controlsFacades(config, findings, { ...ssm, inventoryStore, complianceStore });
  const controls = composeControls(config, findings, facades);
  const maintenance = composeMaintenance(ssm, controls);
  const insights = new InsightsService(new InsightsStore(), findings.findings, findings.hubStore);
  const auditAnchor = new AuditAnchor(auditAnchorFiles(config.dataDir));
  const audit = new AuditStore(auditAnchor);
  return {
    db,
    access,
    findings,
    insights,
    products: new ProductsService(findings.productSubscriptions),
    findingTags: new TagsService(findings.hubStore, insights, findings.automationRules),
    controls,
    ssm,
    maintenance,
    ...composeNodeState(ssm, maintenance, facades, { inventoryStore, complianceStore }, clock),
    auditAnchor,
    audit,
    overview: new OverviewService(
      overviewSourcesFrom({
        findings: findingSummaryFacts(findingScope(findings.members, findings.aggregators)),
        securityScores: (ctx) => controls.standards.securityScores(ctx),
        fleet: facades.fleet,
        compliance: facades.compliance,
      }),
    ),
    console: composeConsole(db, secrets, audit, config),
  };
}

/** Console sign-in with the configured limits, over sessions with the configured lifetimes. */
function composeConsole(db: Db, secrets: SecretBox, audit: AuditStore, config: Config): ConsoleCore {
  const idleTimeoutMs = config.consoleIdleTimeoutMs;
  const sessions = new ConsoleSessions(db, {
    idleTimeoutMs,
    absoluteTimeoutMs: config.consoleAbsoluteTimeoutMs,
    // One write per minute at most, and often enough that a short idle timeout still slides.
    touchIntervalMs: Math.min(60_000, Math.floor(idleTimeoutMs / 10)),
  });
  const window = { windowMs: config.consoleFailureWindowMs, lockMs: config.consoleLockMs };
  const limits: SignInLimits = {
    user: { maxFailures: config.consoleUserMaxFailures, ...window },
    address: { maxFailures: config.consoleAddressMaxFailures, ...window },
  };
  return { signIn: new SignInService(db, secrets, audit, { limits, sessions }), sessions, limits };
}

/** Inventory, compliance, patching, State Manager associations and SSM tags, over the fleet. */
function composeNodeState(
  ssm: SsmCore,
  maintenance: MaintenanceCore,
  facades: ControlsFacades,
  stores: { inventoryStore: InventoryStore; complianceStore: ComplianceStore },
  clock: () => Date,
): Pick<
  Services,
  | 'inventoryStore'
  | 'inventory'
  | 'complianceStore'
  | 'compliance'
  | 'patchBaselines'
  | 'patchStates'
  | 'associations'
  | 'ssmTags'
> {
  // Instances and their AWS:InstanceInformation come from the fleet; an instance key reports only about itself;
  // AWS:ComplianceItem inventory writes compliance sets in the same transaction.
  const instanceDirectory = new FleetInstanceDirectory(
    ssm.fleetStore,
    (instance, now) => ssm.fleet.pingStatus(instance, now),
    clock,
  );
  const compliance = new ComplianceService(stores.complianceStore, instanceDirectory, instanceIdOfActor);
  const inventory = new InventoryService(
    stores.inventoryStore,
    instanceDirectory,
    compliance,
    instanceIdOfActor,
  );
  const patchingStore = new PatchingStore();
  const patchBaselines = new PatchBaselineService(
    patchingStore,
    patchInstancesFrom(facades.fleet),
    ssm.ssmTagStore,
  );
  const patchStates = new PatchStateService(patchStateFrom(facades));
  // State Manager: association results write Association compliance in the run's transaction.
  const associations = new AssociationsService(
    ssm.associationsStore,
    ssm.documents,
    compliance,
    associationInstances(facades.fleet),
    ssm.associationRuns,
  );
  return {
    ...stores,
    inventory,
    compliance,
    patchBaselines,
    patchStates,
    associations,
    ssmTags: taggableResources(ssm, maintenance, patchingStore),
  };
}

/**
 * The SSM resource types AddTagsToResource accepts, each with its owner's existence check. The checks are
 * called in the tagging request's transaction (a tag must never outlive or precede its resource), so they are
 * direct calls rather than events.
 */
function taggableResources(
  ssm: SsmCore,
  maintenance: MaintenanceCore,
  patchingStore: PatchingStore,
): SsmTagsService {
  return new SsmTagsService(ssm.ssmTagStore)
    .register('ManagedInstance', (tx, scope, id) => ssm.fleet.instanceExists(tx, scope, id))
    .register(
      'PatchBaseline',
      async (tx, scope, id) => (await patchingStore.findBaseline(tx, scope, id)) !== undefined,
    )
    .register('Document', (tx, scope, id) => ssm.documents.ownsDocument(tx, scope, id))
    .register('MaintenanceWindow', (tx, scope, id) => maintenance.windows.exists(tx, scope, id));
}

/** Association targets resolve a managed node's tags through the fleet. */
function associationInstances(fleet: FleetFacts): InstanceDirectory {
  return { tagsOf: (ctx, instanceId) => fleet.liveInstanceTags(ctx.tx, ctx, instanceId) };
}
