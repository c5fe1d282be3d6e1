/** SSM documents: versions, visibility across accounts, sharing and the public-sharing block (ssm-api.md §9). */
import type { Ctx, SortKey } from '../kernel/index.js';
import { ssmError } from '../protocols/ssm/index.js';
import type { DbExecutor } from '../storage/index.js';
import { appendEvent } from '../worker/index.js';
import { builtinDocument } from './builtin-documents.js';
import { taggedDocument, type DocumentTags } from './document-tags.js';
import { newDocumentVersion } from './document-versions.js';
import { DocumentListing, type DocumentFilter, type VisibleDocument } from './document-listing.js';
import { invalidDocument, parseDocumentReference, type DocumentKey } from './document-reference.js';
import { DocumentSharing } from './document-sharing.js';
import type { DocumentsStore, VersionSummary } from './documents-store.js';
import type { PageWindow } from './keyset-scan.js';
import {
  amazonOwner,
  documentNameProblem,
  versionNumber,
  type DocumentAtVersion,
  type DocumentFormat,
  type DocumentShare,
  type DocumentType,
  type DocumentVersion,
  type SsmDocument,
} from './documents-model.js';
import type { ServiceSettingsService } from './service-settings-service.js';

export { documentArn, parseDocumentReference } from './document-reference.js';

/** Versions per document (AWS quota). */
export const maxDocumentVersions = 1000;

/** One version of a document as ListDocumentVersions lists it. */
export interface ListedVersion {
  document: SsmDocument;
  version: VersionSummary;
}

/** The sort key of ListDocumentVersions (newest first). */
export const listedVersionKey = (listed: ListedVersion): SortKey => [listed.version.version];

/** Which version a call names: `$DEFAULT` (default), `$LATEST`, a number, or a VersionName. */
export interface VersionSelector {
  documentVersion?: string | undefined;
  versionName?: string | undefined;
}

export interface CreateDocumentInput {
  name: string;
  content: string;
  documentType: DocumentType;
  documentFormat: DocumentFormat;
  versionName?: string | undefined;
  displayName?: string | undefined;
  targetType?: string | undefined;
  tags?: Record<string, string> | undefined;
}

export interface UpdateDocumentInput {
  name: string;
  content: string;
  documentFormat: DocumentFormat;
  documentVersion?: string | undefined;
  versionName?: string | undefined;
  displayName?: string | undefined;
  targetType?: string | undefined;
}

/** Tells whether associations still run a document (DeleteDocument refuses then). */
export type DocumentUsage = (db: DbExecutor, key: DocumentKey) => Promise<boolean>;

export class DocumentsService {
  private readonly sharing: DocumentSharing;
  private readonly listing: DocumentListing;

  constructor(
    private readonly store: DocumentsStore,
    settings: ServiceSettingsService,
    private readonly usage: DocumentUsage,
    private readonly tags: DocumentTags,
  ) {
    this.sharing = new DocumentSharing(store, settings, (ctx, reference) =>
      this.requireOwned(ctx, reference),
    );
    this.listing = new DocumentListing({
      store,
      resolve: (ctx, reference) => this.resolve(ctx, reference),
      withTags: (ctx, document) => this.withTags(ctx.tx, document),
    });
  }

  /** Whether the caller's account owns document `name` (AddTagsToResource on a Document). */
  async ownsDocument(
    db: DbExecutor,
    scope: { accountId: string; region: string },
    name: string,
  ): Promise<boolean> {
    return (await this.store.find(db, { owner: scope.accountId, region: scope.region, name })) !== undefined;
  }

  private async withTags(db: DbExecutor, document: SsmDocument): Promise<SsmDocument> {
    if (document.owner === amazonOwner) return document;
    const tags = await this.tags.list(db, taggedDocument(document));
    return { ...document, tags: Object.fromEntries(tags.map((t) => [t.key, t.value])) };
  }

  async create(ctx: Ctx, input: CreateDocumentInput): Promise<DocumentAtVersion> {
    const problem = documentNameProblem(input.name);
    if (problem !== undefined) throw ssmError('ValidationException', problem);
    const key = { owner: ctx.accountId, region: ctx.region, name: input.name };
    if ((await this.store.find(ctx.tx, key)) !== undefined) {
      throw ssmError('DocumentAlreadyExists', `Document with same name ${input.name} already exists`);
    }
    const version = newDocumentVersion(
      input.content,
      input.documentFormat,
      input.documentType,
      1,
      input.versionName,
      ctx.now,
    );
    const document: SsmDocument = {
      owner: ctx.accountId,
      region: ctx.region,
      name: input.name,
      documentType: input.documentType,
      targetType: input.targetType,
      displayName: input.displayName,
      defaultVersion: 1,
      latestVersion: 1,
      tags: input.tags ?? {},
      createdAt: ctx.now,
    };
    await this.store.insert(ctx.tx, document);
    await this.store.insertVersion(ctx.tx, key, version);
    const tags = Object.entries(document.tags).map(([k, value]) => ({ key: k, value }));
    await this.tags.put(ctx.tx, taggedDocument(document), tags);
    await appendEvent(ctx.tx, {
      type: 'DocumentChanged',
      accountId: ctx.accountId,
      region: ctx.region,
      documentName: input.name,
      change: 'Created',
    });
    return { document, version };
  }

