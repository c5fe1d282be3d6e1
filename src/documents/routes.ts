/** The awsJson1_1 routes of SSM documents, service settings and State Manager associations. */
import { awsJsonRoute } from '../protocols/index.js';
import type { AwsJsonRoute } from '../protocols/index.js';
import { managedInstanceArn } from '../fleet/index.js';
import { ssmError, ssmService } from '../protocols/ssm/index.js';
import type { AssociationInput, AssociationsService } from './associations-service.js';
import {
  documentArn,
  isDocumentFilterKey,
  parseDocumentReference,
  type DocumentFilter,
  type DocumentsService,
} from './documents-service.js';
import type { AssociationTarget } from './model.js';
import type { ServiceSettingsService } from './service-settings-service.js';
import {
  associationLocatorSchema,
  createAssociationSchema,
  createDocumentSchema,
  describeInstanceAssociationsStatusSchema,
  listInstanceAssociationsSchema,
  startAssociationsOnceSchema,
  toInstanceAssociation,
  toInstanceAssociationStatusInfo,
  updateInstanceAssociationStatusSchema,
  deleteDocumentSchema,
  describeAssociationExecutionTargetsSchema,
  describeAssociationExecutionsSchema,
  describeDocumentPermissionSchema,
  documentSelectorSchema,
  listAssociationVersionsSchema,
  listAssociationsSchema,
  listDocumentVersionsSchema,
  listDocumentsSchema,
  modifyDocumentPermissionSchema,
  page,
  settingIdSchema,
  toAssociationDescription,
  toAssociationExecution,
  toAssociationExecutionTarget,
  toAssociationListItem,
  toAssociationVersionInfo,
  toDocumentDescription,
  toDocumentIdentifier,
  toGetDocumentOutput,
  toServiceSetting,
  updateAssociationSchema,
  updateAssociationStatusSchema,
  updateDocumentDefaultVersionSchema,
  updateDocumentSchema,
  updateServiceSettingSchema,
} from './wire.js';

const documentResource = (scope: { accountId: string; region: string }, input: { Name: string }): string =>
  documentArn(parseDocumentReference(input.Name, scope));

const associationResource = (
  scope: { accountId: string; region: string },
  input: { AssociationId?: string | undefined },
): string =>
  input.AssociationId === undefined
    ? '*'
    : `arn:aws:ssm:${scope.region}:${scope.accountId}:association/${input.AssociationId}`;

const instanceResource = (
  scope: { accountId: string; region: string },
  input: { InstanceId: string },
): string => managedInstanceArn(scope.region, scope.accountId, input.InstanceId);

const requireShare = (permissionType: string): void => {
  if (permissionType !== 'Share')
    throw ssmError('InvalidPermissionType', `PermissionType ${permissionType} is not valid; use Share.`);
};

const tagsOf = (tags: { Key: string; Value: string }[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key, t.Value]));

interface WireAssociationFields {
  DocumentVersion?: string | undefined;
  Parameters?: Record<string, string[]> | undefined;
  Targets?: { Key: string; Values?: string[] | undefined }[] | undefined;
  ScheduleExpression?: string | undefined;
  ScheduleOffset?: number | undefined;
  AssociationName?: string | undefined;
  ComplianceSeverity?: AssociationInput['complianceSeverity'];
  SyncCompliance?: 'AUTO' | 'MANUAL' | undefined;
  MaxConcurrency?: string | undefined;
  MaxErrors?: string | undefined;
  ApplyOnlyAtCronInterval?: boolean | undefined;
  OutputLocation?: unknown;
  CalendarNames?: string[] | undefined;
  TargetLocations?: unknown[] | undefined;
  TargetMaps?: unknown[] | undefined;
  Duration?: number | undefined;
  AutomationTargetParameterName?: string | undefined;
}

function fromWireAssociation(input: WireAssociationFields): AssociationInput {
  const targets: AssociationTarget[] | undefined = input.Targets?.map((t) => ({
    key: t.Key,
    values: t.Values ?? [],
  }));
  return {
    documentVersion: input.DocumentVersion,
    targets,
    parameters: input.Parameters,
    scheduleExpression: input.ScheduleExpression,
    scheduleOffset: input.ScheduleOffset,
    associationName: input.AssociationName,
    complianceSeverity: input.ComplianceSeverity,
    syncCompliance: input.SyncCompliance,
    maxConcurrency: input.MaxConcurrency,
    maxErrors: input.MaxErrors,
    applyOnlyAtCronInterval: input.ApplyOnlyAtCronInterval,
    outputLocation: input.OutputLocation,
    calendarNames: input.CalendarNames,
    targetLocations: input.TargetLocations,
    targetMaps: input.TargetMaps,
    duration: input.Duration,
    automationTargetParameterName: input.AutomationTargetParameterName,
  };
}

