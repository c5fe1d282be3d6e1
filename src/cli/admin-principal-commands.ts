/** `bulwark admin create-user|create-role|show-principal`. */
import type { Command } from 'commander';
import type { PrincipalWithPolicies } from '../access/index.js';
import {
  addAdminOptions,
  collect,
  formatTime,
  print,
  withAdministration,
  type AdminFlags,
} from './admin-context.js';

interface CreatePrincipalFlags extends AdminFlags {
  account: string;
  name: string;
  policy?: string[];
}

interface ShowPrincipalFlags extends AdminFlags {
  account: string;
  name: string;
}

/** The principal as printed by the principal commands. */
export function describePrincipal(principal: PrincipalWithPolicies): string[] {
  return [
    `principal: ${principal.arn}`,
    `id:        ${principal.principalId}`,
    `kind:      ${principal.kind}`,
    `created:   ${formatTime(principal.createdAt)}`,
    `policies:  ${principal.policyArns.length === 0 ? '(none: everything is denied)' : principal.policyArns.join(', ')}`,
  ];
}

function principalJson(principal: PrincipalWithPolicies): Record<string, unknown> {
  return {
    accountId: principal.accountId,
    principalArn: principal.arn,
    principalId: principal.principalId,
    name: principal.name,
    kind: principal.kind,
    createdAt: principal.createdAt.toISOString(),
    policyArns: principal.policyArns,
  };
}

function registerCreate(admin: Command, kind: 'user' | 'role'): void {
  addAdminOptions(
    admin
      .command(`create-${kind}`)
      .description(
        kind === 'user'
          ? 'create a user (keys with create-key); --policy is required unless it is the account’s first principal'
          : 'create a role for agents (one key per instance, no key limit); --policy is required',
      )
      .requiredOption('--account <id>', 'account id (must exist)')
      .requiredOption('--name <name>', `${kind} name`)
      .option(
        '--policy <name>',
        'policy to attach: a built-in name or one of the account’s (repeatable)',
        collect,
      ),
  ).action(async (flags: CreatePrincipalFlags) => {
    const principal = await withAdministration(flags, (administration) =>
      administration.createPrincipal(
        { accountId: flags.account, kind, name: flags.name, policies: flags.policy ?? [] },
        new Date(),
      ),
    );
    print(flags, principalJson(principal), () => describePrincipal(principal));
  });
}

/** Registers the principal subcommands. */
export function registerAdminPrincipalCommands(admin: Command): void {
  registerCreate(admin, 'user');
  registerCreate(admin, 'role');
  addAdminOptions(
    admin
      .command('show-principal')
      .description('show a principal and its attached policies')
      .requiredOption('--account <id>', 'account id')
      .requiredOption('--name <name>', 'NAME, user/NAME, role/NAME or its ARN'),
  ).action(async (flags: ShowPrincipalFlags) => {
    const principal = await withAdministration(flags, (administration) =>
      administration.getPrincipal(flags.account, flags.name),
    );
    print(flags, principalJson(principal), () => describePrincipal(principal));
  });
}
