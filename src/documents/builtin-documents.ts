/**
 * The read-only documents owned by `Amazon` that Bulwark's agent runs: AWS-RunPatchBaseline (§7.4) and
 * AWS-RunShellScript. Their content is Bulwark's own (the agent interprets the plugin steps), not AWS's payload.
 */
import { documentHash, parseDocumentContent } from './document-content.js';
import { amazonOwner, type DocumentAtVersion, type SsmDocument } from './documents-model.js';

const uuidOrEmpty = '(^$)|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const urlOrEmpty = '(^$)|^https://.+$|^s3://([^/]+)/(.*?([^/]+))$';

const runPatchBaseline = {
  schemaVersion: '2.2',
  description:
    'Scans for or installs patches from a patch baseline to a Linux, Windows or macOS node. Bulwark runs the Linux step with apt/dpkg or dnf/rpm.',
  parameters: {
    Operation: {
      type: 'String',
      description: '(Required) Scan reports missing patches only; Install installs missing approved patches.',
      allowedValues: ['Scan', 'Install'],
    },
    SnapshotId: {
      type: 'String',
      description: '(Optional) The snapshot ID to use to retrieve a patch baseline snapshot.',
      allowedPattern: uuidOrEmpty,
      default: '',
    },
    InstallOverrideList: {
      type: 'String',
      description: '(Optional) An https or s3 URL to a list of patches to install instead of the baseline.',
      allowedPattern: urlOrEmpty,
      default: '',
    },
    BaselineOverride: {
      type: 'String',
      description:
        '(Optional) An https or s3 URL to a list of patch baselines that override the default ones.',
      allowedPattern: urlOrEmpty,
      default: '',
    },
    RebootOption: {
      type: 'String',
      description:
        '(Optional) RebootIfNeeded reboots after an Install that needs it; NoReboot never reboots.',
      allowedValues: ['RebootIfNeeded', 'NoReboot'],
      default: 'RebootIfNeeded',
    },
    AssociationId: {
      type: 'String',
      description: '(Optional) The association that runs this document, reported with the patch compliance.',
      default: '',
    },
  },
  mainSteps: (['Windows', 'Linux', 'MacOS'] as const).map((platform) => ({
    precondition: { StringEquals: ['platformType', platform] },
    action: platform === 'Windows' ? 'aws:runPowerShellScript' : 'aws:runShellScript',
    name: `Patch${platform}`,
    inputs: {
      timeoutSeconds: 7200,
      runCommand: [
        'bulwark-agent patch --operation "{{ Operation }}" --snapshot-id "{{ SnapshotId }}" --install-override-list "{{ InstallOverrideList }}" --baseline-override "{{ BaselineOverride }}" --reboot-option "{{ RebootOption }}" --association-id "{{ AssociationId }}"',
      ],
    },
  })),
};

const runShellScript = {
  schemaVersion: '2.2',
  description: 'Run a shell script or specify the commands to run.',
  parameters: {
    commands: {
      type: 'StringList',
      description: '(Required) Specify a shell script or a command to run.',
      displayType: 'textarea',
    },
    workingDirectory: {
      type: 'String',
      description: '(Optional) The path to the working directory on your instance.',
      default: '',
      maxChars: 4096,
    },
    executionTimeout: {
      type: 'String',
      description:
        '(Optional) The time in seconds for a command to complete before it is considered to have failed. Default is 3600 (1 hour). Maximum is 172800 (48 hours).',
      default: '3600',
      allowedPattern: '^([1-9][0-9]{0,4}|1[0-6][0-9]{4}|17[0-1][0-9]{3}|172[0-7][0-9]{2}|172800)$',
    },
  },
  mainSteps: [
    {
      action: 'aws:runShellScript',
      name: 'runShellScript',
      inputs: {
        runCommand: '{{ commands }}',
        workingDirectory: '{{ workingDirectory }}',
        timeoutSeconds: '{{ executionTimeout }}',
      },
    },
  ],
};

const publishedAt = new Date(Date.UTC(2024, 0, 1));

function builtin(name: string, body: unknown): (region: string) => DocumentAtVersion {
  const content = JSON.stringify(body, null, 2);
  const parsed = parseDocumentContent(content, 'JSON', 'Command');
  return (region) => {
    const document: SsmDocument = {
      owner: amazonOwner,
      region,
      name,
      documentType: 'Command',
      targetType: '/AWS::EC2::Instance',
      displayName: undefined,
      defaultVersion: 1,
      latestVersion: 1,
      tags: {},
      createdAt: publishedAt,
    };
    return {
      document,
      version: {
        version: 1,
        versionName: undefined,
        format: 'JSON',
        content,
        hash: documentHash(content),
        schemaVersion: parsed.schemaVersion,
        description: parsed.description,
        parameters: parsed.parameters,
        platformTypes: parsed.platformTypes,
        createdAt: publishedAt,
      },
    };
  };
}

const builtins = new Map([
  ['AWS-RunPatchBaseline', builtin('AWS-RunPatchBaseline', runPatchBaseline)],
  ['AWS-RunShellScript', builtin('AWS-RunShellScript', runShellScript)],
]);

/** The built-in document `name` in `region`, or undefined. */
export function builtinDocument(name: string, region: string): DocumentAtVersion | undefined {
  return builtins.get(name)?.(region);
}

/** Every built-in document in `region`, by name. */
export function builtinDocuments(region: string): DocumentAtVersion[] {
  return [...builtins.values()].map((make) => make(region));
}
