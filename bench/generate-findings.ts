/** Realistic ASFF findings for the benchmarks: deterministic, skewed severities, varied resources, ~2 KB each. */

/** A small, fast, seeded PRNG (mulberry32), so runs are repeatable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

function weighted<T>(random: () => number, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [item, weight] of items) {
    roll -= weight;
    if (roll < 0) return item;
  }
  return (items[items.length - 1] as readonly [T, number])[0];
}

/** Severity skew of real hubs: mostly low/informational, few critical. */
export const severityWeights = [
  ['INFORMATIONAL', 30],
  ['LOW', 30],
  ['MEDIUM', 25],
  ['HIGH', 12],
  ['CRITICAL', 3],
] as const;

const normalizedOf: Record<string, number> = {
  INFORMATIONAL: 0,
  LOW: 30,
  MEDIUM: 50,
  HIGH: 70,
  CRITICAL: 90,
};

const cisControls = [
  '1.4 Ensure no root user account access key exists',
  '1.5 Ensure MFA is enabled for the root user account',
  '1.10 Ensure multi-factor authentication (MFA) is enabled for all IAM users that have a console password',
  '1.14 Ensure access keys are rotated every 90 days or less',
  '2.1.1 Ensure S3 Bucket Policy is set to deny HTTP requests',
  '2.2.1 Ensure EBS volume encryption is enabled in all regions',
  '3.1 Ensure CloudTrail is enabled in all regions',
  '3.4 Ensure CloudTrail trails are integrated with CloudWatch Logs',
  '4.3 Ensure a log metric filter and alarm exist for usage of root account',
  '5.2 Ensure no security groups allow ingress from 0.0.0.0/0 to remote server administration ports',
  '5.3 Ensure the default security group of every VPC restricts all traffic',
  '1.1.1 Ensure mounting of cramfs filesystems is disabled',
  '5.2.10 Ensure SSH root login is disabled',
  '4.2.1.3 Ensure journald is configured to compress large log files',
  '6.1.10 Ensure no world writable files exist',
];

const guardDutyTypes = [
  'Recon:EC2/PortProbeUnprotectedPort',
  'UnauthorizedAccess:EC2/SSHBruteForce',
  'CryptoCurrency:EC2/BitcoinTool.B!DNS',
  'Backdoor:EC2/C&CActivity.B',
  'Trojan:EC2/DNSDataExfiltration',
  'Policy:S3/BucketAnonymousAccessGranted',
  'Discovery:S3/MaliciousIPCaller',
  'Execution:Runtime/NewBinaryExecuted',
  'PrivilegeEscalation:Runtime/DockerSocketAccessed',
  'Impact:EC2/AbusedDomainRequest.Reputation',
];

const packages = [
  'openssl',
  'libc6',
  'openssh-server',
  'curl',
  'linux-image-amd64',
  'sudo',
  'bash',
  'zlib1g',
  'libxml2',
  'nginx',
  'python3.11',
  'log4j-core',
  'glibc',
  'systemd',
  'expat',
];

const typeVocabulary = {
  vulnerability: [
    'Software and Configuration Checks/Vulnerabilities/CVE',
    'Software and Configuration Checks/Patch Management',
  ],
  control: [
    'Software and Configuration Checks/Industry and Regulatory Standards/CIS Host Hardening Benchmarks',
    'Software and Configuration Checks/AWS Security Best Practices',
    'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark',
  ],
  threat: [
    'TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce',
    'TTPs/Discovery/Recon:EC2-PortProbeUnprotectedPort',
    'Effects/Resource Consumption/CryptoCurrency:EC2-BitcoinTool.B!DNS',
    'Unusual Behaviors/VM/Backdoor:EC2-C&CActivity.B',
    'Effects/Data Exfiltration/Trojan:EC2-DNSDataExfiltration',
  ],
  data: [
    'Sensitive Data Identifications/PII/AwsCredentials',
    'Sensitive Data Identifications/Financial/CreditCardNumber',
  ],
} as const;

const teams = ['payments', 'search', 'platform', 'identity', 'data', 'edge'];
const environments = ['prod', 'staging', 'dev'];

