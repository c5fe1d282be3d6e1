/**
 * The evaluation logic of every control: pure functions from facts (and the control's parameters) to one result
 * per resource. A node control returns nothing for a node it does not apply to yet (SSM.2 without a Patch
 * compliance set); the evaluator turns a result that disappears into NOT_APPLICABLE. docs/CONTROLS.md says the same
 * in words.
 */
import type { ControlDefinition } from './catalogue.js';
import type { AccountFacts, DocumentFacts, NodeFacts } from './facts.js';
import type { MissingPatch } from './controls-store.js';

/** What a control says about one resource (Config's vocabulary). */
export type EvaluationResult = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

/** The ASFF resource a finding is about. */
export interface FindingResource {
  Type: string;
  Id: string;
  Partition: 'aws';
  Region: string;
  Details?: Record<string, unknown>;
}

/** One control's result on one resource. */
export interface ResourceEvaluation {
  resourceId: string;
  result: EvaluationResult;
  /** Why, in one sentence (the Config annotation). */
  annotation: string;
  resource: FindingResource;
  /** The resource no longer exists: the finding is archived. */
  gone: boolean;
}

/** Everything an evaluation may read. */
export interface EvaluationInput {
  region: string;
  accountId: string;
  now: Date;
  /** The hub's own version, Fleet.1's default minimum. */
  hubVersion: string;
  parameters: Record<string, number | string>;
  nodes: readonly NodeFacts[];
  missingPatches: ReadonlyMap<string, readonly MissingPatch[]>;
  documents: readonly DocumentFacts[];
  account: AccountFacts | undefined;
}

type NodeCheck = (
  node: NodeFacts,
  input: EvaluationInput,
) => Omit<ResourceEvaluation, 'resource' | 'resourceId' | 'gone'> | undefined;

const dayMs = 86_400_000;
const hourMs = 3_600_000;
const iso = (date: Date): string => date.toISOString();

const numberParameter = (input: EvaluationInput, name: string): number => Number(input.parameters[name]);