/** Routes of the document, service-setting and association operations. */
export function documentsRoutes(
  documents: DocumentsService,
  settings: ServiceSettingsService,
  associations: AssociationsService,
): AwsJsonRoute[] {
  return [
    awsJsonRoute(ssmService, {
      name: 'CreateDocument',
      schema: createDocumentSchema,
      resource: documentResource,
      handle: async (ctx, input) => {
        const created = await documents.create(ctx, {
          name: input.Name,
          content: input.Content,
          documentType: input.DocumentType ?? 'Command',
          documentFormat: input.DocumentFormat ?? 'JSON',
          versionName: input.VersionName,
          displayName: input.DisplayName,
          targetType: input.TargetType,
          tags: tagsOf(input.Tags),
        });
        return { DocumentDescription: toDocumentDescription(created, created.document.tags) };
      },
      auditParameters: (input) => ({
        name: input.Name,
        documentType: input.DocumentType,
        documentFormat: input.DocumentFormat,
      }),
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribeDocument',
      schema: documentSelectorSchema,
      resource: documentResource,
      handle: async (ctx, input) => {
        const found = await documents.resolve(ctx, input.Name, {
          documentVersion: input.DocumentVersion,
          versionName: input.VersionName,
        });
        return { Document: toDocumentDescription(found, found.document.tags) };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'GetDocument',
      schema: documentSelectorSchema,
      resource: documentResource,
      handle: async (ctx, input) => {
        const found = await documents.resolve(ctx, input.Name, {
          documentVersion: input.DocumentVersion,
          versionName: input.VersionName,
        });
        if (input.DocumentFormat !== undefined && input.DocumentFormat !== found.version.format) {
          throw ssmError(
            'InvalidDocumentOperation',
            `Converting documents to ${input.DocumentFormat} is not supported by this server.`,
          );
        }
        return toGetDocumentOutput(found);
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'UpdateDocument',
      schema: updateDocumentSchema,
      resource: documentResource,
      handle: async (ctx, input) => {
        const updated = await documents.update(ctx, {
          name: input.Name,
          content: input.Content,
          documentFormat: input.DocumentFormat ?? 'JSON',
          documentVersion: input.DocumentVersion,
          versionName: input.VersionName,
          displayName: input.DisplayName,
          targetType: input.TargetType,
        });
        return { DocumentDescription: toDocumentDescription(updated, updated.document.tags) };
      },
      auditParameters: (input) => ({ name: input.Name, documentVersion: input.DocumentVersion }),
    }),
    awsJsonRoute(ssmService, {
      name: 'UpdateDocumentDefaultVersion',
      schema: updateDocumentDefaultVersionSchema,
      resource: documentResource,
      handle: async (ctx, input) => {
        const { document, version } = await documents.updateDefaultVersion(
          ctx,
          input.Name,
          input.DocumentVersion,
        );
        return {
          Description: {
            Name: document.name,
            DefaultVersion: String(document.defaultVersion),
            ...(version.versionName === undefined ? {} : { DefaultVersionName: version.versionName }),
          },
        };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DeleteDocument',
      schema: deleteDocumentSchema,
      resource: documentResource,
      handle: async (ctx, input) => {
        await documents.delete(ctx, input.Name, {
          documentVersion: input.DocumentVersion,
          versionName: input.VersionName,
        });
        return {};
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'ListDocuments',
      schema: listDocumentsSchema,
      handle: async (ctx, input) => {
        if (input.Filters !== undefined && input.DocumentFilterList !== undefined) {
          throw ssmError('ValidationException', "Filters and DocumentFilterList can't be used together.");
        }
        const filters: DocumentFilter[] =
          input.Filters?.map((f) => ({ key: f.Key, values: f.Values ?? [] })) ??
          input.DocumentFilterList?.map((f) => ({ key: f.key, values: [f.value] })) ??
          [];
        const bad = filters.find((f) => !isDocumentFilterKey(f.key));
        if (bad !== undefined) throw ssmError('InvalidFilterKey', `Filter key ${bad.key} is not valid.`);
        const all = await documents.list(ctx, filters);
        const { items, nextToken } = page(all, input.MaxResults ?? 50, input.NextToken);
        return {
          DocumentIdentifiers: items.map((d) => toDocumentIdentifier(d, d.document.tags)),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'ListDocumentVersions',
      schema: listDocumentVersionsSchema,
      resource: documentResource,
      handle: async (ctx, input) => {
        const { document, versions } = await documents.listVersions(ctx, input.Name);
        const { items, nextToken } = page([...versions].reverse(), input.MaxResults ?? 50, input.NextToken);
        return {
          DocumentVersions: items.map((v) => ({
            Name: document.name,
            ...(document.displayName === undefined ? {} : { DisplayName: document.displayName }),
            DocumentVersion: String(v.version),
            ...(v.versionName === undefined ? {} : { VersionName: v.versionName }),
            CreatedDate: v.createdAt.getTime() / 1000,
            IsDefaultVersion: v.version === document.defaultVersion,
            DocumentFormat: v.format,
            Status: 'Active',
          })),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'ModifyDocumentPermission',
      schema: modifyDocumentPermissionSchema,
      resource: documentResource,
      handle: async (ctx, input) => {
        requireShare(input.PermissionType);
        if ((input.AccountIdsToAdd ?? []).length === 0 && (input.AccountIdsToRemove ?? []).length === 0) {
          throw ssmError('ValidationException', 'Specify AccountIdsToAdd or AccountIdsToRemove.');
        }
        await documents.modifyPermission(ctx, {
          name: input.Name,
          add: input.AccountIdsToAdd ?? [],
          remove: input.AccountIdsToRemove ?? [],
          sharedVersion: input.SharedDocumentVersion,
        });
        return {};
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribeDocumentPermission',
      schema: describeDocumentPermissionSchema,
      resource: documentResource,
      handle: async (ctx, input) => {
        requireShare(input.PermissionType);
        const shares = await documents.describePermission(ctx, input.Name);
        const { items, nextToken } = page(shares, input.MaxResults ?? 200, input.NextToken);
        return {
          AccountIds: items.map((s) => s.accountId),
          AccountSharingInfoList: items.map((s) => ({
            AccountId: s.accountId,
            SharedDocumentVersion: s.sharedVersion,
          })),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'GetServiceSetting',
      schema: settingIdSchema,
      handle: async (ctx, input) => ({
        ServiceSetting: toServiceSetting(await settings.get(ctx, input.SettingId)),
      }),
    }),
    awsJsonRoute(ssmService, {
      name: 'UpdateServiceSetting',
      schema: updateServiceSettingSchema,
      handle: async (ctx, input) => {
        await settings.update(ctx, input.SettingId, input.SettingValue);
        return {};
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'ResetServiceSetting',
      schema: settingIdSchema,
      handle: async (ctx, input) => ({
        ServiceSetting: toServiceSetting(await settings.reset(ctx, input.SettingId)),
      }),
    }),
    awsJsonRoute(ssmService, {
      name: 'CreateAssociation',
      schema: createAssociationSchema,
      handle: async (ctx, input) => {
        const view = await associations.create(ctx, {
          ...fromWireAssociation(input),
          name: input.Name,
          instanceId: input.InstanceId,
        });
        return { AssociationDescription: toAssociationDescription(view) };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribeAssociation',
      schema: associationLocatorSchema,
      resource: associationResource,
      handle: async (ctx, input) => {
        const view = await associations.describe(ctx, {
          associationId: input.AssociationId,
          name: input.Name,
          instanceId: input.InstanceId,
          associationVersion: input.AssociationVersion,
        });
        return { AssociationDescription: toAssociationDescription(view) };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'UpdateAssociation',
      schema: updateAssociationSchema,
      resource: associationResource,
      handle: async (ctx, input) => {
        const view = await associations.update(ctx, {
          ...fromWireAssociation(input),
          associationId: input.AssociationId,
          name: input.Name,
          associationVersion: input.AssociationVersion,
        });
        return { AssociationDescription: toAssociationDescription(view) };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DeleteAssociation',
      schema: associationLocatorSchema,
      resource: associationResource,
      handle: async (ctx, input) => {
        await associations.delete(ctx, {
          associationId: input.AssociationId,
          name: input.Name,
          instanceId: input.InstanceId,
        });
        return {};
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'ListAssociations',
      schema: listAssociationsSchema,
      handle: async (ctx, input) => {
        const views = await associations.list(ctx, input.AssociationFilterList ?? []);
        const { items, nextToken } = page(views, input.MaxResults ?? 50, input.NextToken);
        return {
          Associations: items.map(toAssociationListItem),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'ListAssociationVersions',
      schema: listAssociationVersionsSchema,
      resource: associationResource,
      handle: async (ctx, input) => {
        const versions = await associations.listVersions(ctx, input.AssociationId);
        const { items, nextToken } = page(versions, input.MaxResults ?? 50, input.NextToken);
        return {
          AssociationVersions: items.map((v) => toAssociationVersionInfo(input.AssociationId, v)),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribeAssociationExecutions',
      schema: describeAssociationExecutionsSchema,
      resource: associationResource,
      handle: async (ctx, input) => {
        const executions = (await associations.executions(ctx, input.AssociationId)).filter((e) =>
          (input.Filters ?? []).every((filter) => {
            const type = filter.Type ?? 'EQUAL';
            if (filter.Key === 'ExecutionId') return e.executionId === filter.Value;
            if (filter.Key === 'Status') return e.status === filter.Value;
            if (filter.Key === 'CreatedTime') {
              const at = Number.isFinite(Number(filter.Value))
                ? Number(filter.Value) * 1000
                : Date.parse(filter.Value);
              if (Number.isNaN(at))
                throw ssmError('ValidationException', 'CreatedTime must be a date and time.');
              const created = e.createdAt.getTime();
              return type === 'LESS_THAN'
                ? created < at
                : type === 'GREATER_THAN'
                  ? created > at
                  : created === at;
            }
            throw ssmError('ValidationException', `Unknown filter key ${filter.Key}.`);
          }),
        );
        const { items, nextToken } = page(executions, input.MaxResults ?? 50, input.NextToken);
        return {
          AssociationExecutions: items.map(toAssociationExecution),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribeAssociationExecutionTargets',
      schema: describeAssociationExecutionTargetsSchema,
      resource: associationResource,
      handle: async (ctx, input) => {
        const targets = (
          await associations.executionTargets(ctx, input.AssociationId, input.ExecutionId)
        ).filter((t) =>
          (input.Filters ?? []).every((filter) =>
            filter.Key === 'Status'
              ? t.status === filter.Value
              : filter.Key === 'ResourceId'
                ? t.instanceId === filter.Value
                : filter.Value === 'ManagedInstance',
          ),
        );
        const { items, nextToken } = page(targets, input.MaxResults ?? 50, input.NextToken);
        return {
          AssociationExecutionTargets: items.map(toAssociationExecutionTarget),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'UpdateAssociationStatus',
      schema: updateAssociationStatusSchema,
      handle: async (ctx, input) => {
        const view = await associations.updateLegacyStatus(ctx, input.Name, input.InstanceId, {
          name: input.AssociationStatus.Name,
          message: input.AssociationStatus.Message,
          date: new Date(input.AssociationStatus.Date * 1000),
          additionalInfo: input.AssociationStatus.AdditionalInfo,
        });
        return { AssociationDescription: toAssociationDescription(view) };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'StartAssociationsOnce',
      schema: startAssociationsOnceSchema,
      handle: async (ctx, input) => {
        await associations.startOnce(ctx, input.AssociationIds);
        return {};
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'ListInstanceAssociations',
      schema: listInstanceAssociationsSchema,
      resource: instanceResource,
      handle: async (ctx, input) => {
        const all = await associations.instanceAssociations(ctx, input.InstanceId);
        const { items, nextToken } = page(all, input.MaxResults ?? 50, input.NextToken);
        return {
          Associations: items.map((item) => toInstanceAssociation(input.InstanceId, item)),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'DescribeInstanceAssociationsStatus',
      schema: describeInstanceAssociationsStatusSchema,
      resource: instanceResource,
      handle: async (ctx, input) => {
        const all = await associations.instanceStatuses(ctx, input.InstanceId);
        const { items, nextToken } = page(all, input.MaxResults ?? 50, input.NextToken);
        return {
          InstanceAssociationStatusInfos: items.map(toInstanceAssociationStatusInfo),
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        };
      },
    }),
    awsJsonRoute(ssmService, {
      name: 'UpdateInstanceAssociationStatus',
      schema: updateInstanceAssociationStatusSchema,
      resource: instanceResource,
      handle: async (ctx, input) => {
        const status = await associations.updateInstanceStatus(ctx, input.AssociationId, input.InstanceId, {
          status: input.ExecutionResult.Status,
          errorCode: input.ExecutionResult.ErrorCode,
          executionSummary: input.ExecutionResult.ExecutionSummary,
          executionDate: new Date(input.ExecutionResult.ExecutionDate * 1000),
        });
        return { InstanceAssociationStatusInfo: toInstanceAssociationStatusInfo(status) };
      },
    }),
  ];
}
