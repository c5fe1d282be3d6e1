/** The nested objects of an AwsSecurityFinding (severity, resources, threats, compliance, vulnerabilities, …); loose, as AWS's are. */
import { z } from 'zod';
import {
  asffTypePattern,
  nonEmptyStringPattern,
  text,
  timestamp,
  score,
  fieldMap,
  jsonObject,
} from './asff-primitives.js';

const severityLabel = z.enum(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);

export const findingTypes = z.array(z.string().regex(asffTypePattern).regex(nonEmptyStringPattern)).max(50);

export const relatedFindings = z
  .array(z.looseObject({ ProductArn: text(), Id: text() }))
  .min(1)
  .max(10);

export const severity = z.looseObject({
  Product: z.number().optional(),
  Label: severityLabel.optional(),
  Normalized: score().optional(),
  Original: text(64).optional(),
});

const resourceDetails = z
  .looseObject({
    AwsEc2Instance: z
      .looseObject({
        Type: text().optional(),
        ImageId: text().optional(),
        IpV4Addresses: z.array(text()).optional(),
        IpV6Addresses: z.array(text()).optional(),
        KeyName: text().optional(),
        IamInstanceProfileArn: text().optional(),
        VpcId: text().optional(),
        SubnetId: text().optional(),
        LaunchedAt: timestamp().optional(),
      })
      .optional(),
    AwsS3Bucket: z.looseObject({ OwnerId: text().optional(), OwnerName: text().optional() }).optional(),
    AwsIamAccessKey: z
      .looseObject({
        UserName: text().optional(),
        Status: text().optional(),
        CreatedAt: timestamp().optional(),
        PrincipalName: text().optional(),
      })
      .optional(),
    AwsIamUser: z.looseObject({ UserName: text().optional() }).optional(),
    Container: z
      .looseObject({
        Name: text().optional(),
        ImageId: text().optional(),
        ImageName: text().optional(),
        LaunchedAt: timestamp().optional(),
      })
      .optional(),
    Other: fieldMap().optional(),
  })
  .catchall(jsonObject());

export const resource = z.looseObject({
  Type: text(256),
  Id: text(),
  Partition: z.enum(['aws', 'aws-cn', 'aws-us-gov', 'aws-us-iso', 'aws-us-iso-b', 'AzureCloud']).optional(),
  Region: text(16).optional(),
  Provider: z.enum(['AWS', 'Azure']).optional(),
  Owner: jsonObject().optional(),
  ResourceRole: text().optional(),
  // AWS tag conventions: key 1–128 characters, value 0–256.
  Tags: fieldMap({ keyMax: 128, valueMax: 256 }).optional(),
  DataClassification: jsonObject().optional(),
  Details: resourceDetails.optional(),
  ApplicationName: text().optional(),
  ApplicationArn: text().optional(),
});

export const malware = z.looseObject({
  Name: text(64),
  Type: z
    .enum([
      'ADWARE',
      'BLENDED_THREAT',
      'BOTNET_AGENT',
      'COIN_MINER',
      'EXPLOIT_KIT',
      'KEYLOGGER',
      'MACRO',
      'POTENTIALLY_UNWANTED',
      'RANSOMWARE',
      'REMOTE_ACCESS',
      'ROOTKIT',
      'SPYWARE',
      'TROJAN',
      'VIRUS',
      'WORM',
    ])
    .optional(),
  Path: text(512).optional(),
  State: z.enum(['OBSERVED', 'REMOVAL_FAILED', 'REMOVED']).optional(),
});

export const network = z.looseObject({
  Direction: z.enum(['IN', 'OUT']).optional(),
  Protocol: text(16).optional(),
  OpenPortRange: z.looseObject({ Begin: z.int().optional(), End: z.int().optional() }).optional(),
  SourceIpV4: text().optional(),
  SourceIpV6: text().optional(),
  SourcePort: z.int().optional(),
  SourceDomain: text(128).optional(),
  SourceMac: text().optional(),
  DestinationIpV4: text().optional(),
  DestinationIpV6: text().optional(),
  DestinationPort: z.int().optional(),
  DestinationDomain: text(128).optional(),
});

export const networkPathComponent = z.looseObject({
  ComponentId: text(32).optional(),
  ComponentType: text(32).optional(),
  Egress: jsonObject().optional(),
  Ingress: jsonObject().optional(),
});

export const processDetails = z.looseObject({
  Name: text(64).optional(),
  Path: text(512).optional(),
  Pid: z.int().optional(),
  ParentPid: z.int().optional(),
  LaunchedAt: timestamp().optional(),
  TerminatedAt: timestamp().optional(),
});

