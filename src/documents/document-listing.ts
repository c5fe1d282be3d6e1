/**
 * ListDocuments: the built-in documents (in memory) merged with the stored documents the caller can see (paged in
 * SQL), in (name, owner) order and paged by that key. Filters SQL can't decide (PlatformTypes, SchemaVersion,
 * tags, and whether a share still covers an existing version) are applied while scanning, before the page is cut.
 */
import { keysetSlice, type Ctx, type SortKey } from '../kernel/index.js';
import { builtinDocuments } from './builtin-documents.js';
import { documentArn } from './document-reference.js';
import { visibleDocumentsPage, type DocumentFilter, type VisibleRow } from './document-list-query.js';
import type { DocumentsStore } from './documents-store.js';
import { compareSortKeys, scanKeyset, type PageWindow } from './keyset-scan.js';
import type { DocumentAtVersion, SsmDocument } from './documents-model.js';

export type { DocumentFilter } from './document-list-query.js';

/** A document the caller can see in a listing, with the version it is listed at. */
export interface VisibleDocument extends DocumentAtVersion {
  /** How the caller sees it. */
  access: 'Self' | 'Amazon' | 'Shared';
  public: boolean;
}

/** The sort key of a listed document. */
export const visibleDocumentKey = (visible: { document: SsmDocument }): SortKey => [
  visible.document.name,
  visible.document.owner,
];

/** The filter keys ListDocuments accepts (others → InvalidFilterKey). */
export function isDocumentFilterKey(key: string): boolean {
  return (
    [
      'Owner',
      'Name',
      'SearchKeyword',
      'DocumentType',
      'PlatformTypes',
      'TargetType',
      'SchemaVersion',
    ].includes(key) || /^tag:.+/.test(key)
  );
}

/** What listing needs of the documents service. */
export interface ListingSources {
  store: DocumentsStore;
  /** The document (an ARN) at the version the caller may read by default; throws when it can read none. */
  resolve: (ctx: Ctx, reference: string) => Promise<DocumentAtVersion>;
  withTags: (ctx: Ctx, document: SsmDocument) => Promise<SsmDocument>;
}

export class DocumentListing {
  constructor(private readonly sources: ListingSources) {}

  /** ListDocuments: `filters` (Key/Values) AND-ed, values within a key OR-ed; `window.limit` documents after the key. */
  async page(ctx: Ctx, filters: readonly DocumentFilter[], window: PageWindow): Promise<VisibleDocument[]> {
    const matches = (doc: VisibleDocument): boolean =>
      filters.every((filter) => matchesFilter(doc, filter, ctx.accountId));
    const builtins = builtinDocuments(ctx.region)
      .map((d): VisibleDocument => ({ ...d, access: 'Amazon', public: false }))
      .filter(matches)
      .sort((a, b) => compareSortKeys(visibleDocumentKey(a), visibleDocumentKey(b)));
    const stored = await scanKeyset(
      window,
      (after, limit) => visibleDocumentsPage(ctx.tx, ctx, filters, { after, limit }),
      visibleDocumentKey,
      async (row) => {
        const visible = await this.visible(ctx, row);
        return visible !== undefined && matches(visible) ? visible : undefined;
      },
    );
    return [...keysetSlice(builtins, window.after, window.limit, visibleDocumentKey), ...stored]
      .sort((a, b) => compareSortKeys(visibleDocumentKey(a), visibleDocumentKey(b)))
      .slice(0, window.limit);
  }

  /** A stored row as the caller sees it: its own at the default version, another's at a version shared with it. */
  private async visible(ctx: Ctx, row: VisibleRow): Promise<VisibleDocument | undefined> {
    const { document } = row;
    if (document.owner === ctx.accountId) {
      const version = await this.sources.store.findVersion(ctx.tx, document, document.defaultVersion);
      if (version === undefined) return undefined;
      const tagged = await this.sources.withTags(ctx, document);
      return { document: tagged, version, access: 'Self', public: row.public };
    }
    try {
      const resolved = await this.sources.resolve(ctx, documentArn(document));
      return { ...resolved, access: 'Shared', public: row.public };
    } catch {
      return undefined; // A share of a version that no longer exists shows nothing.
    }
  }
}

function matchesFilter(doc: VisibleDocument, filter: DocumentFilter, caller: string): boolean {
  const { document, version } = doc;
  const any = (test: (value: string) => boolean): boolean => filter.values.some(test);
  switch (filter.key) {
    case 'Owner':
      return any((value) => {
        switch (value) {
          case 'Self':
            return document.owner === caller;
          case 'Amazon':
            return doc.access === 'Amazon';
          case 'Public':
            return doc.public;
          case 'Private':
            return doc.access === 'Shared' && !doc.public;
          case 'All':
            return true;
          default:
            return false;
        }
      });
    case 'Name':
      return any((value) => document.name.startsWith(value));
    case 'SearchKeyword':
      return any((value) => document.name.toLowerCase().includes(value.toLowerCase()));
    case 'DocumentType':
      return any((value) => document.documentType === value);
    case 'PlatformTypes':
      return any((value) => version.platformTypes.some((p) => p === value));
    case 'TargetType':
      return any((value) => document.targetType === value);
    case 'SchemaVersion':
      return any((value) => version.schemaVersion === value);
    default: {
      const tagKey = filter.key.startsWith('tag:') ? filter.key.slice(4) : undefined;
      if (tagKey === undefined) return false;
      const tagValue = document.tags[tagKey];
      return tagValue !== undefined && (filter.values.length === 0 || filter.values.includes(tagValue));
    }
  }
}
