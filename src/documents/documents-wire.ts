/** The AWS shapes of SSM documents: zod input schemas and output mappers. */
import { z } from 'zod';
import { toEpochSeconds } from '../protocols/ssm/index.js';
import type { VisibleDocument } from './document-listing.js';
import { documentTypes, type DocumentAtVersion, type DocumentParameter } from './documents-model.js';

const documentName = z.string().min(1).max(256);
export const versionSelector = z.string().regex(/^(\$DEFAULT|\$LATEST|[$]ALL|[1-9][0-9]*)$/);
const versionName = z.string().regex(/^[a-zA-Z0-9_\-.]{1,128}$/);
export const tagList = z
  .array(z.object({ Key: z.string().min(1).max(128), Value: z.string().max(256) }))
  .max(1000);
const documentFormat = z.enum(['JSON', 'YAML', 'TEXT']);
export const nextToken = z.string().max(1024);

export const createDocumentSchema = z.object({
  Content: z.string().min(1),
  Name: z.string(),
  DocumentType: z.enum(documentTypes).optional(),
  DocumentFormat: documentFormat.optional(),
  VersionName: versionName.optional(),
  DisplayName: z.string().max(1024).optional(),
  TargetType: z
    .string()
    .max(200)
    .regex(/^\/[\w.\-:/]*$/)
    .optional(),
  Tags: tagList.optional(),
  Requires: z.array(z.unknown()).optional(),
  Attachments: z.array(z.unknown()).optional(),
});

export const documentSelectorSchema = z.object({
  Name: documentName,
  DocumentVersion: versionSelector.optional(),
  VersionName: versionName.optional(),
  DocumentFormat: documentFormat.optional(),
});

export const updateDocumentSchema = z.object({
  Content: z.string().min(1),
  Name: documentName,
  DocumentVersion: versionSelector.optional(),
  VersionName: versionName.optional(),
  DocumentFormat: documentFormat.optional(),
  DisplayName: z.string().max(1024).optional(),
  TargetType: z.string().max(200).optional(),
  Attachments: z.array(z.unknown()).optional(),
});

export const updateDocumentDefaultVersionSchema = z.object({
  Name: documentName,
  DocumentVersion: z.string().regex(/^(\$DEFAULT|\$LATEST|[1-9][0-9]*)$/),
});

export const deleteDocumentSchema = z.object({
  Name: documentName,
  DocumentVersion: versionSelector.optional(),
  VersionName: versionName.optional(),
  Force: z.boolean().optional(),
});

export const listDocumentsSchema = z.object({
  DocumentFilterList: z
    .array(
      z.object({ key: z.enum(['Name', 'Owner', 'PlatformTypes', 'DocumentType']), value: z.string().min(1) }),
    )
    .min(1)
    .optional(),
  Filters: z
    .array(
      z.object({ Key: z.string().min(1).max(128), Values: z.array(z.string().max(256)).max(20).optional() }),
    )
    .max(6)
    .optional(),
  MaxResults: z.number().int().min(1).max(50).optional(),
  NextToken: nextToken.optional(),
});

export const listDocumentVersionsSchema = z.object({
  Name: documentName,
  MaxResults: z.number().int().min(1).max(50).optional(),
  NextToken: nextToken.optional(),
});

const accountIdOrAll = z.string().regex(/^(all|[0-9]{12})$/i);

export const modifyDocumentPermissionSchema = z.object({
  Name: documentName,
  PermissionType: z.string(),
  AccountIdsToAdd: z.array(accountIdOrAll).max(20).optional(),
  AccountIdsToRemove: z.array(accountIdOrAll).max(20).optional(),
  SharedDocumentVersion: z.string().max(8).optional(),
});

export const describeDocumentPermissionSchema = z.object({
  Name: documentName,
  PermissionType: z.string(),
  MaxResults: z.number().int().min(1).max(200).optional(),
  NextToken: nextToken.optional(),
});

/** `shape` without its undefined members. */
export const definedOnly = <T extends Record<string, unknown>>(shape: T): T =>
  Object.fromEntries(Object.entries(shape).filter(([, v]) => v !== undefined)) as T;

function defaultValueText(parameter: DocumentParameter): string | undefined {
  const value = parameter.defaultValue;
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const tagsToWire = (tags: Record<string, string>): { Key: string; Value: string }[] =>
  Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** DocumentDescription. */
export function toDocumentDescription(
  { document, version }: DocumentAtVersion,
  tags: Record<string, string>,
): Record<string, unknown> {
  return definedOnly({
    Sha1: undefined,
    Hash: version.hash,
    HashType: 'Sha256',
    Name: document.name,
    DisplayName: document.displayName,
    VersionName: version.versionName,
    Owner: document.owner,
    CreatedDate: toEpochSeconds(document.createdAt),
    Status: 'Active',
    DocumentVersion: String(version.version),
    Description: version.description,
    Parameters: version.parameters.map((p) =>
      definedOnly({
        Name: p.name,
        Type: p.type,
        Description: p.description,
        DefaultValue: defaultValueText(p),
      }),
    ),
    PlatformTypes: version.platformTypes,
    DocumentType: document.documentType,
    SchemaVersion: version.schemaVersion,
    LatestVersion: String(document.latestVersion),
    DefaultVersion: String(document.defaultVersion),
    DocumentFormat: version.format,
    TargetType: document.targetType,
    Tags: tagsToWire(tags),
  });
}

/** DocumentIdentifier (ListDocuments). */
export function toDocumentIdentifier(
  visible: VisibleDocument,
  tags: Record<string, string>,
): Record<string, unknown> {
  const { document, version } = visible;
  return definedOnly({
    Name: document.name,
    CreatedDate: toEpochSeconds(document.createdAt),
    DisplayName: document.displayName,
    Owner: document.owner,
    VersionName: version.versionName,
    PlatformTypes: version.platformTypes,
    DocumentVersion: String(version.version),
    DocumentType: document.documentType,
    SchemaVersion: version.schemaVersion,
    DocumentFormat: version.format,
    TargetType: document.targetType,
    Tags: tagsToWire(tags),
  });
}

/** GetDocument's output. */
export function toGetDocumentOutput({ document, version }: DocumentAtVersion): Record<string, unknown> {
  return definedOnly({
    Name: document.name,
    CreatedDate: toEpochSeconds(document.createdAt),
    DisplayName: document.displayName,
    VersionName: version.versionName,
    DocumentVersion: String(version.version),
    Status: 'Active',
    Content: version.content,
    DocumentType: document.documentType,
    DocumentFormat: version.format,
  });
}
