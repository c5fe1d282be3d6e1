/** `bulwark admin …`: local administration straight on the database (no API credentials needed). */
import type { Command } from 'commander';
import { addAdminOptions, collect, print, withAdministration, type AdminFlags } from './admin-context.js';
import { registerAdminKeyCommands } from './admin-key-commands.js';
import { registerAdminPolicyCommands } from './admin-policy-commands.js';
import { registerAdminPrincipalCommands } from './admin-principal-commands.js';

interface CreateKeyFlags extends AdminFlags {
  account?: string;
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
        'issue an access key for a principal; a new principal is a user, and needs --policy unless it is ' +
          'the first principal of its account (a new account), which gets AdministratorAccess',
      )
      .option('--account <id>', 'account id (a new account is created when omitted or unknown)')
      .option('--name <name>', 'principal: NAME, user/NAME, role/NAME or its ARN', 'admin')
      .option('--policy <name>', 'policy to attach to a new principal (repeatable)', collect),
  ).action(async (flags: CreateKeyFlags) => {
    if (flags.account !== undefined && !/^\d{12}$/.test(flags.account)) {
      throw new Error('--account must be a 12-digit account id');
    }
    const issued = await withAdministration(flags, (administration) =>
      administration.createKey(
        { accountId: flags.account, name: flags.name, policies: flags.policy },
        new Date(),
      ),
    );
    print(flags, issued, () => [
      `account:               ${issued.accountId}`,
      `principal:             ${issued.principalArn}`,
      `aws_access_key_id:     ${issued.accessKeyId}`,
      `aws_secret_access_key: ${issued.secretAccessKey}`,
    ]);
  });
  registerAdminPrincipalCommands(admin);
  registerAdminKeyCommands(admin);
  registerAdminPolicyCommands(admin);
}
