/** `bulwark admin …`: local administration straight on the database (no API credentials needed). */
import type { Command } from 'commander';
import {
  addAdminOptions,
  collect,
  formatColumns,
  formatTime,
  print,
  withAdministration,
  type AdminFlags,
} from './admin-context.js';
import { registerAdminKeyCommands } from './admin-key-commands.js';
import { registerAdminPolicyCommands } from './admin-policy-commands.js';
import { registerAdminPrincipalCommands } from './admin-principal-commands.js';
import { registerAdminUserCommands } from './admin-user-commands.js';

interface CreateKeyFlags extends AdminFlags {
  account?: string;
  newAccount?: boolean;
  name: string;
  policy?: string[];
}

/** Registers the `admin` command group. */
export function registerAdminCommands(program: Command): void {
  const admin = program
    .command('admin')
    .description('administer accounts, principals, keys and policies on the local database');
  addAdminOptions(
    admin
      .command('create-key')
      .description(
        'issue an access key for a principal of --account (or of a new account with --new-account); a new ' +
          'principal is a user, and needs --policy unless it is the first principal of its account, which gets ' +
          'AdministratorAccess',
      )
      .option('--account <id>', 'account id (required once accounts exist; see list-accounts)')
      .option('--new-account', 'create a new account (with --account: that id) for the key')
      .option('--name <name>', 'principal: NAME, user/NAME, role/NAME or its ARN', 'admin')
      .option('--policy <name>', 'policy to attach to a new principal (repeatable)', collect),
  ).action(async (flags: CreateKeyFlags) => {
    if (flags.account !== undefined && !/^\d{12}$/.test(flags.account)) {
      throw new Error('--account must be a 12-digit account id');
    }
    const issued = await withAdministration(flags, (administration) =>
      administration.createKey(
        {
          accountId: flags.account,
          newAccount: flags.newAccount === true,
          name: flags.name,
          policies: flags.policy,
        },
        new Date(),
      ),
    );
    print(flags, issued, () => [
      `account:               ${issued.accountId}${flags.newAccount === true ? ' (new)' : ''}`,
      `principal:             ${issued.principalArn}`,
      `aws_access_key_id:     ${issued.accessKeyId}`,
      `aws_secret_access_key: ${issued.secretAccessKey}`,
    ]);
  });
  addAdminOptions(
    admin
      .command('list-accounts')
      .description(
        'list accounts, oldest first, with their keys: which key is the bootstrap key and whether each was ever used',
      ),
  ).action(async (flags: AdminFlags) => {
    const accounts = await withAdministration(flags, (administration) => administration.listAccounts());
    print(
      flags,
      accounts.map((account) => ({
        accountId: account.accountId,
        createdAt: account.createdAt.toISOString(),
        bootstrapAccessKeyId: account.bootstrapKeyId ?? null,
        keys: account.keys.map((key) => ({
          accessKeyId: key.accessKeyId,
          principalArn: key.principalArn,
          status: key.status,
          bootstrap: key.accessKeyId === account.bootstrapKeyId,
          everUsed: key.lastUsedAt !== undefined,
          lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
        })),
      })),
      () =>
        accounts.length === 0
          ? ['(no accounts: the server creates the first one, with its bootstrap key, on first start)']
          : formatColumns([
              ['ACCOUNT', 'ACCESS_KEY_ID', 'STATUS', 'BOOTSTRAP', 'EVER_USED', 'LAST_USED', 'PRINCIPAL'],
              ...accounts.flatMap((account) =>
                account.keys.length === 0
                  ? [[account.accountId, '(no keys)', '', '', '', '', '']]
                  : account.keys.map((key) => [
                      account.accountId,
                      key.accessKeyId,
                      key.status,
                      key.accessKeyId === account.bootstrapKeyId ? 'yes' : 'no',
                      key.lastUsedAt === undefined ? 'no' : 'yes',
                      formatTime(key.lastUsedAt),
                      key.principalArn,
                    ]),
              ),
            ]),
    );
  });
  registerAdminPrincipalCommands(admin);
  registerAdminKeyCommands(admin);
  registerAdminPolicyCommands(admin);
  registerAdminUserCommands(admin);
}
