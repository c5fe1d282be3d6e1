/** The consolidated control finding (securityhub-api.md §7.4) that carries one control's result on one resource. */
import { createHash } from 'node:crypto';
import type { ControlDefinition } from './catalogue.js';
import { remediationUrlOf } from './catalogue.js';
import type { ResourceEvaluation } from './evaluate.js';
import {
  standardCatalogue,
  standardsControlArnOf,
  standardsIdOf,
  subscriptionArnOf,
  type StandardDefinition,
} from './standards.js';

/** UpdateSecurityHubConfiguration's ControlFindingGenerator: consolidated or per-standard control findings. */
export type ControlFindingGenerator = 'SECURITY_CONTROL' | 'STANDARD_CONTROL';

/** Which finding of a result: the consolidated one, or one standard's (STANDARD_CONTROL). */
export type ControlFindingTarget =
  { kind: 'security-control' } | { kind: 'standard'; standard: StandardDefinition };

/** Compliance.Status of a finding. */
export type ComplianceStatus = 'PASSED' | 'FAILED' | 'NOT_AVAILABLE';

/** Config's result → Security Hub's compliance status (NOT_APPLICABLE → NOT_AVAILABLE, §E.1). */
export const complianceStatusOf = (evaluation: ResourceEvaluation): ComplianceStatus =>
  evaluation.result === 'COMPLIANT'
    ? 'PASSED'
    : evaluation.result === 'NON_COMPLIANT'
      ? 'FAILED'
      : 'NOT_AVAILABLE';

/** A UUID-shaped digest of the parts: stable across evaluations, so one finding per control and resource. */
export function stableUuid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((Number.parseInt(hex[16] ?? '0', 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `arn:aws:securityhub:<region>:<account>:security-control/<id>/finding/<uuid>`. */
export const controlFindingIdOf = (
  region: string,
  accountId: string,
  controlId: string,
  resourceId: string,
): string =>
  `arn:aws:securityhub:${region}:${accountId}:security-control/${controlId}/finding/${stableUuid(accountId, region, controlId, resourceId)}`;

/** `arn:aws:securityhub:<region>:<account>:subscription/<standard path>/<id>/finding/<uuid>` (STANDARD_CONTROL). */
export const standardControlFindingIdOf = (
  region: string,
  accountId: string,
  standard: StandardDefinition,
  controlId: string,
  resourceId: string,
): string =>
  `${subscriptionArnOf(region, accountId, standard)}/${controlId}/finding/${stableUuid(accountId, region, standard.path, controlId, resourceId)}`;

/** The Id of the finding a target gets for a control's result on a resource. */
export const controlFindingIdFor = (
  target: ControlFindingTarget,
  region: string,
  accountId: string,
  controlId: string,
  resourceId: string,
): string =>
  target.kind === 'security-control'
    ? controlFindingIdOf(region, accountId, controlId, resourceId)
    : standardControlFindingIdOf(region, accountId, target.standard, controlId, resourceId);

/** The target a finding Id was written for (undefined for an Id of no known shape). */
export function controlFindingTargetOf(findingId: string): ControlFindingTarget | undefined {
  if (/:security-control\//.test(findingId)) return { kind: 'security-control' };
  const standard = standardCatalogue.find((s) => findingId.includes(`:subscription/${s.path}/`));
  return standard === undefined ? undefined : { kind: 'standard', standard };
}

/** Security Hub's own product ARN in a Region. */
export const securityHubProductArnOf = (region: string): string =>
  `arn:aws:securityhub:${region}::product/aws/securityhub`;

/** What the finding says besides its times: a change here is a change worth a new finding version. */
export function evaluationFingerprint(
  evaluation: ResourceEvaluation,
  standardsIds: readonly string[],
  archived: boolean,
  generator: ControlFindingGenerator = 'SECURITY_CONTROL',
): string {
  // The consolidated shape keeps the fingerprint it had before the generator was part of it.
  const parts: unknown[] = [
    evaluation.result,
    evaluation.annotation,
    evaluation.resource,
    standardsIds,
    archived,
  ];
  if (generator === 'STANDARD_CONTROL') parts.push(generator);
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

/** The finding document for an evaluation. */
export function controlFinding(input: {
  control: ControlDefinition;
  evaluation: ResourceEvaluation;
  accountId: string;
  region: string;
  standardsIds: readonly string[];
  parameters: Record<string, number | string>;
  createdAt: Date;
  now: Date;
  archived: boolean;
  /** Consolidated (the default) or one standard's finding. */
  target?: ControlFindingTarget;
}): Record<string, unknown> {
  const { control, evaluation, accountId, region } = input;
  const target = input.target ?? { kind: 'security-control' };
  const ruleName = `securityhub-${control.ruleName}-${stableUuid(accountId, region, control.id).slice(0, 8)}`;
  const status = complianceStatusOf(evaluation);
  const now = input.now.toISOString();
  const parameterEntries = Object.entries(input.parameters).filter(([, value]) => String(value) !== '');
  const perStandard =
    target.kind === 'standard'
      ? {
          generatorId: `${target.standard.path}/${control.id}`,
          title: `${control.id} ${control.title}`,
          productFields: {
            StandardsArn: `arn:aws:securityhub:::standards/${target.standard.path}`,
            StandardsSubscriptionArn: subscriptionArnOf(region, accountId, target.standard),
            ControlId: control.id,
            RecommendationUrl: remediationUrlOf(control.id),
            StandardsControlArn: standardsControlArnOf(region, accountId, target.standard, control.id),
          },
          standardsIds: [standardsIdOf(target.standard)],
        }
      : undefined;
  return {
    SchemaVersion: '2018-10-08',
    Id: controlFindingIdFor(target, region, accountId, control.id, evaluation.resourceId),
    ProductArn: securityHubProductArnOf(region),
    GeneratorId: perStandard?.generatorId ?? `security-control/${control.id}`,
    AwsAccountId: accountId,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    FirstObservedAt: input.createdAt.toISOString(),
    LastObservedAt: now,
    CreatedAt: input.createdAt.toISOString(),
    UpdatedAt: now,
    Severity: { Label: status === 'FAILED' ? control.severity : 'INFORMATIONAL', Original: control.severity },
    Title: perStandard?.title ?? control.title,
    Description: control.description,
    Remediation: { Recommendation: { Text: control.remediation, Url: remediationUrlOf(control.id) } },
    ProductFields: {
      ...perStandard?.productFields,
      'RelatedAWSResources:0/name': ruleName,
      'RelatedAWSResources:0/type': 'AWS::Config::ConfigRule',
      'Resources:0/Id': evaluation.resourceId,
      Annotation: evaluation.annotation,
    },
    Resources: [evaluation.resource],
    Compliance: {
      Status: status,
      SecurityControlId: control.id,
      AssociatedStandards: (perStandard?.standardsIds ?? input.standardsIds).map((StandardsId) => ({
        StandardsId,
      })),
      ...(perStandard === undefined ? { RelatedRequirements: [...control.relatedRequirements] } : {}),
      ...(parameterEntries.length === 0
        ? {}
        : {
            SecurityControlParameters: parameterEntries.map(([Name, value]) => ({
              Name,
              Value: [String(value)],
            })),
          }),
      ...(status === 'NOT_AVAILABLE'
        ? {
            StatusReasons: [
              { ReasonCode: 'CONFIG_RETURNS_NOT_APPLICABLE', Description: evaluation.annotation },
            ],
          }
        : {}),
    },
    RecordState: input.archived ? 'ARCHIVED' : 'ACTIVE',
  };
}
