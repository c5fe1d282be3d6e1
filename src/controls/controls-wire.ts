/** Request schemas and response shapes of the standards and security control operations (spec §7.2–7.3). */
import { z } from 'zod';
import { remediationUrlOf, type ControlDefinition } from './catalogue.js';
import type { SecurityScore } from './security-score.js';
import type {
  AssociationView,
  SecurityControlView,
  StandardsControlView,
  SubscriptionView,
} from './standards-views.js';
import type { StandardDefinition } from './standards.js';

const arn = z.string().min(1).max(2048);
const nextToken = z.string().max(4096).optional();
const maxResults = z.number({ error: 'must be an integer' }).int().min(1).max(100).optional();

export const describeStandardsSchema = z.object({ NextToken: nextToken, MaxResults: maxResults });

export const batchEnableStandardsSchema = z.object({
  StandardsSubscriptionRequests: z
    .array(z.object({ StandardsArn: arn, StandardsInput: z.record(z.string(), z.string()).optional() }))
    .min(1)
    .max(25),
});

export const batchDisableStandardsSchema = z.object({
  StandardsSubscriptionArns: z.array(arn).min(1).max(25),
});

export const getEnabledStandardsSchema = z.object({
  StandardsSubscriptionArns: z.array(arn).min(1).max(25).optional(),
  NextToken: nextToken,
  MaxResults: maxResults,
});

export const describeStandardsControlsSchema = z.object({
  StandardsSubscriptionArn: arn,
  NextToken: nextToken,
  MaxResults: maxResults,
});

export const updateStandardsControlSchema = z.object({
  StandardsControlArn: arn,
  ControlStatus: z.enum(['ENABLED', 'DISABLED']).optional(),
  DisabledReason: z.string().max(1024).optional(),
});

export const listSecurityControlDefinitionsSchema = z.object({
  StandardsArn: arn.optional(),
  NextToken: nextToken,
  MaxResults: maxResults,
});

export const getSecurityControlDefinitionSchema = z.object({
  SecurityControlId: z.string().min(1).max(2048),
});

export const batchGetSecurityControlsSchema = z.object({
  SecurityControlIds: z.array(z.string().min(1).max(2048)).min(1).max(100),
});