/** Names the benchmark uses: the account's default product, and resource ids the query bench can look up. */
export function productArnOf(accountId: string, region: string): string {
  return `arn:aws:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

/** The id of the `index`-th instance resource of an account (the query bench filters on these). */
export function instanceArnOf(accountId: string, region: string, index: number): string {
  return `arn:aws:ec2:${region}:${accountId}:instance/i-${(0x100000000 + index * 7919).toString(16).slice(-8)}0a1b2c3d4`;
}

/** Resources per account: many hosts, fewer containers and buckets, findings concentrate on them. */
export const instancesPerAccount = 4_000;
const containersPerAccount = 1_500;
const bucketsPerAccount = 300;

function resourceFor(random: () => number, accountId: string, region: string, kind: string): unknown {
  const tags: Record<string, string> = {
    team: pick(random, teams),
    env: pick(random, environments),
    'cost-center': `cc-${1000 + Math.floor(random() * 50)}`,
  };
  switch (kind) {
    case 'container': {
      const n = Math.floor(random() * containersPerAccount);
      return {
        Type: 'Container',
        Id: `arn:aws:ecs:${region}:${accountId}:task/cluster-${n % 20}/${(n * 104729).toString(16).padStart(12, '0')}`,
        Partition: 'aws',
        Region: region,
        Tags: tags,
        Details: {
          Container: {
            Name: `svc-${n % 97}`,
            ImageId: `sha256:${(n * 2654435761).toString(16).padStart(16, '0')}`,
            ImageName: `registry.internal/${pick(random, teams)}/svc-${n % 97}:1.${n % 40}.0`,
          },
        },
      };
    }
    case 'bucket': {
      const n = Math.floor(random() * bucketsPerAccount);
      return {
        Type: 'AwsS3Bucket',
        Id: `arn:aws:s3:::${accountId}-${pick(random, teams)}-bucket-${n}`,
        Partition: 'aws',
        Region: region,
        Tags: tags,
      };
    }
    default: {
      const n = Math.floor(random() * instancesPerAccount);
      return {
        Type: 'AwsEc2Instance',
        Id: instanceArnOf(accountId, region, n),
        Partition: 'aws',
        Region: region,
        Tags: tags,
        Details: {
          AwsEc2Instance: {
            Type: pick(random, ['t3.medium', 'm6i.large', 'c6g.xlarge', 'r5.2xlarge']),
            ImageId: `ami-0${(n * 31337).toString(16).padStart(16, '0')}`,
            IpV4Addresses: [`10.${n % 250}.${(n >> 3) % 250}.${n % 200}`],
            VpcId: `vpc-0${(n % 7).toString(16).padStart(16, 'a')}`,
            SubnetId: `subnet-0${(n % 31).toString(16).padStart(16, 'b')}`,
            LaunchedAt: '2024-03-01T08:00:00.000Z',
          },
        },
      };
    }
  }
}

/** What a generator needs to know about where it writes. */
export interface GeneratorScope {
  accountId: string;
  region: string;
  /** The base time of UpdatedAt (findings spread over the 90 days before it). */
  now: number;
}

/**
 * The `sequence`-th finding of an account (sequence 0, 1, 2, … gives distinct Ids). `version` > 0 makes a
 * re-import of the same finding with a newer UpdatedAt.
 */
export function generateFinding(
  scope: GeneratorScope,
  sequence: number,
  version = 0,
): Record<string, unknown> {
  const random = seededRandom(sequence * 2_654_435_761 + Number(scope.accountId.slice(-6)));
  const kind = weighted(random, [
    ['vulnerability', 55],
    ['control', 30],
    ['threat', 10],
    ['data', 5],
  ] as const);
  const severity = weighted(random, severityWeights);
  const resourceKind =
    kind === 'data'
      ? 'bucket'
      : weighted(random, [
          ['instance', 70],
          ['container', 20],
          ['bucket', 10],
        ] as const);
  const resource = resourceFor(random, scope.accountId, scope.region, resourceKind);
  const ageMs = Math.floor(random() * 90 * 86_400_000);
  const createdAt = new Date(scope.now - ageMs - 3_600_000);
  const updatedAt = new Date(scope.now - ageMs + version * 60_000);
  let title: string;
  let generatorId: string;
  let description: string;
  let productFields: Record<string, string>;
  if (kind === 'vulnerability') {
    const cve = `CVE-${2019 + Math.floor(random() * 6)}-${10000 + Math.floor(random() * 40000)}`;
    const pkg = pick(random, packages);
    title = `${cve} - ${pkg}`;
    generatorId = `bulwark-agent/patch/${pkg}`;
    description = `A vulnerability in ${pkg} allows a remote attacker to cause a denial of service or execute arbitrary code via crafted input. Installed version is affected; a fixed version is available from the distribution security repository.`;
    productFields = {
      'bulwark/package': pkg,
      'bulwark/installedVersion': `1.${Math.floor(random() * 20)}.${Math.floor(random() * 9)}-${Math.floor(random() * 5)}`,
      'bulwark/fixedVersion': `1.${20 + Math.floor(random() * 5)}.0-1`,
      'bulwark/source': 'debian-security',
      'bulwark/cvss': (random() * 10).toFixed(1),
    };
  } else if (kind === 'control') {
    title = pick(random, cisControls);
    generatorId = `cis-benchmark/v3.0.0/${title.split(' ')[0] ?? ''}`;
    description = `This control checks whether the configuration meets the benchmark recommendation "${title}". Non-compliant resources increase the attack surface of the fleet and must be remediated or explicitly suppressed with a justification.`;
    productFields = {
      'bulwark/standard': 'cis-debian-linux-benchmark',
      'bulwark/controlId': title.split(' ')[0] ?? '',
      'bulwark/checkRun': `run-${Math.floor(random() * 1e6)}`,
    };
  } else {
    const type = pick(random, guardDutyTypes);
    title = `${type} activity detected on ${resourceKind}`;
    generatorId = `threat-detector/${type.split('/')[0] ?? ''}`;
    description = `Activity matching ${type} was observed. The source address ${Math.floor(random() * 223) + 1}.${Math.floor(random() * 255)}.${Math.floor(random() * 255)}.${Math.floor(random() * 255)} is on a threat list; review the resource and rotate credentials if it was reached.`;
    productFields = {
      'bulwark/detector': 'runtime-sensor',
      'bulwark/threatName': type,
      'bulwark/count': String(1 + Math.floor(random() * 500)),
    };
  }
  const types = [pick(random, typeVocabulary[kind])];
  const workflow = weighted(random, [
    ['NEW', 70],
    ['NOTIFIED', 15],
    ['RESOLVED', 10],
    ['SUPPRESSED', 5],
  ] as const);
  const recordState = random() < 0.15 ? 'ARCHIVED' : 'ACTIVE';
  const finding: Record<string, unknown> = {
    SchemaVersion: '2018-10-08',
    Id: `${scope.accountId}/${kind}/${sequence}`,
    ProductArn: productArnOf(scope.accountId, scope.region),
    GeneratorId: generatorId,
    AwsAccountId: scope.accountId,
    Types: types,
    FirstObservedAt: createdAt.toISOString(),
    LastObservedAt: updatedAt.toISOString(),
    CreatedAt: createdAt.toISOString(),
    UpdatedAt: updatedAt.toISOString(),
    Severity: { Label: severity, Normalized: normalizedOf[severity] ?? 0, Original: severity },
    Confidence: Math.floor(random() * 100),
    Title: title,
    Description: description,
    Remediation: {
      Recommendation: {
        Text: 'Follow the remediation guidance for this finding and re-run the check.',
        Url: 'https://docs.example.internal/bulwark/remediation',
      },
    },
    ProductFields: productFields,
    Resources: [resource],
    Workflow: { Status: workflow },
    RecordState: recordState,
  };
  if (kind === 'control') {
    finding['Compliance'] = {
      Status: weighted(random, [
        ['FAILED', 55],
        ['PASSED', 35],
        ['WARNING', 5],
        ['NOT_AVAILABLE', 5],
      ] as const),
    };
  }
  return finding;
}
