/** The composition root: stores → services → routes, with plain constructors. */
import { pino, type Logger } from 'pino';
import { sql } from 'kysely';
import { AccessService, AccessStore, MembersService, MembersStore, SecretBox, loadMasterKey } from '../access/index.js';
import { AuditStore, auditRoutes } from '../audit/index.js';
import {
  AutomationRulesService,
  AutomationRulesStore,
  FindingsService,
  FindingsStore,
  HubService,
  HubStore,
  InsightsService,
  InsightsStore,
  ProductSubscriptionsStore,
  ProductsService,
  StoredIngestPolicy,
  TagsService,
  automationRulesRoutes,
  findingsRoutes,
  membersRoutes,
  insightsRoutes,
  productsRoutes,
  tagsRoutes,
} from '../findings/index.js';
import { Metrics } from '../http/metrics.js';
import { AwsJsonRouter } from '../http/aws-json-router.js';
import { RequestPipeline } from '../http/pipeline.js';
import { RestJsonRouter } from '../http/rest-json-router.js';
import { createHttpServer, type HttpServer } from '../http/server.js';
import type { Db } from '../storage/database.js';
import { openDatabase } from '../storage/open-database.js';
import type { Config } from './config.js';

/** A composed Bulwark node. */
export interface App {
  db: Db;
  access: AccessService;
  http: HttpServer;
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
  const hubStore = new HubStore();
  const members = new MembersService(new MembersStore());
  const hub = new HubService(hubStore, members);
  const productSubscriptions = new ProductSubscriptionsStore();
  const automationRules = new AutomationRulesService(new AutomationRulesStore(), hubStore);
  const ingestPolicy = new StoredIngestPolicy(productSubscriptions, automationRules);
  const findings = new FindingsService(new FindingsStore(findingsWriter), ingestPolicy, members);
  const insights = new InsightsService(new InsightsStore(), findings, hubStore);
  const products = new ProductsService(productSubscriptions);
  const tags = new TagsService(hubStore, insights, automationRules);
  metrics.registerGauge('bulwark_findings_stored', 'Findings stored', () => findings.countStored(db));
  const audit = new AuditStore();
  const pipeline = new RequestPipeline(db, access, audit, logger, clock);
  const http = createHttpServer({
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
    ]),
    awsJson: new AwsJsonRouter([...auditRoutes(audit)]),
    checkHealth: async () => {
      await sql`select 1`.execute(db);
    },
    maxBodyBytes: config.maxRequestBytes,
  });
  return {
    db,
    access,
    http,
    logger,
    async close() {
      await http.close();
      await db.destroy();
    },
  };
}
