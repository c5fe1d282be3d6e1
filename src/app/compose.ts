/** The composition root: a node's database, its service graph, and the HTTP server routed from that graph. */
import { pino, type Logger } from 'pino';
import { sql } from 'kysely';
import type { AccessService } from '../access/index.js';
import { Metrics } from '../http/metrics.js';
import { RequestPipeline } from '../http/pipeline.js';
import { createHttpServer, type HttpServer } from '../http/server.js';
import type { Db } from '../storage/database.js';
import type { FindingsWriter } from '../storage/findings-writer.js';
import { openDatabase } from '../storage/open-database.js';
import { registerDeadLetterGauge } from '../worker/index.js';
import { awsJsonRouter, queryRouter, restJsonRouter } from './api-routes.js';
import type { Config } from './config.js';
import { serverTlsFor, type ServerTls } from './server-transport.js';
import { buildServices, type Services } from './services.js';

/** A node's open database, logger and service graph, shared by its API and its background loops. */
export interface Node {
  db: Db;
  /** The engine's findings writer. */
  findingsWriter: FindingsWriter;
  logger: Logger;
  services: Services;
  /** Closes the database. */
  close(): Promise<void>;
}

/** Opens the database and builds the node's services, once. */
export async function openNode(config: Config, clock: () => Date = () => new Date()): Promise<Node> {
  const logger = pino({ level: config.logLevel, base: { service: 'bulwark' } });
  const { db, findingsWriter } = await openDatabase(config.database);
  const services = buildServices(db, findingsWriter, config, clock);
  return { db, findingsWriter, logger, services, close: () => db.destroy() };
}

/** The API half of a node. */
export interface App {
  db: Db;
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

/** Builds the HTTP server of a node from its service graph. */
export function composeApp(node: Node, config: Config, clock: () => Date = () => new Date()): App {
  const { db, logger, services } = node;
  const metrics = new Metrics();
  metrics.registerGauge('bulwark_findings_stored', 'Findings stored', () =>
    services.findings.findings.countStored(db),
  );
  registerDeadLetterGauge(metrics, db);
  const pipeline = new RequestPipeline(db, services.access, services.audit, logger, clock);
  const tls = serverTlsFor(config);
  const http = createHttpServer({
    ...(tls === undefined ? {} : { tls: tls.load() }),
    logger,
    metrics,
    pipeline,
    restJson: restJsonRouter(services),
    awsJson: awsJsonRouter(services),
    query: queryRouter(),
    console: {
      signIn: services.console.signIn,
      sessions: services.console.sessions,
      region: config.consoleRegion,
      signInBurst: config.consoleSignInBurst,
      signInPerMinute: config.consoleSignInPerMinute,
      assetsDir: config.consoleAssetsDir,
      clock,
    },
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
    access: services.access,
    http,
    metrics,
    tls,
    logger,
    async close() {
      await http.close();
      await node.close();
    },
  };
}
