/** `bulwark server`: starts a node, prints the endpoint and (first start only) the bootstrap credentials. */
import type { Command } from 'commander';
import { composeApp } from '../app/compose.js';
import { loadConfig, type ConfigInput } from '../app/config.js';

interface ServerFlags {
  host?: string;
  port?: string;
  dataDir?: string;
  database?: string;
  logLevel?: string;
  config?: string;
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
    .option('--database <url>', 'database: a SQLite file path (BULWARK_DATABASE_URL)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (BULWARK_LOG_LEVEL)')
    .option('--config <file>', 'JSON config file (BULWARK_CONFIG)')
    .action(async (flags: ServerFlags) => {
      const input: ConfigInput = {};
      if (flags.host !== undefined) input.host = flags.host;
      if (flags.port !== undefined) input.port = flags.port;
      if (flags.dataDir !== undefined) input.dataDir = flags.dataDir;
      if (flags.database !== undefined) input.database = flags.database;
      if (flags.logLevel !== undefined) input.logLevel = flags.logLevel;
      const config = loadConfig(input, process.env, flags.config);
      const app = await composeApp(config);
      const credentials = await app.access.bootstrap(new Date());
      await new Promise<void>((resolve) => app.http.server.listen(config.port, config.host, resolve));
      const address = app.http.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : config.port;
      const endpoint = `http://${config.host}:${port}`;
      const out: string[] = [`Bulwark is listening on ${endpoint} (database: ${config.database})`];
      if (credentials !== undefined) {
        out.push(
          'Bootstrap credentials for the first account (shown once; `bulwark admin create-key` makes more):',
          `  account:               ${credentials.accountId}`,
          `  aws_access_key_id:     ${credentials.accessKeyId}`,
          `  aws_secret_access_key: ${credentials.secretAccessKey}`,
          `Try: AWS_ACCESS_KEY_ID=${credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=… aws securityhub enable-security-hub --endpoint-url ${endpoint} --region us-east-1`,
        );
      }
      process.stdout.write(out.join('\n') + '\n');
      let stopping = false;
      const stop = (signal: string): void => {
        if (stopping) return;
        stopping = true;
        app.logger.info({ signal }, 'shutting down');
        const timer = setTimeout(() => process.exit(1), config.shutdownTimeoutMs);
        timer.unref();
        app.close().then(
          () => process.exit(0),
          (error: unknown) => {
            app.logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });
}
