/** The awsJson1_1 routes listing documents: ListDocuments and ListDocumentVersions, keyset-paged. */
import type { AwsJsonRoute } from '../protocols/index.js';
import { ssmError, ssmListOperation } from '../protocols/ssm/index.js';
import { documentResource } from './document-reference.js';
import { isDocumentFilterKey, visibleDocumentKey, type DocumentFilter } from './document-listing.js';
import { listedVersionKey, type DocumentsService } from './documents-service.js';
import { listDocumentVersionsSchema, listDocumentsSchema, toDocumentIdentifier } from './documents-wire.js';

/** ListDocuments' filters from either request form; InvalidFilterKey for a key it doesn't know. */
function documentFilters(input: {
  Filters?: { Key: string; Values?: string[] | undefined }[] | undefined;
  DocumentFilterList?: { key: string; value: string }[] | undefined;
}): DocumentFilter[] {
  if (input.Filters !== undefined && input.DocumentFilterList !== undefined) {
    throw ssmError('ValidationException', "Filters and DocumentFilterList can't be used together.");
  }
  const filters: DocumentFilter[] =
    input.Filters?.map((f) => ({ key: f.Key, values: f.Values ?? [] })) ??
    input.DocumentFilterList?.map((f) => ({ key: f.key, values: [f.value] })) ??
    [];
  const bad = filters.find((f) => !isDocumentFilterKey(f.key));
  if (bad !== undefined) throw ssmError('InvalidFilterKey', `Filter key ${bad.key} is not valid.`);
  return filters;
}

/** Routes of ListDocuments and ListDocumentVersions. */
export function documentListRoutes(documents: DocumentsService): AwsJsonRoute[] {
  return [
    ssmListOperation({
      name: 'ListDocuments',
      schema: listDocumentsSchema,
      resultKey: 'DocumentIdentifiers',
      defaultMaxResults: 50,
      filters: documentFilters,
      load: (ctx, { filters, after, limit }) => documents.list(ctx, filters, { after, limit }),
      keyOf: visibleDocumentKey,
      toWire: (d) => toDocumentIdentifier(d, d.document.tags),
    }),
    ssmListOperation({
      name: 'ListDocumentVersions',
      schema: listDocumentVersionsSchema,
      resultKey: 'DocumentVersions',
      defaultMaxResults: 50,
      resource: documentResource,
      load: (ctx, { input, after, limit }) => documents.listVersions(ctx, input.Name, { after, limit }),
      keyOf: listedVersionKey,
      toWire: ({ document, version: v }) => ({
        Name: document.name,
        ...(document.displayName === undefined ? {} : { DisplayName: document.displayName }),
        DocumentVersion: String(v.version),
        ...(v.versionName === undefined ? {} : { VersionName: v.versionName }),
        CreatedDate: v.createdAt.getTime() / 1000,
        IsDefaultVersion: v.version === document.defaultVersion,
        DocumentFormat: v.format,
        Status: 'Active',
      }),
    }),
  ];
}
