/** `bulwark admin list-keys|activate-key|deactivate-key|delete-key|rotate-key`. */
import type { Command } from 'commander';
import type { AccessKeySummary } from '../access/index.js';
import {
  addAdminOptions,
  formatColumns,
  formatTime,
  print,
  withAdministration,
  type AdminFlags,
} from './admin-context.js';

interface ListKeysFlags extends AdminFlags {
  account: string;
  name?: string;
}

interface RotateKeyFlags extends AdminFlags {
  account: string;
  name: string;
  key?: string;
  deleteOld?: boolean;
}

function keyJson(key: AccessKeySummary): Record<string, unknown> {
  return {
    accessKeyId: key.accessKeyId,
    principalArn: key.principalArn,
    status: key.status,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  };
}

function keyTable(keys: readonly AccessKeySummary[]): string[] {
  if (keys.length === 0) return ['(no keys)'];
  return formatColumns([
    ['ACCESS_KEY_ID', 'STATUS', 'CREATED', 'LAST_USED', 'PRINCIPAL'],
    ...keys.map((k) => [
      k.accessKeyId,
      k.status,
      formatTime(k.createdAt),
      formatTime(k.lastUsedAt),
      k.principalArn,
    ]),
  ]);
}

/** Registers the key subcommands. */
export function registerAdminKeyCommands(admin: Command): void {
  addAdminOptions(
    admin
      .command('list-keys')
      .description('list access keys with status, creation and last use (one-minute resolution)')
      .requiredOption('--account <id>', 'account id')
      .option('--name <name>', 'only this principal: NAME, user/NAME, role/NAME or its ARN'),
  ).action(async (flags: ListKeysFlags) => {
    const keys = await withAdministration(flags, (administration) =>
      administration.listKeys(flags.account, flags.name),
    );
    print(flags, keys.map(keyJson), () => keyTable(keys));
  });

  for (const [command, status, description] of [
    ['activate-key', 'Active', 'activate a key (a user may have at most 2 active keys)'],
    ['deactivate-key', 'Inactive', 'deactivate a key: refused from then on (every node within about 2 s)'],
  ] as const) {
    addAdminOptions(admin.command(`${command} <accessKeyId>`).description(description)).action(
      async (accessKeyId: string, flags: AdminFlags) => {
        const key = await withAdministration(flags, (administration) =>
          administration.setKeyStatus(accessKeyId, status),
        );
        print(flags, keyJson(key), () => keyTable([key]));
      },
    );
  }

  addAdminOptions(admin.command('delete-key <accessKeyId>').description('delete a key for good')).action(
    async (accessKeyId: string, flags: AdminFlags) => {
      await withAdministration(flags, (administration) => administration.deleteKey(accessKeyId));
      print(flags, { accessKeyId, deleted: true }, () => [`deleted ${accessKeyId}`]);
    },
  );

  addAdminOptions(
    admin
      .command('rotate-key')
      .description(
        'issue a new key and deactivate the principal’s active keys (only --key when given); --delete-old deletes them',
      )
      .requiredOption('--account <id>', 'account id')
      .requiredOption('--name <name>', 'NAME, user/NAME, role/NAME or its ARN')
      .option('--key <accessKeyId>', 'retire only this key')
      .option('--delete-old', 'delete the old key(s) instead of deactivating them'),
  ).action(async (flags: RotateKeyFlags) => {
    const rotation = await withAdministration(flags, (administration) =>
      administration.rotateKey(
        {
          accountId: flags.account,
          name: flags.name,
          deleteOld: flags.deleteOld === true,
          onlyKey: flags.key,
        },
        new Date(),
      ),
    );
    const verb = rotation.deleted ? 'deleted' : 'deactivated';
    print(flags, { ...rotation.issued, retiredAccessKeyIds: rotation.retired, retiredBy: verb }, () => [
      `account:               ${rotation.issued.accountId}`,
      `principal:             ${rotation.issued.principalArn}`,
      `aws_access_key_id:     ${rotation.issued.accessKeyId}`,
      `aws_secret_access_key: ${rotation.issued.secretAccessKey}`,
      `${verb}:${' '.repeat(Math.max(1, 22 - verb.length))}${rotation.retired.join(', ') || '(none)'}`,
    ]);
  });
}
