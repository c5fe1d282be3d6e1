/** The security standards Bulwark offers, the controls each holds, and the ARNs that name them. */

/** One standard. `path` is the ARN suffix after `standards/`, e.g. `nist-800-53/v/5.0.0`. */
export interface StandardDefinition {
  path: string;
  name: string;
  description: string;
  enabledByDefault: boolean;
  managedBy: { company: string; product: string };
  controlIds: readonly string[];
}

export const standardCatalogue: readonly StandardDefinition[] = [
  {
    path: 'aws-foundational-security-best-practices/v/1.0.0',
    name: 'AWS Foundational Security Best Practices v1.0.0',
    description:
      'The AWS Foundational Security Best Practices standard is a set of controls that detect when your deployed accounts and resources deviate from security best practices. Bulwark evaluates its Systems Manager controls.',
    enabledByDefault: true,
    managedBy: { company: 'AWS', product: 'Security Hub' },
    controlIds: ['SSM.1', 'SSM.2', 'SSM.3', 'SSM.4', 'SSM.7'],
  },
  {
    path: 'nist-800-53/v/5.0.0',
    name: 'NIST Special Publication 800-53 Revision 5',
    description:
      'NIST SP 800-53 Rev. 5 controls that Bulwark can evaluate for a server fleet: inventory, configuration, flaw remediation and access to shared documents.',
    enabledByDefault: false,
    managedBy: { company: 'AWS', product: 'Security Hub' },
    controlIds: [
      'SSM.1',
      'SSM.2',
      'SSM.3',
      'SSM.4',
      'SSM.7',
      'Fleet.1',
      'Fleet.2',
      'Fleet.3',
      'Fleet.4',
      'Fleet.5',
    ],
  },
  {
    path: 'pci-dss/v/3.2.1',
    name: 'PCI DSS v3.2.1',
    description:
      'The Payment Card Industry Data Security Standard v3.2.1 requirements on system inventory (2.4) and timely security patches (6.2) for the fleet.',
    enabledByDefault: false,
    managedBy: { company: 'AWS', product: 'Security Hub' },
    controlIds: ['SSM.1', 'SSM.2', 'SSM.3', 'Fleet.2', 'Fleet.3', 'Fleet.5'],
  },
  {
    path: 'bulwark-fleet-baseline/v/1.0.0',
    name: 'Bulwark Fleet Baseline v1.0.0',
    description:
      'What a fleet team expects of every managed node: a running, current agent, fresh inventory, recent patch scans, patch and association compliance, no stale reboots and no aged critical patches.',
    enabledByDefault: true,
    managedBy: { company: 'Bulwark', product: 'Bulwark' },
    controlIds: ['SSM.1', 'SSM.2', 'SSM.3', 'Fleet.1', 'Fleet.2', 'Fleet.3', 'Fleet.4', 'Fleet.5'],
  },
];

/** `arn:aws:securityhub:<region>::standards/<path>`. */
export const standardsArnOf = (region: string, standard: StandardDefinition): string =>
  `arn:aws:securityhub:${region}::standards/${standard.path}`;

/** `arn:aws:securityhub:<region>:<account>:subscription/<path>`. */
export const subscriptionArnOf = (region: string, accountId: string, standard: StandardDefinition): string =>
  `arn:aws:securityhub:${region}:${accountId}:subscription/${standard.path}`;

/** `arn:aws:securityhub:<region>:<account>:control/<path>/<controlId>`. */
export const standardsControlArnOf = (
  region: string,
  accountId: string,
  standard: StandardDefinition,
  controlId: string,
): string => `arn:aws:securityhub:${region}:${accountId}:control/${standard.path}/${controlId}`;

/** `arn:aws:securityhub:<region>:<account>:security-control/<controlId>`. */
export const securityControlArnOf = (region: string, accountId: string, controlId: string): string =>
  `arn:aws:securityhub:${region}:${accountId}:security-control/${controlId}`;

/** The value findings carry in Compliance.AssociatedStandards[].StandardsId. */
export const standardsIdOf = (standard: StandardDefinition): string => `standards/${standard.path}`;

const arnPattern = /^arn:aws:securityhub:([a-z0-9-]*):(\d{12})?:(standards|subscription|control)\/(.+)$/;

/** The standard named by a standards, subscription or standards-control ARN (any Region), with the rest. */
export function parseStandardsArn(arn: string):
  | {
      kind: 'standards' | 'subscription' | 'control';
      region: string;
      accountId: string;
      standard: StandardDefinition;
      controlId?: string;
    }
  | undefined {
  const match = arnPattern.exec(arn);
  if (match === null) return undefined;
  const [, region = '', accountId = '', kind, rest = ''] = match;
  // A standard has no account in its ARN; a subscription and a standards control always have one.
  if ((kind === 'standards') !== (accountId === '')) return undefined;
  for (const standard of standardCatalogue) {
    if (rest === standard.path) {
      if (kind === 'control') return undefined;
      return { kind: kind as 'standards' | 'subscription', region, accountId, standard };
    }
    if (
      kind === 'control' &&
      rest.startsWith(`${standard.path}/`) &&
      rest.length > standard.path.length + 1
    ) {
      return { kind, region, accountId, standard, controlId: rest.slice(standard.path.length + 1) };
    }
  }
  return undefined;
}

/** The standards that hold a control. */
export const standardsWithControl = (controlId: string): StandardDefinition[] =>
  standardCatalogue.filter((standard) => standard.controlIds.includes(controlId));
