/** Test builders: valid ASFF findings for an account and Region, and the published samples retargeted to one. */
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';

import { asffSamplesDir } from './support/samples-dir.js';

export { asffSamplesDir };

/** The account and Region a finding is imported into. */
export interface FindingTarget {
  accountId: string;
  region?: string;
}

/** The account's own custom-integration product ARN (always enabled). */
export function defaultProductArn(accountId: string, region = 'us-east-1'): string {
  return `arn:aws:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

let sequence = 0;

/** A unique finding id with a readable prefix, so tests sharing one server never collide. */
export function uniqueFindingId(prefix = 'finding'): string {
  sequence += 1;
  return `${prefix}-${sequence}-${randomUUID()}`;
}

/**
 * A valid ASFF finding of the target's default product: an EC2 instance with an open SSH port, MEDIUM severity.
 * `overrides` replace whole top-level fields.
 */
export function buildFinding(
  overrides: Partial<AwsSecurityFinding> = {},
  target: FindingTarget = { accountId: '111122223333' },
): AwsSecurityFinding {
  const region = target.region ?? 'us-east-1';
  const accountId = target.accountId;
  const instanceId = `i-${randomUUID().replace(/-/g, '').slice(0, 17)}`;
  const at = '2024-03-01T10:00:00.000Z';
  return {
    SchemaVersion: '2018-10-08',
    Id: uniqueFindingId(),
    ProductArn: defaultProductArn(accountId, region),
    GeneratorId: 'bulwark-e2e/ssh-exposure',
    AwsAccountId: accountId,
    Types: ['Software and Configuration Checks/AWS Security Best Practices/Network Reachability'],
    FirstObservedAt: at,
    LastObservedAt: at,
    CreatedAt: at,
    UpdatedAt: at,
    Severity: { Label: 'MEDIUM', Original: 'MEDIUM' },
    Confidence: 80,
    Criticality: 50,
    Title: 'Security group allows SSH from 0.0.0.0/0',
    Description: 'Port 22 of the instance is reachable from the internet through its security group.',
    Remediation: {
      Recommendation: {
        Text: 'Restrict inbound SSH to known address ranges.',
        Url: 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html',
      },
    },
    ProductFields: { 'scanner/version': '1.4.2', 'scanner/rule': 'ssh-open' },
    Network: {
      Direction: 'IN',
      Protocol: 'TCP',
      SourceIpV4: '198.51.100.23',
      SourcePort: 51515,
      DestinationIpV4: '10.0.1.17',
      DestinationPort: 22,
    },
    Resources: [
      {
        Type: 'AwsEc2Instance',
        Id: `arn:aws:ec2:${region}:${accountId}:instance/${instanceId}`,
        Partition: 'aws',
        Region: region,
        Tags: { Environment: 'production', Team: 'platform' },
        Details: {
          AwsEc2Instance: {
            Type: 't3.medium',
            ImageId: 'ami-0abcdef1234567890',
            IpV4Addresses: ['10.0.1.17'],
            VpcId: 'vpc-0a1b2c3d',
            SubnetId: 'subnet-0a1b2c3d',
            LaunchedAt: '2024-02-01T08:00:00.000Z',
          },
        },
      },
    ],
    Compliance: { Status: 'FAILED' },
    RecordState: 'ACTIVE',
    ...overrides,
  };
}

/** One published sample finding and where it came from. */
export interface SampleFinding {
  file: string;
  index: number;
  finding: AwsSecurityFinding & Record<string, unknown>;
}

/** Every sample finding as published (`*.json` arrays under {@link asffSamplesDir}). */
export function loadSampleFindings(): SampleFinding[] {
  return readdirSync(asffSamplesDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .flatMap((file) => {
      const findings = JSON.parse(
        readFileSync(join(asffSamplesDir, file), 'utf8'),
      ) as SampleFinding['finding'][];
      return findings.map((finding, index) => ({ file, index, finding }));
    });
}

/**
 * A sample rewritten to import as the target's default product (SOURCES.md): AwsAccountId, ProductArn and the
 * service-set Region are replaced, and an empty resource Region (Trivy #0) gets the target Region.
 */
export function retargetSample(finding: AwsSecurityFinding, target: FindingTarget): AwsSecurityFinding {
  const region = target.region ?? 'us-east-1';
  const copy = structuredClone(finding);
  copy.AwsAccountId = target.accountId;
  copy.ProductArn = defaultProductArn(target.accountId, region);
  if (copy.Region !== undefined) copy.Region = region;
  for (const resource of copy.Resources ?? []) {
    if (resource.Region === '') resource.Region = region;
  }
  return copy;
}

/** A copy of `finding` without `fields` (for malformed findings and provider updates that leave fields out). */
export function withoutFields<K extends keyof AwsSecurityFinding>(
  finding: AwsSecurityFinding,
  ...fields: K[]
): Omit<AwsSecurityFinding, K> {
  const copy: Partial<AwsSecurityFinding> = { ...finding };
  for (const field of fields) delete copy[field];
  return copy as Omit<AwsSecurityFinding, K>;
}
