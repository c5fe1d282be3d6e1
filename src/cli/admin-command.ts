/** `bulwark admin …`: local administration straight on the database (no API credentials needed). */
import type { Command } from 'commander';
import { AccessService, AccessStore, SecretBox, loadMasterKey } from '../access/index.js';
import { loadConfig, type ConfigInput } from '../app/config.js';
import { openDatabase } from '../storage/open-database.js';

interface CreateKeyFlags {
  account?: string;
  name: string;
  dataDir?: string;
  database?: string;
  config?: string;
  json?: boolean;
}

/** Registers the `admin` command group. */
export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description('administer accounts and keys on the local database');
  admin
    .command('create-key')
    .description('issue an access key for a principal (created with administrator access when new)')
    .option('--account <id>', 'account id (a new account is created when omitted)')
    .option('--name <name>', 'principal (user) name', 'admin')
    .option('--data-dir <dir>', 'data directory (BULWARK_DATA_DIR)')
    .option('--database <url>', 'database (BULWARK_DATABASE_URL)')
    .option('--config <file>', 'JSON config file (BULWARK_CONFIG)')
    .option('--json', 'print JSON')
    .action(async (flags: CreateKeyFlags) => {
      if (flags.account !== undefined && !/^\d{12}$/.test(flags.account)) {
        throw new Error('--account must be a 12-digit account id');
      }
      if (!/^[\w+=,.@-]{1,64}$/.test(flags.name))
        throw new Error('--name must be 1-64 of [A-Za-z0-9_+=,.@-]');
      const input: ConfigInput = {};
      if (flags.dataDir !== undefined) input.dataDir = flags.dataDir;
      if (flags.database !== undefined) input.database = flags.database;
      const config = loadConfig(input, process.env, flags.config);
      const { db } = await openDatabase(config.database);
      try {
        const access = new AccessService(
          db,
          new AccessStore(),
          new SecretBox(loadMasterKey(config.masterKeyFile, process.env['BULWARK_MASTER_KEY'])),
        );
        const issued = await access.createKey(flags.account, flags.name, undefined, new Date());
        process.stdout.write(
          flags.json === true
            ? JSON.stringify(issued) + '\n'
            : [
                `account:               ${issued.accountId}`,
                `principal:             ${issued.principalArn}`,
                `aws_access_key_id:     ${issued.accessKeyId}`,
                `aws_secret_access_key: ${issued.secretAccessKey}`,
              ].join('\n') + '\n',
        );
      } finally {
        await db.destroy();
      }
    });
}
