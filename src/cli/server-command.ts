/**
 * `bulwark server`: starts a node, prints the endpoint and the bootstrap credentials (made only once the API
 * listens, so a start that cannot listen leaves them to the next start).
 */
import type { Command } from 'commander';
import { composeApp, openNode } from '../app/compose.js';
import { composeWorker } from '../app/compose-worker.js';
import { loadConfig, type ConfigInput } from '../app/config.js';
import { assertTransportAllowed } from '../app/server-transport.js';
import { startApi } from './server-api.js';

interface ServerFlags {
  host?: string;
  port?: string;
  dataDir?: string;
  database?: string;
  logLevel?: string;
  config?: string;
  role?: string[];
  retentionDays?: string;
  tls?: string;
  tlsCert?: string;
  tlsKey?: string;
  insecureHttp?: boolean;
  metricsListen?: string;
}

/** Registers the `server` command. */
export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description('start Bulwark (API, worker and scheduler) on the embedded SQLite file by default')
    .option('--host <host>', 'address to listen on (BULWARK_HOST, default 127.0.0.1)')
    .option('--port <port>', 'port to listen on (BULWARK_PORT, default 8440; 0 picks a free port)')
    .option(
      '--data-dir <dir>',
      'directory for the database file and master key (BULWARK_DATA_DIR, default ./data)',
    )
    .option('--database <url>', 'database: a SQLite file path or postgres://… URL (BULWARK_DATABASE_URL)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (BULWARK_LOG_LEVEL)')
    .option('--config <file>', 'JSON config file (BULWARK_CONFIG)')
    .option(
      '--role <role>',
      'api|worker|scheduler|all, repeatable or comma-separated (BULWARK_ROLES, default all)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option(
      '--retention-days <days>',
      'delete findings not updated for this many days; 0 keeps them (BULWARK_RETENTION_DAYS, default 90)',
    )
    .option('--tls <mode>', 'self-signed: HTTPS with a certificate kept in the data dir (BULWARK_TLS)')
    .option('--tls-cert <file>', 'HTTPS certificate chain, PEM; re-read on SIGHUP (BULWARK_TLS_CERT)')
    .option('--tls-key <file>', 'private key of --tls-cert, PEM; re-read on SIGHUP (BULWARK_TLS_KEY)')
    .option('--insecure-http', 'allow plain HTTP on a non-loopback --host (BULWARK_INSECURE_HTTP=1)')
    .option(
      '--metrics-listen <host:port>',
      'separate listener for GET /metrics, or off (BULWARK_METRICS_LISTEN, default 127.0.0.1:9440)',
    )
    .action(async (flags: ServerFlags) => {
      const input: ConfigInput = {};
      if (flags.host !== undefined) input.host = flags.host;
      if (flags.port !== undefined) input.port = flags.port;
      if (flags.dataDir !== undefined) input.dataDir = flags.dataDir;
      if (flags.database !== undefined) input.database = flags.database;
      if (flags.logLevel !== undefined) input.logLevel = flags.logLevel;
      if (flags.role !== undefined) input.roles = flags.role;
      if (flags.retentionDays !== undefined) input.retentionDays = flags.retentionDays;
      if (flags.tls !== undefined) input.tls = flags.tls;
      if (flags.tlsCert !== undefined) input.tlsCert = flags.tlsCert;
      if (flags.tlsKey !== undefined) input.tlsKey = flags.tlsKey;
      if (flags.insecureHttp === true) input.insecureHttp = true;
      if (flags.metricsListen !== undefined) input.metricsListen = flags.metricsListen;
      const config = loadConfig(input, process.env, flags.config);
      const roles = new Set(config.roles);
      if (roles.has('api')) assertTransportAllowed(config);
      // One service graph per node: the api role routes HTTP to it, the background loops run its jobs and
      // subscribers, on the one database (SQLite: one writer).
      const node = await openNode(config);
      const app = roles.has('api') ? composeApp(node, config) : undefined;
      const background = await composeWorker(node, config);
      const closeNode = (): Promise<void> => (app ?? node).close();
      const out: string[] = [];
      const api = app === undefined ? undefined : await startApi(app, config, app);
      out.push(...(api?.banner ?? []));
      await background.start();
      const backgroundRoles = config.roles.filter((role) => role !== 'api');
      if (backgroundRoles.length > 0) {
        out.push(`Bulwark background roles ${backgroundRoles.join(',')} started as ${background.workerId}`);
      }
      process.stdout.write(out.join('\n') + '\n');
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        node.logger.info({ signal }, 'shutting down');
        const timer = setTimeout(() => process.exit(1), config.shutdownTimeoutMs);
        timer.unref();
        api?.closeMetrics();
        background
          .stop()
          .then(closeNode)
          .then(
            () => process.exit(0),
            (error: unknown) => {
              node.logger.error({ err: error }, 'shutdown failed');
              process.exit(1);
            },
          );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });
}
