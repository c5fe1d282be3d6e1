/** The awsJson1_1 routes of SSM documents, and of the whole capability (documents, settings, associations). */
import { awsJsonRoute, type AwsJsonRoute } from '../protocols/index.js';
import { ssmError, ssmService } from '../protocols/ssm/index.js';
import type { AssociationsService } from './associations-service.js';
import { associationsRoutes } from './associations-routes.js';
import { documentListRoutes } from './document-list-routes.js';
import { documentResource } from './document-reference.js';
import { documentSharingRoutes } from './document-sharing-routes.js';
import type { DocumentsService } from './documents-service.js';
import {
  createDocumentSchema,
  deleteDocumentSchema,
  documentSelectorSchema,
  toDocumentDescription,
  toGetDocumentOutput,
  updateDocumentDefaultVersionSchema,
  updateDocumentSchema,
} from './documents-wire.js';
import { serviceSettingsRoutes } from './service-settings-routes.js';
import type { ServiceSettingsService } from './service-settings-service.js';

const tagsOf = (tags: { Key: string; Value: string }[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key, t.Value]));

/** Routes of the document, service-setting and association operations. */
export function documentsRoutes(
  documents: DocumentsService,
  settings: ServiceSettingsService,
  associations: AssociationsService,
): AwsJsonRoute[] {
  return [
    ...documentChangeRoutes(documents),
    ...documentReadRoutes(documents),
    ...documentListRoutes(documents),
    ...documentSharingRoutes(documents),
    ...serviceSettingsRoutes(settings),
    ...associationsRoutes(associations),
  ];
}

/** CreateDocument, UpdateDocument, UpdateDocumentDefaultVersion, DeleteDocument. */
function documentChangeRoutes(documents: DocumentsService): AwsJsonRoute[] {
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
  ];
}

/** DescribeDocument, GetDocument. */
function documentReadRoutes(documents: DocumentsService): AwsJsonRoute[] {
  return [
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
  ];
}
