/** `bulwark server`: starts a node, prints the endpoint and (first start only) the bootstrap credentials. */
import type { Command } from 'commander';
import { composeApp } from '../app/compose.js';
import { composeWorker, openBackgroundNode } from '../app/compose-worker.js';
import { loadConfig, type ConfigInput } from '../app/config.js';
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
    .action(async (flags: ServerFlags) => {
      const input: ConfigInput = {};
      if (flags.host !== undefined) input.host = flags.host;
      if (flags.port !== undefined) input.port = flags.port;
      if (flags.dataDir !== undefined) input.dataDir = flags.dataDir;
      if (flags.database !== undefined) input.database = flags.database;
      if (flags.logLevel !== undefined) input.logLevel = flags.logLevel;
      if (flags.role !== undefined) input.roles = flags.role;
      if (flags.retentionDays !== undefined) input.retentionDays = flags.retentionDays;
      const config = loadConfig(input, process.env, flags.config);
      const roles = new Set(config.roles);
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
      await background.start();
      const out: string[] = [];
      if (app !== undefined) {
        const credentials = await app.access.bootstrap(new Date());
        await new Promise<void>((resolve) => app.http.server.listen(config.port, config.host, resolve));
        const address = app.http.server.address();
        const port = typeof address === 'object' && address !== null ? address.port : config.port;
        const endpoint = `http://${config.host}:${port}`;
        out.push(`Bulwark is listening on ${endpoint} (database: ${config.database})`);
        if (credentials !== undefined) {
          out.push(
            'Bootstrap credentials for the first account (shown once; `bulwark admin create-key` makes more):',
            `  account:               ${credentials.accountId}`,
            `  aws_access_key_id:     ${credentials.accessKeyId}`,
            `  aws_secret_access_key: ${credentials.secretAccessKey}`,
            `Try: AWS_ACCESS_KEY_ID=${credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=… aws securityhub enable-security-hub --endpoint-url ${endpoint} --region us-east-1`,
          );
        }
      }
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
