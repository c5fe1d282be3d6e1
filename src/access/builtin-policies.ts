/**
 * The ready-made least-privilege policies every account can attach. They are code, not rows: read-only, the
 * same in every account, and updated with Bulwark itself. ARNs follow AWS managed policies (`arn:aws:iam::aws:policy/…`).
 */
import type { PolicyDocument } from '../kernel/index.js';
import { parsePolicyDocument } from './policy-document.js';

/** A built-in policy: its name, one-line purpose and document. */
export interface BuiltInPolicy {
  name: string;
  description: string;
  document: PolicyDocument;
}

const builtIn = (name: string, description: string, document: unknown): BuiltInPolicy => ({
  name,
  description,
  document: parsePolicyDocument(document),
});

const securityHubRead = [
  'securityhub:Get*',
  'securityhub:Describe*',
  'securityhub:List*',
  'securityhub:BatchGet*',
];

/** Every action on every resource of the account: the bootstrap administrator's policy. */
export const administratorAccess = builtIn(
  'AdministratorAccess',
  'Full access to every action on every resource of the account.',
  {
    Version: '2012-10-17',
    Statement: [{ Sid: 'AdministratorAccess', Effect: 'Allow', Action: '*', Resource: '*' }],
  },
);

/** The built-in policies, by name. */
export const builtInPolicies: readonly BuiltInPolicy[] = [
  administratorAccess,
  builtIn(
    'SecurityHubImporter',
    'Import findings only (securityhub:BatchImportFindings), for scanners and finding producers.',
    {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ImportFindings', Effect: 'Allow', Action: 'securityhub:BatchImportFindings', Resource: '*' },
      ],
    },
  ),
  builtIn(
    'SecurityHubReadOnly',
    'Auditor: read findings, insights, products, rules and configuration, look up the audit trail and see its verification verdict.',
    {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ReadSecurityHub', Effect: 'Allow', Action: securityHubRead, Resource: '*' },
        {
          Sid: 'ReadAuditTrail',
          Effect: 'Allow',
          Action: ['cloudtrail:LookupEvents', 'cloudtrail:GetAuditTrailVerification'],
          Resource: '*',
        },
      ],
    },
  ),
  builtIn(
    'SecurityHubAnalyst',
    'Triage: everything SecurityHubReadOnly allows plus updating findings (workflow, notes) and managing insights.',
    {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ReadSecurityHub', Effect: 'Allow', Action: securityHubRead, Resource: '*' },
        {
          Sid: 'TriageFindings',
          Effect: 'Allow',
          Action: [
            'securityhub:BatchUpdateFindings',
            'securityhub:CreateInsight',
            'securityhub:UpdateInsight',
            'securityhub:DeleteInsight',
          ],
          Resource: '*',
        },
      ],
    },
  ),
  builtIn(
    'BulwarkAgent',
    'Host agent (placeholder until the agent ships): register, heartbeat, report inventory and compliance, read associations.',
    {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AgentReporting',
          Effect: 'Allow',
          Action: [
            'ssm:UpdateInstanceInformation',
            'ssm:PutInventory',
            'ssm:PutComplianceItems',
            'ssm:ListAssociations',
            'ssm:ListInstanceAssociations',
            'ssm:DescribeAssociation',
            'ssm:UpdateAssociationStatus',
            'ssm:UpdateInstanceAssociationStatus',
            'ssm:GetDocument',
            'ssm:DescribeDocument',
            'ssm:GetDeployablePatchSnapshotForInstance',
            'ssm:GetManifest',
            'ec2messages:AcknowledgeMessage',
            'ec2messages:DeleteMessage',
            'ec2messages:FailMessage',
            'ec2messages:GetEndpoint',
            'ec2messages:GetMessages',
            'ec2messages:SendReply',
          ],
          Resource: '*',
        },
      ],
    },
  ),
];

/** The ARN of a built-in policy. */
export const builtInPolicyArn = (name: string): string => `arn:aws:iam::aws:policy/${name}`;

/** The built-in policy called `name` (case-sensitive, like IAM names), or undefined. */
export function findBuiltInPolicy(name: string): BuiltInPolicy | undefined {
  return builtInPolicies.find((policy) => policy.name === name);
}

/** The built-in policy with `arn`, or undefined. */
export function findBuiltInPolicyByArn(arn: string): BuiltInPolicy | undefined {
  return builtInPolicies.find((policy) => builtInPolicyArn(policy.name) === arn);
}
