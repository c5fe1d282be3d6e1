/**
 * `bulwark server`: starts a node, prints the endpoint and the bootstrap credentials (made only once the API
 * listens, so a start that cannot listen leaves them to the next start).
 */
import type { Server } from 'node:http';
import type { Command } from 'commander';
import { composeApp } from '../app/compose.js';
import { composeWorker, openBackgroundNode } from '../app/compose-worker.js';
import { loadConfig, parseListenAddress, type ConfigInput } from '../app/config.js';
import { assertTransportAllowed } from '../app/server-transport.js';
import { listenOn } from '../http/listen.js';
import { isLoopbackHost } from '../http/loopback.js';
import { createMetricsServer } from '../http/metrics-server.js';
import { dialectTraitsFor } from '../storage/open-database.js';

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
      // The api role composes the HTTP node; the background loops share its database (SQLite: one writer).
      const app = roles.has('api') ? await composeApp(config) : undefined;
      const node = app ?? (await openBackgroundNode(config));
      const background = await composeWorker(
        node.db,
        dialectTraitsFor(config.database),
        config,
        node.logger,
        node.findingsWriter,
      );
      const out: string[] = [];
      const metricsServer: Server | undefined =
        app === undefined || config.metricsListen === 'off'
          ? undefined
          : createMetricsServer(app.metrics, node.logger);
      if (app !== undefined) {
        try {
          await listenOn(app.http.server, config.port, config.host, '--port');
          if (metricsServer !== undefined) {
            const metricsAt = parseListenAddress(config.metricsListen);
            await listenOn(metricsServer, metricsAt.port, metricsAt.host, '--metrics-listen');
          }
        } catch (error) {
          metricsServer?.close();
          await node.close();
          throw error;
        }
        const credentials = await app.access.bootstrap(new Date());
        const address = app.http.server.address();
        const port = typeof address === 'object' && address !== null ? address.port : config.port;
        const scheme = app.tls === undefined ? 'http' : 'https';
        const endpoint = `${scheme}://${urlHost(config.host)}:${port}`;
        const metricsAddress = metricsServer?.address();
        if (typeof metricsAddress === 'object' && metricsAddress !== null && metricsAddress !== undefined) {
          out.push(
            `Metrics are served on http://${urlHost(metricsAddress.address)}:${metricsAddress.port}/metrics`,
          );
        }
        out.push(`Bulwark is listening on ${endpoint} (database: ${config.database})`);
        if (app.tls !== undefined) {
          const served = app.tls.load();
          out.push(
            `TLS certificate ${app.tls.certFile}${app.tls.selfSigned ? ' (self-signed)' : ''}, SHA-256 fingerprint ${served.fingerprint}`,
          );
        } else if (!isLoopbackHost(config.host)) {
          process.stderr.write(
            `warning: serving plain HTTP on ${config.host} (--insecure-http): keys and findings cross the network unencrypted\n`,
          );
        }
        if (credentials !== undefined) {
          const caBundle = app.tls?.selfSigned === true ? `AWS_CA_BUNDLE=${app.tls.certFile} ` : '';
          out.push(
            'Bootstrap credentials for the first account (shown once; `bulwark admin create-key` makes more):',
            `  account:               ${credentials.accountId}`,
            `  aws_access_key_id:     ${credentials.accessKeyId}`,
            `  aws_secret_access_key: ${credentials.secretAccessKey}`,
            `Try: ${caBundle}AWS_ACCESS_KEY_ID=${credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=… aws securityhub enable-security-hub --endpoint-url ${endpoint} --region us-east-1`,
          );
        }
        const tls = app.tls;
        if (tls !== undefined) {
          // SIGHUP: serve the certificate files as they are now (a renewed certificate) without a restart.
          process.on('SIGHUP', () => {
            try {
              const reloaded = tls.load();
              app.http.setTlsCredentials(reloaded);
              process.stdout.write(`TLS certificate reloaded, SHA-256 fingerprint ${reloaded.fingerprint}\n`);
            } catch (error) {
              process.stderr.write(
                `bulwark: TLS certificate not reloaded, still serving the previous one: ${error instanceof Error ? error.message : String(error)}\n`,
              );
            }
          });
        }
      }
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
        metricsServer?.close();
        background
          .stop()
          .then(() => node.close())
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

/** `host` as it goes in a URL (IPv6 in brackets). */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