  /**
   * The document `reference` at the selected version, as the caller may see it: its own, a built-in, or one
   * shared with it (or publicly) at a version the share covers. Anything else is `InvalidDocument`.
   */
  async resolve(ctx: Ctx, reference: string, selector: VersionSelector = {}): Promise<DocumentAtVersion> {
    const key = parseDocumentReference(reference, ctx);
    if (key.owner === amazonOwner) {
      const builtin = builtinDocument(key.name, ctx.region);
      if (builtin === undefined) throw invalidDocument(reference);
      if (!['$DEFAULT', '$LATEST', '1', undefined].includes(selector.documentVersion)) {
        throw ssmError(
          'InvalidDocumentVersion',
          `Document ${reference} has no version ${String(selector.documentVersion)}.`,
        );
      }
      if (selector.versionName !== undefined)
        throw ssmError(
          'InvalidDocumentVersion',
          `Document ${reference} has no version name ${selector.versionName}.`,
        );
      return builtin;
    }
    const found = await this.store.find(ctx.tx, key);
    if (found === undefined) throw invalidDocument(reference);
    const document = await this.withTags(ctx.tx, found);
    const allowed =
      key.owner === ctx.accountId
        ? undefined
        : await this.sharing.sharedVersions(ctx.tx, key, ctx.accountId, document);
    if (allowed !== undefined && allowed.size === 0) throw invalidDocument(reference);
    let version: DocumentVersion | undefined;
    if (selector.versionName !== undefined) {
      version = await this.store.findVersionByName(ctx.tx, key, selector.versionName);
      if (
        version !== undefined &&
        selector.documentVersion !== undefined &&
        String(versionNumber(document, selector.documentVersion)) !== String(version.version)
      ) {
        version = undefined;
      }
    } else {
      const wanted =
        selector.documentVersion === undefined &&
        allowed !== undefined &&
        !allowed.has(document.defaultVersion)
          ? Math.max(...allowed)
          : versionNumber(document, selector.documentVersion ?? '$DEFAULT');
      version = wanted === undefined ? undefined : await this.store.findVersion(ctx.tx, key, wanted);
    }
    if (version === undefined || (allowed !== undefined && !allowed.has(version.version))) {
      throw ssmError(
        'InvalidDocumentVersion',
        `The document version is not valid or does not exist: ${selector.versionName ?? selector.documentVersion ?? '$DEFAULT'}`,
      );
    }
    return { document, version };
  }

  /** A document the caller owns (built-ins and shared documents can't be changed): InvalidDocumentOperation otherwise. */
  private async requireOwned(
    ctx: Ctx,
    reference: string,
  ): Promise<{ key: DocumentKey; document: SsmDocument }> {
    const key = parseDocumentReference(reference, ctx);
    if (key.owner === amazonOwner) {
      throw ssmError(
        'InvalidDocumentOperation',
        `Document ${reference} is owned by Amazon and can't be changed.`,
      );
    }
    if (key.owner !== ctx.accountId) {
      // Visible (shared) documents of others are read-only; invisible ones don't exist for the caller.
      await this.resolve(ctx, reference);
      throw ssmError('InvalidDocumentOperation', `Only the owner of document ${reference} can change it.`);
    }
    const document = await this.store.find(ctx.tx, key);
    if (document === undefined) throw invalidDocument(reference);
    return { key, document: await this.withTags(ctx.tx, document) };
  }

  async update(ctx: Ctx, input: UpdateDocumentInput): Promise<DocumentAtVersion> {
    const { key, document } = await this.requireOwned(ctx, input.name);
    if (
      input.documentVersion !== undefined &&
      input.documentVersion !== '$LATEST' &&
      input.documentVersion !== String(document.latestVersion)
    ) {
      throw ssmError(
        'InvalidDocumentVersion',
        `DocumentVersion must be $LATEST or ${document.latestVersion}, the latest version.`,
      );
    }
    const versions = await this.store.versionSummaries(ctx.tx, key);
    if (versions.length >= maxDocumentVersions) {
      throw ssmError(
        'DocumentVersionLimitExceeded',
        `Document ${input.name} already has ${maxDocumentVersions} versions.`,
      );
    }
    const number = document.latestVersion + 1;
    const version = newDocumentVersion(
      input.content,
      input.documentFormat,
      document.documentType,
      number,
      input.versionName,
      ctx.now,
    );
    if (versions.some((v) => v.hash === version.hash)) {
      throw ssmError(
        'DuplicateDocumentContent',
        'The content of the document matches an existing version of it.',
      );
    }
    if (input.versionName !== undefined && versions.some((v) => v.versionName === input.versionName)) {
      throw ssmError(
        'DuplicateDocumentVersionName',
        `Version name ${input.versionName} is already used by this document.`,
      );
    }
    await this.store.insertVersion(ctx.tx, key, version);
    await this.store.updateVersions(ctx.tx, key, {
      latestVersion: number,
      ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
      ...(input.targetType === undefined ? {} : { targetType: input.targetType }),
    });
    await appendEvent(ctx.tx, {
      type: 'DocumentChanged',
      accountId: ctx.accountId,
      region: ctx.region,
      documentName: key.name,
      change: 'Updated',
    });
    return {
      document: {
        ...document,
        latestVersion: number,
        ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
        ...(input.targetType === undefined ? {} : { targetType: input.targetType }),
      },
      version,
    };
  }