/** Compares dotted numeric versions (`1.10.0` > `1.9.3`); missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const left = a.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  const right = b.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(left.length, right.length); i += 1) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

const complianceResult = (status: string): EvaluationResult =>
  status === 'COMPLIANT' ? 'COMPLIANT' : 'NON_COMPLIANT';

const nodeChecks = new Map<string, NodeCheck>(
  Object.entries({
    'SSM.1': (node) =>
      node.pingStatus === 'Online'
        ? { result: 'COMPLIANT', annotation: 'The agent on the node is online.' }
        : {
            result: 'NON_COMPLIANT',
            annotation: `The agent on the node has not answered since ${iso(node.lastPingAt)} (PingStatus ${node.pingStatus}).`,
          },
    'SSM.2': (node) =>
      node.patchCompliance === undefined
        ? undefined
        : {
            result: complianceResult(node.patchCompliance.status),
            annotation: `Patch compliance is ${node.patchCompliance.status} (${node.patchCompliance.counts.NON_COMPLIANT.CRITICAL + node.patchCompliance.counts.NON_COMPLIANT.HIGH} critical or high non-compliant).`,
          },
    'SSM.3': (node) =>
      node.associationCompliance === undefined
        ? undefined
        : {
            result: complianceResult(node.associationCompliance.status),
            annotation: `Association compliance is ${node.associationCompliance.status}.`,
          },
    'Fleet.1': (node, input) => {
      if (node.agentVersion === undefined) {
        return { result: 'NOT_APPLICABLE', annotation: 'The node has not reported an agent version.' };
      }
      const configured = String(input.parameters['minimumAgentVersion'] ?? '');
      const minimum = configured === '' ? input.hubVersion : configured;
      return compareVersions(node.agentVersion, minimum) >= 0
        ? { result: 'COMPLIANT', annotation: `Agent ${node.agentVersion} is at least ${minimum}.` }
        : { result: 'NON_COMPLIANT', annotation: `Agent ${node.agentVersion} is older than ${minimum}.` };
    },
    'Fleet.2': (node, input) => {
      const summary = node.patchSummary;
      if (summary === undefined)
        return { result: 'NOT_APPLICABLE', annotation: 'The node has no patch summary yet.' };
      if (summary.installedPendingRebootCount === 0 || summary.pendingRebootSince === undefined) {
        return { result: 'COMPLIANT', annotation: 'No installed patch awaits a reboot.' };
      }
      const days = numberParameter(input, 'maxPendingRebootDays');
      const overdue = input.now.getTime() - summary.pendingRebootSince.getTime() > days * dayMs;
      return {
        result: overdue ? 'NON_COMPLIANT' : 'COMPLIANT',
        annotation: `${summary.installedPendingRebootCount} installed patch(es) have awaited a reboot since ${iso(summary.pendingRebootSince)} (allowed: ${days} days).`,
      };
    },
    'Fleet.3': (node, input) => {
      if (node.patchSummary === undefined) {
        return { result: 'NOT_APPLICABLE', annotation: 'The node has no patch scan yet.' };
      }
      const days = numberParameter(input, 'maxCriticalPatchAgeDays');
      const cutoff = input.now.getTime() - days * dayMs;
      const aged = (input.missingPatches.get(node.instanceId) ?? [])
        .filter((patch) => patch.complianceLevel === 'CRITICAL' && patch.firstSeenAt.getTime() < cutoff)
        .map((patch) => patch.patchId)
        .sort();
      return aged.length === 0
        ? {
            result: 'COMPLIANT',
            annotation: `No CRITICAL patch has been missing for more than ${days} days.`,
          }
        : {
            result: 'NON_COMPLIANT',
            annotation: `${aged.length} CRITICAL patch(es) missing for more than ${days} days: ${aged.slice(0, 5).join(', ')}${aged.length > 5 ? ', …' : ''}.`,
          };
    },
    'Fleet.4': (node, input) => {
      const hours = numberParameter(input, 'maxInventoryAgeHours');
      if (node.inventoryReportedAt === undefined) {
        return { result: 'NON_COMPLIANT', annotation: 'The node has never reported inventory.' };
      }
      const stale = input.now.getTime() - node.inventoryReportedAt.getTime() > hours * hourMs;
      return {
        result: stale ? 'NON_COMPLIANT' : 'COMPLIANT',
        annotation: `Inventory last reported at ${iso(node.inventoryReportedAt)} (allowed age: ${hours} hours).`,
      };
    },
    'Fleet.5': (node, input) => {
      const days = numberParameter(input, 'maxPatchScanAgeDays');
      const end = node.patchSummary?.operationEndTime;
      if (end === undefined)
        return { result: 'NON_COMPLIANT', annotation: 'The node has never been scanned for patches.' };
      const stale = input.now.getTime() - end.getTime() > days * dayMs;
      return {
        result: stale ? 'NON_COMPLIANT' : 'COMPLIANT',
        annotation: `The last patch ${node.patchSummary?.operationType ?? 'operation'} ended at ${iso(end)} (allowed age: ${days} days).`,
      };
    },
  }),
);

/** A node's Patch compliance as an `AwsSsmPatchCompliance` resource (SSM.2 and the patch summary finding). */
export function patchComplianceResource(node: NodeFacts, region: string): FindingResource {
  const resource: FindingResource = {
    Type: 'AwsSsmPatchCompliance',
    Id: node.arn,
    Partition: 'aws',
    Region: region,
  };
  const patch = node.patchCompliance;
  if (patch !== undefined) {
    const counts = patch.counts;
    resource.Details = {
      AwsSsmPatchCompliance: {
        Patch: {
          ComplianceSummary: {
            Status: patch.status,
            ComplianceType: 'Patch',
            ExecutionType: patch.execution.executionType ?? 'Command',
            OverallSeverity: patch.overallSeverity,
            // ASFF refuses empty strings: a node without a summary, or outside any patch group, leaves them out.
            ...(node.patchSummary?.baselineId ? { PatchBaselineId: node.patchSummary.baselineId } : {}),
            ...(node.patchSummary?.patchGroup ? { PatchGroup: node.patchSummary.patchGroup } : {}),
            CompliantCriticalCount: counts.COMPLIANT.CRITICAL,
            CompliantHighCount: counts.COMPLIANT.HIGH,
            CompliantMediumCount: counts.COMPLIANT.MEDIUM,
            CompliantLowCount: counts.COMPLIANT.LOW,
            CompliantInformationalCount: counts.COMPLIANT.INFORMATIONAL,
            CompliantUnspecifiedCount: counts.COMPLIANT.UNSPECIFIED,
            NonCompliantCriticalCount: counts.NON_COMPLIANT.CRITICAL,
            NonCompliantHighCount: counts.NON_COMPLIANT.HIGH,
            NonCompliantMediumCount: counts.NON_COMPLIANT.MEDIUM,
            NonCompliantLowCount: counts.NON_COMPLIANT.LOW,
            NonCompliantInformationalCount: counts.NON_COMPLIANT.INFORMATIONAL,
            NonCompliantUnspecifiedCount: counts.NON_COMPLIANT.UNSPECIFIED,
          },
        },
      },
    };
  }
  return resource;
}

