/** The composition root: stores → services → routes, with plain constructors. */
import { pino, type Logger } from 'pino';
import { sql } from 'kysely';
import { AccessService, AccessStore, SecretBox, loadMasterKey } from '../access/index.js';
import { standardsRoutes } from '../controls/index.js';
import { composeControls } from './compose-controls.js';
import { composeFindingsCore } from './compose-findings.js';
import { AuditAnchor, AuditStore, auditAnchorFiles, auditRoutes } from '../audit/index.js';
import {
  InsightsService,
  InsightsStore,
  ProductsService,
  TagsService,
  automationRulesRoutes,
  findingAggregatorRoutes,
  findingsRoutes,
  membersRoutes,
  insightsRoutes,
  productsRoutes,
  tagsRoutes,
} from '../findings/index.js';
import {
  FleetStore,
  SsmTagsService,
  fleetRoutes,
  FleetInstanceDirectory,
  InventoryService,
  InventoryStore,
  instanceIdOfActor,
  inventoryRoutes,
} from '../fleet/index.js';
import { QueryRouter } from '../http/query-router.js';
import { stsRoutes } from '../sts/index.js';
import { Metrics } from '../http/metrics.js';
import { AwsJsonRouter } from '../http/aws-json-router.js';
import { RequestPipeline } from '../http/pipeline.js';
import { RestJsonRouter } from '../http/rest-json-router.js';
import { createHttpServer, type HttpServer } from '../http/server.js';
import type { Db } from '../storage/database.js';
import type { FindingsWriter } from '../storage/findings-writer.js';
import { openDatabase } from '../storage/open-database.js';
import type { Config } from './config.js';
import { ComplianceService, ComplianceStore, complianceRoutes } from '../compliance/index.js';
import { AssociationsService, documentsRoutes, type InstanceDirectory } from '../documents/index.js';
import {
  PatchBaselineService,
  PatchStateService,
  PatchingStore,
  patchBaselineRoutes,
  patchStateRoutes,
} from '../patching/index.js';
import { fleetPatchInstances, inventoryPatchState } from './patching-sources.js';
import { commandsRoutes } from '../operations/index.js';
import { maintenanceWindowRoutes } from '../maintenance/index.js';
import { registerDeadLetterGauge } from '../worker/index.js';
import { composeSsmCore } from './compose-ssm.js';
import { composeMaintenance } from './compose-maintenance.js';
import { serverTlsFor, type ServerTls } from './server-transport.js';

/** A composed Bulwark node. */
export interface App {
  db: Db;
  /** The engine's findings writer (the worker loops of this node share it). */
  findingsWriter: FindingsWriter;
  access: AccessService;
  http: HttpServer;
  /** The registry `/metrics` serves (on its own listener). */
  metrics: Metrics;
  /** The certificate files the API serves, when it serves HTTPS. */
  tls: ServerTls | undefined;
  logger: Logger;
  /** Stops the HTTP server gracefully and closes the database. */
  close(): Promise<void>;
}