  async updateDefaultVersion(ctx: Ctx, name: string, documentVersion: string): Promise<DocumentAtVersion> {
    const { key, document } = await this.requireOwned(ctx, name);
    const number = versionNumber(document, documentVersion);
    const version = number === undefined ? undefined : await this.store.findVersion(ctx.tx, key, number);
    if (version === undefined) {
      throw ssmError(
        'InvalidDocumentVersion',
        `The document version is not valid or does not exist: ${documentVersion}`,
      );
    }
    await this.store.updateVersions(ctx.tx, key, { defaultVersion: version.version });
    await appendEvent(ctx.tx, {
      type: 'DocumentChanged',
      accountId: ctx.accountId,
      region: ctx.region,
      documentName: key.name,
      change: 'DefaultVersionChanged',
    });
    return { document: { ...document, defaultVersion: version.version }, version };
  }

  /** Deletes the document, or one non-default version of it. Refused while shared or used by associations. */
  async delete(ctx: Ctx, name: string, selector: VersionSelector = {}): Promise<void> {
    const { key, document } = await this.requireOwned(ctx, name);
    if (selector.documentVersion !== undefined || selector.versionName !== undefined) {
      const { version } = await this.resolve(ctx, name, selector);
      if (version.version === document.defaultVersion) {
        throw ssmError(
          'InvalidDocumentOperation',
          'The default version of a document can only be deleted with the document.',
        );
      }
      await this.store.deleteVersion(ctx.tx, key, version.version);
      if (version.version === document.latestVersion) {
        const remaining = await this.store.versionSummaries(ctx.tx, key);
        await this.store.updateVersions(ctx.tx, key, {
          latestVersion: Math.max(...remaining.map((v) => v.version)),
        });
      }
    } else {
      if ((await this.store.shares(ctx.tx, key)).length > 0) {
        throw ssmError(
          'InvalidDocumentOperation',
          `Document ${name} is shared; stop sharing it before deleting it.`,
        );
      }
      if (await this.usage(ctx.tx, key)) {
        throw ssmError('AssociatedInstances', `Document ${name} is used by associations; delete them first.`);
      }
      await this.store.delete(ctx.tx, key);
      await this.tags.removeAll(ctx.tx, taggedDocument(document));
    }
    await appendEvent(ctx.tx, {
      type: 'DocumentChanged',
      accountId: ctx.accountId,
      region: ctx.region,
      documentName: key.name,
      change: 'Deleted',
    });
  }

  /** ListDocuments: `filters` (Key/Values) AND-ed, values within a key OR-ed, in (name, owner) order. */
  list(ctx: Ctx, filters: readonly DocumentFilter[], window: PageWindow): Promise<VisibleDocument[]> {
    return this.listing.page(ctx, filters, window);
  }

  /** ListDocumentVersions: the versions the caller may read, newest first. */
  async listVersions(ctx: Ctx, name: string, window: PageWindow): Promise<ListedVersion[]> {
    const { document } = await this.resolve(ctx, name);
    const listed = (version: VersionSummary): ListedVersion => ({ document, version });
    if (document.owner === amazonOwner) {
      const builtin = builtinDocument(document.name, ctx.region);
      const only: VersionSummary[] =
        builtin === undefined || window.after !== undefined
          ? []
          : [
              {
                version: 1,
                versionName: undefined,
                hash: builtin.version.hash,
                format: 'JSON',
                createdAt: builtin.version.createdAt,
              },
            ];
      return only.map(listed);
    }
    const allowed =
      document.owner === ctx.accountId
        ? undefined
        : [...(await this.sharing.sharedVersions(ctx.tx, document, ctx.accountId, document))];
    return (await this.store.versionSummariesPage(ctx.tx, document, window, allowed)).map(listed);
  }

  /** ModifyDocumentPermission (§9.2). `add`/`remove` hold 12-digit ids or `all` in any case. */
  modifyPermission(ctx: Ctx, input: Parameters<DocumentSharing['modifyPermission']>[1]): Promise<void> {
    return this.sharing.modifyPermission(ctx, input);
  }

  /** DescribeDocumentPermission: the owner sees its shares (`all` lower-case for public), by account id. */
  describePermission(ctx: Ctx, name: string, window: PageWindow): Promise<DocumentShare[]> {
    return this.sharing.describePermission(ctx, name, window);
  }
}
