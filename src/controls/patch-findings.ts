/**
 * Patch compliance as findings: after each scan of a node, every missing patch at or above the configured
 * compliance level is one finding (stable Id per node and patch), and one summary finding per node mirrors AWS's
 * Patch Manager integration. A patch a later scan no longer reports missing gets its finding resolved and
 * archived; deregistering the node archives them all. docs/CONTROLS.md describes the shapes.
 */
import type { Transaction } from 'kysely';
import type { ComplianceItem } from '../compliance/index.js';
import { complianceLevels, type ComplianceLevel } from '../patching/index.js';
import type { Database } from '../storage/database.js';
import { nodeDetails, patchComplianceResource } from './evaluate.js';
import type { ServiceFindingsSink } from './evaluator.js';
import type { ControlFactsSource, NodeFacts } from './facts.js';
import type { ControlScopeKey, ControlsStore, MissingPatch } from './controls-store.js';

const patchManagerProductArn = (region: string): string =>
  `arn:aws:securityhub:${region}::product/aws/ssm-patch-manager`;

/** The finding Id of a missing patch on a node. */
export const missingPatchFindingId = (node: NodeFacts, patchId: string): string =>
  `${node.arn}/missing-patch/${encodeURIComponent(patchId)}`;

/** The finding Id of a node's patch summary. */
export const patchSummaryFindingId = (region: string, accountId: string, instanceId: string): string =>
  `arn:aws:ssm-patch-manager:${region}:${accountId}:instance/${instanceId}/patch-summary`;

const missingStates = new Set(['Missing', 'Failed']);

/**
 * Severity label of a missing patch: the baseline's compliance level; UNSPECIFIED (the baseline ranked nothing)
 * is MEDIUM for a Security-classified patch and LOW otherwise.
 */
export function severityOfMissingPatch(level: string, classification: string): string {
  if (level === 'UNSPECIFIED' || !(complianceLevels as readonly string[]).includes(level)) {
    return classification.toLowerCase() === 'security' ? 'MEDIUM' : 'LOW';
  }
  return level;
}

const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/** Keeps a node's patch findings in step with its latest Patch compliance. */
export class PatchFindings {
  constructor(
    private readonly store: ControlsStore,
    private readonly facts: ControlFactsSource,
    private readonly sink: ServiceFindingsSink,
    /** The lowest compliance level that still makes a missing patch a finding. */
    private readonly minimumLevel: ComplianceLevel,
  ) {}

  private atOrAbove(level: string): boolean {
    const index = (complianceLevels as readonly string[]).indexOf(level);
    return index !== -1 && index <= complianceLevels.indexOf(this.minimumLevel);
  }

  /** Re-reads the node's Patch compliance and writes the findings that changed. */
  async refresh(
    tx: Transaction<Database>,
    scope: ControlScopeKey,
    instanceId: string,
    now: Date,
  ): Promise<number> {
    const [node] = await this.facts.nodes(tx, scope, now, [instanceId]);
    if (node === undefined) return 0;
    const previous = new Map(
      (await this.store.missingPatches(tx, scope, [instanceId])).map((patch) => [patch.patchId, patch]),
    );
    const items = node.deregistered ? [] : await this.facts.patchItems(tx, scope, instanceId);
    const missing = items.filter(
      (item) =>
        item.id !== undefined &&
        item.status === 'NON_COMPLIANT' &&
        missingStates.has(item.details['PatchState'] ?? '') &&
        this.atOrAbove(item.severity),
    );
    const scanTime = node.patchCompliance?.execution.executionTime ?? now;
    const findings: Record<string, unknown>[] = [];
    const current: MissingPatch[] = [];
    for (const item of missing) {
      const patchId = item.id ?? '';
      const before = previous.get(patchId);
      const patch: MissingPatch = {
        instanceId,
        patchId,
        title: item.title,
        complianceLevel: item.severity,
        firstSeenAt: before?.firstSeenAt ?? scanTime,
        lastSeenAt: scanTime,
      };
      current.push(patch);
      if (before !== undefined && before.lastSeenAt.getTime() === scanTime.getTime()) continue;
      findings.push(this.missingPatchFinding(scope, node, patch, item, now, 'missing'));
    }
    const stillMissing = new Set(current.map((patch) => patch.patchId));
    for (const patch of previous.values()) {
      if (stillMissing.has(patch.patchId)) continue;
      findings.push(
        this.missingPatchFinding(
          scope,
          node,
          patch,
          undefined,
          now,
          node.deregistered ? 'gone' : 'installed',
        ),
      );
    }
    if (node.patchSummary !== undefined || node.deregistered)
      findings.push(this.summaryFinding(scope, node, now));
    await this.store.replaceMissingPatches(tx, scope, instanceId, current);
    await this.sink.write(tx, scope, now, findings);
    return findings.length;
  }