/** Builds every part of a node from its configuration. */
export async function composeApp(config: Config, clock: () => Date = () => new Date()): Promise<App> {
  const logger = pino({ level: config.logLevel, base: { service: 'bulwark' } });
  const { db, findingsWriter } = await openDatabase(config.database);
  const secrets = new SecretBox(loadMasterKey(config.masterKeyFile, process.env['BULWARK_MASTER_KEY']));
  const access = new AccessService(db, new AccessStore(), secrets);
  const metrics = new Metrics();
  const core = composeFindingsCore(findingsWriter);
  const { hubStore, hub, members, productSubscriptions, automationRules, aggregators, findings } = core;
  const controls = composeControls(config, core);
  const insights = new InsightsService(new InsightsStore(), findings, hubStore);
  const products = new ProductsService(productSubscriptions);
  const tags = new TagsService(hubStore, insights, automationRules);
  metrics.registerGauge('bulwark_findings_stored', 'Findings stored', () => findings.countStored(db));
  registerDeadLetterGauge(metrics, db);
  const ssm = composeSsmCore(config, secrets, () => access.forgetIdentities());
  const { ssmTagStore, fleet, documents, serviceSettings, associationsStore, associationRuns, commands } =
    ssm;
  const maintenance = composeMaintenance(ssm, controls);
  const ssmTags = new SsmTagsService(ssmTagStore).register('ManagedInstance', (tx, scope, id) =>
    fleet.instanceExists(tx, scope, id),
  );
  // Inventory and compliance: instances and their AWS:InstanceInformation come from the fleet; an instance key
  // reports only about itself; AWS:ComplianceItem inventory writes compliance sets in the same transaction.
  const instanceDirectory = new FleetInstanceDirectory(
    new FleetStore(),
    (instance, now) => fleet.pingStatus(instance, now),
    clock,
  );
  const compliance = new ComplianceService(new ComplianceStore(), instanceDirectory, instanceIdOfActor);
  const inventory = new InventoryService(
    new InventoryStore(),
    instanceDirectory,
    compliance,
    instanceIdOfActor,
  );
  const patchingStore = new PatchingStore();
  const patchBaselines = new PatchBaselineService(
    patchingStore,
    fleetPatchInstances(new FleetStore(), ssmTagStore),
    ssmTagStore,
  );
  const patchStates = new PatchStateService(
    inventoryPatchState(new InventoryStore(), new ComplianceStore(), new FleetStore()),
  );
  ssmTags.register(
    'PatchBaseline',
    async (tx, scope, id) => (await patchingStore.findBaseline(tx, scope, id)) !== undefined,
  );
  // State Manager: association results write Association compliance.
  ssmTags.register('Document', (tx, scope, id) => documents.ownsDocument(tx, scope, id));
  ssmTags.register('MaintenanceWindow', (tx, scope, id) => maintenance.windows.exists(tx, scope, id));
  const associationInstances: InstanceDirectory = {
    async tagsOf(ctx, instanceId) {
      if (!(await fleet.instanceExists(ctx.tx, ctx, instanceId))) return undefined;
      const tags = await ssmTagStore.list(ctx.tx, {
        accountId: ctx.accountId,
        region: ctx.region,
        resourceType: 'ManagedInstance',
        resourceId: instanceId,
      });
      return Object.fromEntries(tags.map((t) => [t.key, t.value]));
    },
  };
  const associationCompliance = compliance;
  const associations = new AssociationsService(
    associationsStore,
    documents,
    associationCompliance,
    associationInstances,
    associationRuns,
  );
  const audit = new AuditStore(new AuditAnchor(auditAnchorFiles(config.dataDir)));
  const pipeline = new RequestPipeline(db, access, audit, logger, clock);
  const tls = serverTlsFor(config);
  const http = createHttpServer({
    ...(tls === undefined ? {} : { tls: tls.load() }),
    logger,
    metrics,
    pipeline,
    restJson: new RestJsonRouter([
      ...findingsRoutes(hub, findings),
      ...insightsRoutes(hub, insights),
      ...productsRoutes(hub, products),
      ...automationRulesRoutes(hub, automationRules),
      ...tagsRoutes(hub, tags),
      ...membersRoutes(hub, members),
      ...findingAggregatorRoutes(hub, aggregators),
      ...standardsRoutes(hub, controls.standards),
    ]),
    awsJson: new AwsJsonRouter([
      ...auditRoutes(audit),
      ...fleetRoutes(fleet, ssmTags),
      ...inventoryRoutes(inventory),
      ...complianceRoutes(compliance),
      ...patchBaselineRoutes(patchBaselines),
      ...patchStateRoutes(patchStates),
      ...documentsRoutes(documents, serviceSettings, associations),
      ...commandsRoutes(commands),
      ...maintenanceWindowRoutes(maintenance.windows),
    ]),
    query: new QueryRouter(stsRoutes()),
    checkHealth: async () => {
      await sql`select 1`.execute(db);
    },
    limits: {
      maxBodyBytes: config.maxRequestBytes,
      maxInFlightBodyBytes: config.maxInFlightRequestBytes,
      maxConnections: config.maxConnections,
      headersTimeoutMs: config.headersTimeoutMs,
      requestTimeoutMs: config.requestTimeoutMs,
    },
  });
  return {
    db,
    findingsWriter,
    access,
    http,
    metrics,
    tls,
    logger,
    async close() {
      await http.close();
      await db.destroy();
    },
  };
}