export const threat = z.looseObject({
  Name: text(128).optional(),
  Severity: text(128).optional(),
  ItemCount: z.int().optional(),
  FilePaths: z
    .array(
      z.looseObject({
        FilePath: text(128).optional(),
        FileName: text(128).optional(),
        ResourceId: text(128).optional(),
        Hash: text(128).optional(),
      }),
    )
    .min(1)
    .max(5)
    .optional(),
});

export const threatIntelIndicator = z.looseObject({
  Type: z
    .enum([
      'DOMAIN',
      'EMAIL_ADDRESS',
      'HASH_MD5',
      'HASH_SHA1',
      'HASH_SHA256',
      'HASH_SHA512',
      'IPV4_ADDRESS',
      'IPV6_ADDRESS',
      'MUTEX',
      'PROCESS',
      'URL',
    ])
    .optional(),
  Value: text(512).optional(),
  Category: z
    .enum(['BACKDOOR', 'CARD_STEALER', 'COMMAND_AND_CONTROL', 'DROP_SITE', 'EXPLOIT_SITE', 'KEYLOGGER'])
    .optional(),
  LastObservedAt: timestamp().optional(),
  Source: text(64).optional(),
  SourceUrl: text().optional(),
});

export const compliance = z.looseObject({
  Status: z.enum(['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE']).optional(),
  RelatedRequirements: z.array(text()).max(32).optional(),
  StatusReasons: z.array(z.looseObject({ ReasonCode: text(), Description: text().optional() })).optional(),
  SecurityControlId: text().optional(),
  AssociatedStandards: z.array(z.looseObject({ StandardsId: text().optional() })).optional(),
  SecurityControlParameters: z
    .array(z.looseObject({ Name: text().optional(), Value: z.array(text()).optional() }))
    .optional(),
});

export const vulnerability = z.looseObject({
  Id: text(),
  VulnerablePackages: z
    .array(
      z.looseObject({
        Name: text().optional(),
        Version: text().optional(),
        Epoch: text().optional(),
        Release: text().optional(),
        Architecture: text().optional(),
        PackageManager: text().optional(),
        FilePath: text().optional(),
        FixedInVersion: text().optional(),
        Remediation: text().optional(),
        SourceLayerHash: text().optional(),
        SourceLayerArn: text().optional(),
      }),
    )
    .optional(),
  Cvss: z
    .array(
      z.looseObject({
        Version: text().optional(),
        BaseScore: z.number().optional(),
        BaseVector: text().optional(),
        Source: text().optional(),
        Adjustments: z.array(jsonObject()).optional(),
      }),
    )
    .optional(),
  RelatedVulnerabilities: z.array(text()).optional(),
  Vendor: z
    .looseObject({
      Name: text(),
      Url: text().optional(),
      VendorSeverity: text().optional(),
      VendorCreatedAt: timestamp().optional(),
      VendorUpdatedAt: timestamp().optional(),
    })
    .optional(),
  ReferenceUrls: z.array(text()).optional(),
  FixAvailable: z.enum(['YES', 'NO', 'PARTIAL']).optional(),
  EpssScore: z.number().optional(),
  ExploitAvailable: z.enum(['YES', 'NO']).optional(),
  LastKnownExploitAt: timestamp().optional(),
  CodeVulnerabilities: z.array(jsonObject()).optional(),
});

export const patchSummary = z.looseObject({
  Id: text(256),
  InstalledCount: z.int().optional(),
  MissingCount: z.int().optional(),
  FailedCount: z.int().optional(),
  InstalledOtherCount: z.int().optional(),
  InstalledRejectedCount: z.int().optional(),
  InstalledPendingReboot: z.int().optional(),
  OperationStartTime: timestamp().optional(),
  OperationEndTime: timestamp().optional(),
  RebootOption: text(256).optional(),
  Operation: text(256).optional(),
});

export const action = z.looseObject({
  ActionType: text().optional(),
  NetworkConnectionAction: jsonObject().optional(),
  AwsApiCallAction: jsonObject().optional(),
  DnsRequestAction: jsonObject().optional(),
  PortProbeAction: jsonObject().optional(),
});

export const findingProviderFields = z.looseObject({
  Confidence: score().optional(),
  Criticality: score().optional(),
  RelatedFindings: relatedFindings.optional(),
  Severity: z.looseObject({ Label: severityLabel.optional(), Original: text(64).optional() }).optional(),
  Types: findingTypes.optional(),
});