  private missingPatchFinding(
    scope: ControlScopeKey,
    node: NodeFacts,
    patch: MissingPatch,
    item: ComplianceItem | undefined,
    now: Date,
    state: 'missing' | 'installed' | 'gone',
  ): Record<string, unknown> {
    const classification = item?.details['Classification'] ?? '';
    const cves = (item?.details['CVEIds'] ?? '').split(',').filter((cve) => /^CVE-\d{4}-\d+$/.test(cve));
    const label = severityOfMissingPatch(patch.complianceLevel, classification);
    const open = state === 'missing';
    return {
      SchemaVersion: '2018-10-08',
      Id: missingPatchFindingId(node, patch.patchId),
      ProductArn: patchManagerProductArn(scope.region),
      GeneratorId: 'bulwark-patch-compliance/missing-patch',
      AwsAccountId: scope.accountId,
      Types: ['Software and Configuration Checks/Patch Management'],
      FirstObservedAt: patch.firstSeenAt.toISOString(),
      LastObservedAt: patch.lastSeenAt.toISOString(),
      CreatedAt: patch.firstSeenAt.toISOString(),
      UpdatedAt: now.toISOString(),
      Severity: { Label: open ? label : 'INFORMATIONAL', Original: patch.complianceLevel },
      Title: truncate(`Missing patch ${patch.patchId} on ${node.instanceId}`, 256),
      Description: truncate(
        open
          ? `${patch.title}: the node's patch baseline approves this patch and the latest scan found it ${item?.details['PatchState'] === 'Failed' ? 'failed to install' : 'not installed'}.`
          : state === 'installed'
            ? `${patch.title}: a later scan found the patch installed or no longer required.`
            : `${patch.title}: the node was deregistered.`,
        1024,
      ),
      Remediation: {
        Recommendation: {
          Text: 'Install the patch: run AWS-RunPatchBaseline with Operation=Install on the node, in a maintenance window.',
        },
      },
      ProductFields: {
        PatchId: patch.patchId,
        ComplianceLevel: patch.complianceLevel,
        ...(classification === '' ? {} : { Classification: classification }),
        ...(cves.length === 0 ? {} : { CVEIds: truncate(cves.join(','), 2048) }),
      },
      Resources: [
        {
          Type: 'AwsEc2Instance',
          Id: node.arn,
          Partition: 'aws',
          Region: scope.region,
          Details: { Other: nodeDetails(node) },
        },
      ],
      ...(cves.length === 0 ? {} : { Vulnerabilities: cves.slice(0, 50).map((Id) => ({ Id })) }),
      Compliance: { Status: open ? 'FAILED' : 'PASSED' },
      RecordState: open ? 'ACTIVE' : 'ARCHIVED',
    };
  }

  private summaryFinding(scope: ControlScopeKey, node: NodeFacts, now: Date): Record<string, unknown> {
    const summary = node.patchSummary;
    const attributes = summary?.attributes ?? {};
    const compliant = node.patchCompliance?.status !== 'NON_COMPLIANT';
    const count = (name: string): number => Number.parseInt(attributes[name] ?? '0', 10) || 0;
    const time = (name: string): string | undefined => {
      const value = attributes[name];
      if (value === undefined || value === '' || Number.isNaN(Date.parse(value))) return undefined;
      return new Date(value).toISOString();
    };
    const start = time('OperationStartTime');
    const end = time('OperationEndTime');
    const overall = node.patchCompliance?.overallSeverity ?? 'UNSPECIFIED';
    return {
      SchemaVersion: '2018-10-08',
      Id: patchSummaryFindingId(scope.region, scope.accountId, node.instanceId),
      ProductArn: patchManagerProductArn(scope.region),
      GeneratorId: 'bulwark-patch-compliance/patch-summary',
      AwsAccountId: scope.accountId,
      Types: ['Software and Configuration Checks/Patch Management'],
      CreatedAt: start ?? now.toISOString(),
      UpdatedAt: now.toISOString(),
      Severity: {
        Label: compliant ? 'INFORMATIONAL' : severityOfMissingPatch(overall, 'Security'),
        Original: overall,
      },
      Title: compliant
        ? 'Systems Manager Patch Summary - Managed Instance Compliant'
        : 'Systems Manager Patch Summary - Managed Instance Non-Compliant',
      Description: truncate(
        `Patch ${summary?.operationType ?? 'scan'} on ${node.instanceId} with baseline ${summary?.baselineId ?? 'unknown'}: ${count('MissingCount')} missing, ${count('FailedCount')} failed, ${count('InstalledPendingRebootCount')} awaiting a reboot.`,
        1024,
      ),
      Resources: [patchComplianceResource(node, scope.region)],
      PatchSummary: {
        Id: summary?.baselineId || 'unknown',
        InstalledCount: count('InstalledCount'),
        MissingCount: count('MissingCount'),
        FailedCount: count('FailedCount'),
        InstalledOtherCount: count('InstalledOtherCount'),
        InstalledRejectedCount: count('InstalledRejectedCount'),
        InstalledPendingReboot: count('InstalledPendingRebootCount'),
        ...(start === undefined ? {} : { OperationStartTime: start }),
        ...(end === undefined ? {} : { OperationEndTime: end }),
        ...(attributes['RebootOption'] === undefined ? {} : { RebootOption: attributes['RebootOption'] }),
        ...(summary === undefined ? {} : { Operation: summary.operationType }),
      },
      Compliance: { Status: compliant ? 'PASSED' : 'FAILED' },
      RecordState: node.deregistered ? 'ARCHIVED' : 'ACTIVE',
    };
  }
}