export const updateSecurityControlSchema = z.object({
  SecurityControlId: z.string().min(1).max(2048),
  Parameters: z.record(
    z.string(),
    z.object({
      ValueType: z.enum(['DEFAULT', 'CUSTOM']),
      Value: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  LastUpdateReason: z
    .string()
    .max(500)
    // eslint-disable-next-line no-control-regex -- the model's pattern: any non-ASCII character, or these ASCII ones
    .regex(/^([^\u0000-\u007F]|[-_ a-zA-Z0-9])+$/, 'may hold only letters, digits, spaces, - and _')
    .optional(),
});

export const listStandardsControlAssociationsSchema = z.object({
  SecurityControlId: z.string().min(1).max(2048),
  NextToken: nextToken,
  MaxResults: maxResults,
});

const associationId = z.object({ SecurityControlId: z.string().min(1).max(2048), StandardsArn: arn });

export const batchGetStandardsControlAssociationsSchema = z.object({
  StandardsControlAssociationIds: z.array(associationId).min(1).max(100),
});

export const batchUpdateStandardsControlAssociationsSchema = z.object({
  StandardsControlAssociationUpdates: z
    .array(
      associationId.extend({
        AssociationStatus: z.enum(['ENABLED', 'DISABLED']),
        UpdatedReason: z.string().max(1024).optional(),
      }),
    )
    .min(1)
    .max(100),
});

/** A StandardsControlAssociationSummary (List) or, with `detail`, a StandardsControlAssociationDetail. */
export function toWireAssociation(view: AssociationView, detail: boolean): Record<string, unknown> {
  return {
    StandardsArn: view.standardsArn,
    SecurityControlId: view.control.id,
    SecurityControlArn: view.securityControlArn,
    AssociationStatus: view.status,
    RelatedRequirements: [...view.control.relatedRequirements],
    UpdatedAt: view.updatedAt.toISOString(),
    ...(view.updatedReason === undefined ? {} : { UpdatedReason: view.updatedReason }),
    StandardsControlTitle: view.control.title,
    StandardsControlDescription: view.control.description,
    ...(detail ? { StandardsControlArns: [view.standardsControlArn] } : {}),
  };
}

export function toWireStandard(standard: StandardDefinition, standardsArn: string): Record<string, unknown> {
  return {
    StandardsArn: standardsArn,
    Name: standard.name,
    Description: standard.description,
    EnabledByDefault: standard.enabledByDefault,
    StandardsManagedBy: { Company: standard.managedBy.company, Product: standard.managedBy.product },
  };
}

export function toWireSubscription(view: SubscriptionView): Record<string, unknown> {
  return {
    StandardsSubscriptionArn: view.subscriptionArn,
    StandardsArn: view.standardsArn,
    StandardsInput: view.standardsInput,
    StandardsStatus: view.status,
    StandardsControlsUpdatable: view.status === 'READY' ? 'READY_FOR_UPDATES' : 'NOT_READY_FOR_UPDATES',
  };
}

export function toWireStandardsControl(view: StandardsControlView): Record<string, unknown> {
  return {
    StandardsControlArn: view.standardsControlArn,
    ControlStatus: view.status,
    ...(view.disabledReason === undefined ? {} : { DisabledReason: view.disabledReason }),
    ControlStatusUpdatedAt: view.updatedAt.toISOString(),
    ControlId: view.control.id,
    Title: view.control.title,
    Description: view.control.description,
    RemediationUrl: remediationUrlOf(view.control.id),
    SeverityRating: view.control.severity,
    RelatedRequirements: [...view.control.relatedRequirements],
  };
}

function parameterDefinitions(control: ControlDefinition): Record<string, unknown> {
  return Object.fromEntries(
    control.parameters.map((parameter) => [
      parameter.name,
      {
        IsRequired: false,
        Description: parameter.description,
        ConfigurationOptions:
          parameter.valueType === 'Integer'
            ? { Integer: { DefaultValue: parameter.default, Min: parameter.min, Max: parameter.max } }
            : { String: { DefaultValue: parameter.default, Re2Expression: parameter.pattern.source } },
      },
    ]),
  );
}

export function toWireControlDefinition(control: ControlDefinition): Record<string, unknown> {
  return {
    SecurityControlId: control.id,
    Title: control.title,
    Description: control.description,
    RemediationUrl: remediationUrlOf(control.id),
    SeverityRating: control.severity,
    CurrentRegionAvailability: 'AVAILABLE',
    ...(control.parameters.length === 0
      ? {}
      : { CustomizableProperties: ['Parameters'], ParameterDefinitions: parameterDefinitions(control) }),
  };
}

export function toWireSecurityControl(view: SecurityControlView): Record<string, unknown> {
  return {
    SecurityControlId: view.control.id,
    SecurityControlArn: view.arn,
    Title: view.control.title,
    Description: view.control.description,
    RemediationUrl: remediationUrlOf(view.control.id),
    SeverityRating: view.control.severity,
    SecurityControlStatus: view.status,
    UpdateStatus: 'READY',
    Parameters: view.parameters,
    ...(view.lastUpdateReason === undefined ? {} : { LastUpdateReason: view.lastUpdateReason }),
  };
}

/** Bulwark's GetSecurityScore response member (the console's score, as an API). */
export function toWireSecurityScore(score: SecurityScore): Record<string, unknown> {
  const figures = (f: {
    passedControls: number;
    controlsWithData: number;
    enabledControls: number;
    score: number | undefined;
  }) => ({
    PassedControls: f.passedControls,
    ControlsWithData: f.controlsWithData,
    EnabledControls: f.enabledControls,
    ...(f.score === undefined ? {} : { Score: f.score }),
  });
  return {
    AccountId: score.accountId,
    Region: score.region,
    ...figures(score),
    Standards: score.standards.map((standard) => ({
      StandardsArn: standard.standardsArn,
      Name: standard.name,
      ...figures(standard),
    })),
    Controls: Object.entries(score.controls).map(([SecurityControlId, Status]) => ({
      SecurityControlId,
      Status,
    })),
  };
}
