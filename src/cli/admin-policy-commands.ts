/** `bulwark admin create-policy|delete-policy|list-policies|show-policy|attach-policy|detach-policy`. */
import type { Command } from 'commander';
import type { ManagedPolicy } from '../access/index.js';
import {
  addAdminOptions,
  formatColumns,
  formatTime,
  print,
  readDocumentArgument,
  withAdministration,
  type AdminFlags,
} from './admin-context.js';
import { describePrincipal } from './admin-principal-commands.js';

interface PolicyFlags extends AdminFlags {
  account: string;
  name: string;
}

interface CreatePolicyFlags extends PolicyFlags {
  document: string;
  description?: string;
}

interface ShowPolicyFlags extends AdminFlags {
  account?: string;
}

interface AttachFlags extends AdminFlags {
  account: string;
  principal: string;
  policy: string;
}

function policyJson(policy: ManagedPolicy): Record<string, unknown> {
  return {
    policyArn: policy.arn,
    name: policy.name,
    builtIn: policy.builtIn,
    description: policy.description,
    createdAt: policy.createdAt?.toISOString() ?? null,
    updatedAt: policy.updatedAt?.toISOString() ?? null,
    document: policy.document,
  };
}

function describePolicy(policy: ManagedPolicy): string[] {
  return [
    `policy:      ${policy.arn}`,
    `built-in:    ${policy.builtIn ? 'yes (read-only)' : 'no'}`,
    `description: ${policy.description === '' ? '-' : policy.description}`,
    ...(policy.builtIn ? [] : [`created:     ${formatTime(policy.createdAt)}`]),
    JSON.stringify(policy.document, null, 2),
  ];
}

/** Registers the policy subcommands. */
export function registerAdminPolicyCommands(admin: Command): void {
  addAdminOptions(
    admin
      .command('create-policy')
      .description('create a customer-managed policy from an IAM JSON policy document (validated)')
      .requiredOption('--account <id>', 'account id')
      .requiredOption('--name <name>', 'policy name')
      .requiredOption('--document <document>', 'file://policy.json, or the JSON itself')
      .option('--description <text>', 'what the policy is for'),
  ).action(async (flags: CreatePolicyFlags) => {
    const documentText = readDocumentArgument(flags.document);
    const policy = await withAdministration(flags, (administration) =>
      administration.createPolicy(
        { accountId: flags.account, name: flags.name, documentText, description: flags.description },
        new Date(),
      ),
    );
    print(flags, policyJson(policy), () => describePolicy(policy));
  });

  addAdminOptions(
    admin
      .command('delete-policy')
      .description('delete a customer-managed policy that is attached to no principal')
      .requiredOption('--account <id>', 'account id')
      .requiredOption('--name <name>', 'policy name'),
  ).action(async (flags: PolicyFlags) => {
    await withAdministration(flags, (administration) =>
      administration.deletePolicy(flags.account, flags.name),
    );
    print(flags, { name: flags.name, deleted: true }, () => [`deleted ${flags.name}`]);
  });

  addAdminOptions(
    admin
      .command('list-policies')
      .description('list the built-in policies and the account’s own')
      .requiredOption('--account <id>', 'account id'),
  ).action(async (flags: PolicyFlags) => {
    const policies = await withAdministration(flags, (administration) =>
      administration.listPolicies(flags.account),
    );
    print(flags, policies.map(policyJson), () =>
      formatColumns([
        ['NAME', 'KIND', 'DESCRIPTION'],
        ...policies.map((p) => [p.name, p.builtIn ? 'built-in' : 'customer', p.description]),
      ]),
    );
  });

  addAdminOptions(
    admin
      .command('show-policy <name>')
      .description('print a policy document (a built-in, or with --account one of the account’s)')
      .option('--account <id>', 'account id (for customer-managed policies)'),
  ).action(async (name: string, flags: ShowPolicyFlags) => {
    const policy = await withAdministration(flags, (administration) =>
      administration.getPolicy(name, flags.account),
    );
    print(flags, policyJson(policy), () => describePolicy(policy));
  });

  for (const [command, description] of [
    ['attach-policy', 'attach a policy to a principal (takes effect on every node within about 2 s)'],
    ['detach-policy', 'detach a policy from a principal (takes effect on every node within about 2 s)'],
  ] as const) {
    addAdminOptions(
      admin
        .command(command)
        .description(description)
        .requiredOption('--account <id>', 'account id')
        .requiredOption('--principal <name>', 'NAME, user/NAME, role/NAME or its ARN')
        .requiredOption('--policy <name>', 'a built-in policy name, or one of the account’s'),
    ).action(async (flags: AttachFlags) => {
      const principal = await withAdministration(flags, (administration) =>
        command === 'attach-policy'
          ? administration.attachPolicy(flags.account, flags.principal, flags.policy, new Date())
          : administration.detachPolicy(flags.account, flags.principal, flags.policy),
      );
      print(flags, { principalArn: principal.arn, policyArns: principal.policyArns }, () =>
        describePrincipal(principal),
      );
    });
  }
}
