/** The read-only insights Security Hub provides in every account (user guide, "Managed insights"). */
import type { FindingFilters } from './filters/index.js';

/** A managed insight: an account-less ARN, a name, filters and a GroupByAttribute. */
export interface ManagedInsight {
  insightArn: string;
  name: string;
  filters: FindingFilters;
  groupByAttribute: string;
}

const managedArnPattern = /^arn:aws:securityhub:::insight\/securityhub\/default\/(\d+)$/;

const equals = (...values: string[]) => values.map((Value) => ({ Value, Comparison: 'EQUALS' as const }));
const prefix = (...values: string[]) => values.map((Value) => ({ Value, Comparison: 'PREFIX' as const }));

// Every managed insight counts only active findings nobody has resolved or suppressed yet.
const open: FindingFilters = { RecordState: equals('ACTIVE'), WorkflowStatus: equals('NEW', 'NOTIFIED') };

function managed(
  n: number,
  name: string,
  groupByAttribute: string,
  filters: FindingFilters = {},
): ManagedInsight {
  return {
    insightArn: `arn:aws:securityhub:::insight/securityhub/default/${n}`,
    name,
    filters: { ...filters, ...open },
    groupByAttribute,
  };
}

const ec2 = { ResourceType: equals('AwsEc2Instance') };

/** The managed insights Bulwark evaluates: those that make sense for a server fleet, numbered as in AWS. */
export const managedInsights: readonly ManagedInsight[] = [
  managed(1, 'AWS resources with the most findings', 'ResourceId'),
  managed(3, 'AMIs that are generating the most findings', 'ResourceAwsEc2InstanceImageId', ec2),
  managed(
    16,
    'EC2 instances that have missing security patches for important vulnerabilities',
    'ResourceId',
    { ...ec2, Type: prefix('Software and Configuration Checks/Vulnerabilities/CVE') },
  ),
  managed(17, 'EC2 instances with general unusual behavior', 'ResourceId', {
    ...ec2,
    Type: prefix('Unusual Behaviors'),
  }),
  managed(19, "EC2 instances that don't meet security standards / best practices", 'ResourceId', {
    ...ec2,
    Type: prefix(
      'Software and Configuration Checks/Industry and Regulatory Standards/',
      'Software and Configuration Checks/AWS Security Best Practices',
    ),
  }),
  managed(27, 'Top accounts by counts of findings', 'AwsAccountId'),
  managed(28, 'Top products by counts of findings', 'ProductName'),
  managed(29, 'Severity by counts of findings', 'SeverityLabel'),
  managed(31, 'Top EC2 instances by counts of findings', 'ResourceId', ec2),
  managed(35, 'Top integrations by counts of findings', 'ProductArn'),
  managed(36, 'Resources with the most failed security checks', 'ResourceId', {
    UpdatedAt: [{ DateRange: { Value: 1, Unit: 'DAYS' } }],
    ComplianceStatus: equals('FAILED'),
  }),
];

/** Whether `arn` has the shape of a managed insight ARN (known to Bulwark or not). */
export function isManagedInsightArn(arn: string): boolean {
  return managedArnPattern.test(arn);
}

/** The managed insight with this ARN, if Bulwark provides it. */
export function findManagedInsight(arn: string): ManagedInsight | undefined {
  return managedInsights.find((insight) => insight.insightArn === arn);
}

/** The IAM resource of a managed insight for a caller: the account-less ARN placed in the caller's account and Region. */
export function managedInsightResource(arn: string, scope: { accountId: string; region: string }): string {
  return arn.replace('arn:aws:securityhub:::', `arn:aws:securityhub:${scope.region}:${scope.accountId}:`);
}
