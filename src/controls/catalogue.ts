/**
 * The security controls Bulwark evaluates: what each checks, on which resources, when, with which parameters.
 * The evaluation logic of each lives in evaluate.ts; docs/CONTROLS.md states it in words, NOT_APPLICABLE cases
 * included. SSM.* follow AWS (incidents-audit-inspector.md §E.2); Fleet.* are Bulwark's host controls.
 */

/** A control's severity (SeverityRating). */
export type ControlSeverity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** What a control's findings are about. */
export type ControlScope = 'ManagedNode' | 'Document' | 'Account';

/** A parameter a user may change with UpdateSecurityControl: an integer within bounds, or a matching string. */
export type ParameterDefinition =
  | { name: string; description: string; valueType: 'Integer'; default: number; min: number; max: number }
  | { name: string; description: string; valueType: 'String'; default: string; pattern: RegExp };

/** One control of the catalogue. */
export interface ControlDefinition {
  id: string;
  title: string;
  description: string;
  severity: ControlSeverity;
  /** Security Hub's category path, e.g. `Identify > Inventory`. */
  category: string;
  /** NIST SP 800-53 r5 and PCI DSS requirements, as Security Hub spells them. */
  relatedRequirements: readonly string[];
  /** The Config-style rule name that appears in the finding's ProductFields. */
  ruleName: string;
  /** The AWS Config resource type evaluated. */
  configResourceType: string;
  /** The ASFF Resources[].Type of its findings. */
  findingResourceType: string;
  scope: ControlScope;
  /** Change-triggered controls also run on the periodic sweep (their input may age, e.g. a lost agent). */
  schedule: 'CHANGE_TRIGGERED' | 'PERIODIC';
  parameters: readonly ParameterDefinition[];
  remediation: string;
}