/** What a node finding's resource says of the node (Details.Other). */
export function nodeDetails(node: NodeFacts): Record<string, string> {
  // Only what rarely changes: a volatile value here (PingStatus) would rewrite every node finding when it flips.
  const other: Record<string, string> = { InstanceId: node.instanceId };
  if (node.agentVersion !== undefined) other['AgentVersion'] = node.agentVersion;
  if (node.platformName !== undefined) other['PlatformName'] = node.platformName;
  if (node.platformVersion !== undefined) other['PlatformVersion'] = node.platformVersion;
  if (node.computerName !== undefined) other['ComputerName'] = node.computerName;
  if (node.ipAddress !== undefined) other['IPAddress'] = node.ipAddress;
  return other;
}

/** A node as the resource of a node control's finding. */
function nodeResource(control: ControlDefinition, node: NodeFacts, region: string): FindingResource {
  if (control.findingResourceType === 'AwsSsmPatchCompliance') return patchComplianceResource(node, region);
  const resource: FindingResource = {
    Type: control.findingResourceType,
    Id: node.arn,
    Partition: 'aws',
    Region: region,
  };
  resource.Details = { Other: nodeDetails(node) };
  return resource;
}

/** Evaluates one control over the input; node controls over `input.nodes`. */
export function evaluateControl(control: ControlDefinition, input: EvaluationInput): ResourceEvaluation[] {
  switch (control.scope) {
    case 'ManagedNode': {
      const check = nodeChecks.get(control.id);
      if (check === undefined) return [];
      const results: ResourceEvaluation[] = [];
      for (const node of input.nodes) {
        const resource = nodeResource(control, node, input.region);
        if (node.deregistered) {
          results.push({
            resourceId: node.arn,
            result: 'NOT_APPLICABLE',
            annotation: 'The node was deregistered.',
            resource,
            gone: true,
          });
          continue;
        }
        const outcome = check(node, input);
        if (outcome !== undefined) results.push({ ...outcome, resourceId: node.arn, resource, gone: false });
      }
      return results;
    }
    case 'Document':
      return input.documents.map((document) => ({
        resourceId: document.arn,
        result: document.public ? 'NON_COMPLIANT' : 'COMPLIANT',
        annotation: document.public
          ? 'The document is shared with All.'
          : 'The document is not shared publicly.',
        resource: {
          Type: control.findingResourceType,
          Id: document.arn,
          Partition: 'aws',
          Region: input.region,
        },
        gone: false,
      }));
    case 'Account': {
      if (input.account === undefined) return [];
      const id = `AWS::::Account:${input.accountId}`;
      return [
        {
          resourceId: id,
          result: input.account.publicSharingBlocked ? 'COMPLIANT' : 'NON_COMPLIANT',
          annotation: input.account.publicSharingBlocked
            ? 'Public sharing of documents is blocked.'
            : 'Public sharing of documents is allowed (public-sharing-permission is Enable).',
          resource: { Type: control.findingResourceType, Id: id, Partition: 'aws', Region: input.region },
          gone: false,
        },
      ];
    }
  }
}