/** The catalogue, in the order lists show it. */
export const controlCatalogue: readonly ControlDefinition[] = [
  {
    id: 'SSM.1',
    title: 'Amazon EC2 instances should be managed by AWS Systems Manager',
    description:
      'Checks that every registered managed node has a running agent: FAILED when its agent has stopped answering (PingStatus ConnectionLost).',
    severity: 'MEDIUM',
    category: 'Identify > Inventory',
    relatedRequirements: [
      'NIST.800-53.r5 CA-9(1)',
      'NIST.800-53.r5 CM-2',
      'NIST.800-53.r5 CM-8',
      'PCI DSS v3.2.1/2.4',
    ],
    ruleName: 'ec2-instance-managed-by-systems-manager',
    configResourceType: 'AWS::SSM::ManagedInstanceInventory',
    findingResourceType: 'AwsEc2Instance',
    scope: 'ManagedNode',
    schedule: 'CHANGE_TRIGGERED',
    parameters: [],
    remediation:
      'Start the Bulwark agent on the node (systemctl start bulwark-agent) or deregister the node.',
  },
  {
    id: 'SSM.2',
    title:
      'Amazon EC2 instances managed by Systems Manager should have a patch compliance status of COMPLIANT after a patch installation',
    description:
      "Checks the node's Patch compliance (from AWS-RunPatchBaseline Scan or Install): PASSED when COMPLIANT, FAILED when NON_COMPLIANT.",
    severity: 'HIGH',
    category: 'Detect > Detection services',
    relatedRequirements: [
      'NIST.800-53.r5 CM-8(3)',
      'NIST.800-53.r5 SI-2',
      'NIST.800-53.r5 SI-2(2)',
      'PCI DSS v3.2.1/6.2',
    ],
    ruleName: 'ec2-managedinstance-patch-compliance-status-check',
    configResourceType: 'AWS::SSM::PatchCompliance',
    findingResourceType: 'AwsSsmPatchCompliance',
    scope: 'ManagedNode',
    schedule: 'CHANGE_TRIGGERED',
    parameters: [],
    remediation: 'Run AWS-RunPatchBaseline with Operation=Install on the node.',
  },
  {
    id: 'SSM.3',
    title:
      'Amazon EC2 instances managed by Systems Manager should have an association compliance status of COMPLIANT',
    description:
      "Checks the node's Association compliance (State Manager): PASSED when COMPLIANT, FAILED when NON_COMPLIANT.",
    severity: 'LOW',
    category: 'Detect > Detection services',
    relatedRequirements: [
      'NIST.800-53.r5 CA-9(1)',
      'NIST.800-53.r5 CM-2',
      'NIST.800-53.r5 CM-2(2)',
      'PCI DSS v3.2.1/2.4',
    ],
    ruleName: 'ec2-managedinstance-association-compliance-status-check',
    configResourceType: 'AWS::SSM::AssociationCompliance',
    findingResourceType: 'AwsSsmAssociationCompliance',
    scope: 'ManagedNode',
    schedule: 'CHANGE_TRIGGERED',
    parameters: [],
    remediation:
      'Look at the failed association executions (DescribeAssociationExecutions) and fix the cause.',
  },
  {
    id: 'SSM.4',
    title: 'SSM documents should not be public',
    description: 'Checks every document the account owns: FAILED when it is shared with All.',
    severity: 'CRITICAL',
    category: 'Protect > Secure network configuration > Resources not publicly accessible',
    relatedRequirements: [
      'NIST.800-53.r5 AC-21',
      'NIST.800-53.r5 AC-3',
      'NIST.800-53.r5 AC-3(7)',
      'NIST.800-53.r5 SC-7',
    ],
    ruleName: 'ssm-document-not-public',
    configResourceType: 'AWS::SSM::Document',
    findingResourceType: 'AwsSsmDocument',
    scope: 'Document',
    schedule: 'PERIODIC',
    parameters: [],
    remediation: 'Stop sharing the document publicly: ModifyDocumentPermission with AccountIdsToRemove=All.',
  },
  {
    id: 'SSM.7',
    title: 'SSM documents should have the block public sharing setting enabled',
    description:
      'Checks the account setting /ssm/documents/console/public-sharing-permission: FAILED when it is Enable.',
    severity: 'CRITICAL',
    category: 'Protect > Secure access management > Access control',
    relatedRequirements: ['NIST.800-53.r5 AC-21', 'NIST.800-53.r5 AC-3', 'NIST.800-53.r5 SC-7'],
    ruleName: 'ssm-automation-block-public-sharing',
    configResourceType: 'AWS::::Account',
    findingResourceType: 'AwsAccount',
    scope: 'Account',
    schedule: 'PERIODIC',
    parameters: [],
    remediation:
      'UpdateServiceSetting /ssm/documents/console/public-sharing-permission to Disable (after unsharing public documents).',
  },
  {
    id: 'Fleet.1',
    title: 'Managed nodes should run an up-to-date Bulwark agent',
    description:
      'Checks the agent version each node reports: FAILED when it is older than minimumAgentVersion (empty: the hub’s own version); NOT_APPLICABLE when the node never reported one.',
    severity: 'MEDIUM',
    category: 'Identify > Vulnerability, patch, and version management',
    relatedRequirements: ['NIST.800-53.r5 SI-2', 'NIST.800-53.r5 CM-8(3)'],
    ruleName: 'bulwark-agent-up-to-date',
    configResourceType: 'AWS::SSM::ManagedInstanceInventory',
    findingResourceType: 'AwsEc2Instance',
    scope: 'ManagedNode',
    schedule: 'CHANGE_TRIGGERED',
    parameters: [
      {
        name: 'minimumAgentVersion',
        description:
          'Oldest acceptable agent version (major.minor.patch); empty means the hub’s own version.',
        valueType: 'String',
        default: '',
        pattern: /^(\d+\.\d+\.\d+)?$/,
      },
    ],
    remediation: 'Upgrade the bulwark agent package on the node and restart bulwark-agent.',
  },
  {
    id: 'Fleet.2',
    title: 'Managed nodes should not have a reboot pending longer than the allowed days',
    description:
      'Checks the latest patch summary: FAILED when patches await a reboot (InstalledPendingRebootCount > 0) and the install that needed it is older than maxPendingRebootDays.',
    severity: 'MEDIUM',
    category: 'Identify > Vulnerability, patch, and version management',
    relatedRequirements: ['NIST.800-53.r5 SI-2', 'NIST.800-53.r5 SI-2(2)', 'PCI DSS v3.2.1/6.2'],
    ruleName: 'bulwark-no-stale-pending-reboot',
    configResourceType: 'AWS::SSM::PatchCompliance',
    findingResourceType: 'AwsEc2Instance',
    scope: 'ManagedNode',
    schedule: 'PERIODIC',
    parameters: [
      {
        name: 'maxPendingRebootDays',
        description: 'Days a node may run with installed patches awaiting a reboot.',
        valueType: 'Integer',
        default: 7,
        min: 0,
        max: 365,
      },
    ],
    remediation:
      'Reboot the node in a maintenance window (AWS-RunPatchBaseline Install with RebootIfNeeded).',
  },
  {
    id: 'Fleet.3',
    title: 'Managed nodes should not miss a critical patch longer than the allowed days',
    description:
      'Checks the missing patches the node’s scans reported: FAILED when one at CRITICAL compliance level has been missing for more than maxCriticalPatchAgeDays.',
    severity: 'HIGH',
    category: 'Identify > Vulnerability, patch, and version management',
    relatedRequirements: [
      'NIST.800-53.r5 SI-2',
      'NIST.800-53.r5 SI-2(2)',
      'NIST.800-53.r5 RA-5',
      'PCI DSS v3.2.1/6.2',
    ],
    ruleName: 'bulwark-no-aged-critical-patch',
    configResourceType: 'AWS::SSM::PatchCompliance',
    findingResourceType: 'AwsEc2Instance',
    scope: 'ManagedNode',
    schedule: 'PERIODIC',
    parameters: [
      {
        name: 'maxCriticalPatchAgeDays',
        description: 'Days a CRITICAL patch may stay missing after a scan first reported it.',
        valueType: 'Integer',
        default: 7,
        min: 0,
        max: 365,
      },
    ],
    remediation: 'Install the missing patches: AWS-RunPatchBaseline with Operation=Install.',
  },
  {
    id: 'Fleet.4',
    title: 'Managed nodes should report fresh inventory',
    description:
      'Checks when the node last uploaded inventory (a hash-only re-upload counts): FAILED when longer ago than maxInventoryAgeHours.',
    severity: 'LOW',
    category: 'Identify > Inventory',
    relatedRequirements: ['NIST.800-53.r5 CM-8', 'NIST.800-53.r5 CM-8(1)'],
    ruleName: 'bulwark-inventory-fresh',
    configResourceType: 'AWS::SSM::ManagedInstanceInventory',
    findingResourceType: 'AwsEc2Instance',
    scope: 'ManagedNode',
    schedule: 'PERIODIC',
    parameters: [
      {
        name: 'maxInventoryAgeHours',
        description: 'Hours since the last inventory upload before the node counts as unknown.',
        valueType: 'Integer',
        default: 24,
        min: 1,
        max: 8760,
      },
    ],
    remediation: 'Check that the agent runs and reaches the hub (bulwark agent status on the node).',
  },
  {
    id: 'Fleet.5',
    title: 'Managed nodes should have been scanned for patches recently',
    description:
      'Checks the end time of the node’s latest patch scan or install: FAILED when there is none, or it is older than maxPatchScanAgeDays.',
    severity: 'MEDIUM',
    category: 'Identify > Vulnerability, patch, and version management',
    relatedRequirements: ['NIST.800-53.r5 RA-5', 'NIST.800-53.r5 SI-2', 'PCI DSS v3.2.1/6.2'],
    ruleName: 'bulwark-patch-scan-recent',
    configResourceType: 'AWS::SSM::PatchCompliance',
    findingResourceType: 'AwsEc2Instance',
    scope: 'ManagedNode',
    schedule: 'PERIODIC',
    parameters: [
      {
        name: 'maxPatchScanAgeDays',
        description: 'Days since the last AWS-RunPatchBaseline Scan or Install.',
        valueType: 'Integer',
        default: 7,
        min: 1,
        max: 365,
      },
    ],
    remediation:
      'Schedule AWS-RunPatchBaseline Scan (a State Manager association or a maintenance window) for the node.',
  },
];

const byId = new Map(controlCatalogue.map((control) => [control.id, control]));

/** The control with this id, if the catalogue has it. */
export function findControl(controlId: string): ControlDefinition | undefined {
  return byId.get(controlId);
}

/** The remediation URL a control's findings and definitions carry. */
export function remediationUrlOf(controlId: string): string {
  return `https://docs.aws.amazon.com/console/securityhub/${controlId}/remediation`;
}
