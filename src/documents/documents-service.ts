/** SSM documents: versions, visibility across accounts, sharing and the public-sharing block (ssm-api.md §9). */
import type { Ctx } from '../kernel/index.js';
import { ssmError } from '../protocols/ssm/index.js';
import type { DbExecutor } from '../storage/index.js';
import { appendEvent } from '../worker/index.js';
import { builtinDocument, builtinDocuments } from './builtin-documents.js';
import { DocumentContentError, documentHash, parseDocumentContent } from './document-content.js';
import type { DocumentKey, DocumentsStore } from './documents-store.js';
import {
  amazonOwner,
  documentNameProblem,
  publicShare,
  type DocumentAtVersion,
  type DocumentFormat,
  type DocumentShare,
  type DocumentType,
  type DocumentVersion,
  type SsmDocument,
} from './model.js';
import type { ServiceSettingsService } from './service-settings-service.js';

/** Versions per document (AWS quota). */
export const maxDocumentVersions = 1000;
/** Accounts one document can be shared with, and publicly shared documents per account (§9.2). */
export const maxSharedAccounts = 1000;
export const maxPublicDocuments = 5;

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

/** One ListDocuments filter: a key and the values any of which may match. */
export interface DocumentFilter {
  key: string;
  values: string[];
}

/** A document the caller can see in a listing, with its default version. */
export interface VisibleDocument extends DocumentAtVersion {
  /** How the caller sees it. */
  access: 'Self' | 'Amazon' | 'Shared';
  public: boolean;
}

/** Where document tags live: the SSM tag store shared with AddTagsToResource (ResourceType Document). */
export interface DocumentTags {
  list(db: DbExecutor, resource: TaggedDocument): Promise<{ key: string; value: string }[]>;
  put(
    db: DbExecutor,
    resource: TaggedDocument,
    tags: readonly { key: string; value: string }[],
  ): Promise<void>;
  removeAll(db: DbExecutor, resource: TaggedDocument): Promise<void>;
}

/** A document as a tagged SSM resource. */
export interface TaggedDocument {
  accountId: string;
  region: string;
  resourceType: 'Document';
  resourceId: string;
}

const taggedDocument = (document: Pick<SsmDocument, 'owner' | 'region' | 'name'>): TaggedDocument => ({
  accountId: document.owner,
  region: document.region,
  resourceType: 'Document',
  resourceId: document.name,
});

/** Tells whether associations still run a document (DeleteDocument refuses then). */
export type DocumentUsage = (db: DbExecutor, key: DocumentKey) => Promise<boolean>;

const contentError = (error: unknown): never => {
  if (error instanceof DocumentContentError) throw ssmError(error.exceptionName, error.message);
  throw error;
};

const invalidDocument = (name: string): Error =>
  ssmError('InvalidDocument', `Document ${name} does not exist.`);

/** A document reference: a plain name (the caller's own or a built-in) or an ARN (any owner). */
export function parseDocumentReference(
  reference: string,
  ctx: Pick<Ctx, 'accountId' | 'region'>,
): DocumentKey {
  const arn = /^arn:[^:]+:ssm:([^:]*):([^:]*):document\/(.+)$/.exec(reference);
  if (arn === null) {
    return {
      owner: builtinDocument(reference, ctx.region) ? amazonOwner : ctx.accountId,
      region: ctx.region,
      name: reference,
    };
  }
  const [, region = '', account = '', name = ''] = arn;
  if (region !== ctx.region) throw invalidDocument(reference);
  return { owner: account === '' ? amazonOwner : account, region, name };
}

/** The ARN of a document (built-ins have no account). */
export function documentArn(document: Pick<SsmDocument, 'owner' | 'region' | 'name'>): string {
  const account = document.owner === amazonOwner ? '' : document.owner;
  return `arn:aws:ssm:${document.region}:${account}:document/${document.name}`;
}

export class DocumentsService {
  constructor(
    private readonly store: DocumentsStore,
    private readonly settings: ServiceSettingsService,
    private readonly usage: DocumentUsage,
    private readonly tags: DocumentTags,
  ) {}

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
    const version = this.newVersion(
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

  private newVersion(
    content: string,
    format: DocumentFormat,
    type: DocumentType,
    number: number,
    versionName: string | undefined,
    now: Date,
  ): DocumentVersion {
    let parsed;
    try {
      parsed = parseDocumentContent(content, format, type);
    } catch (error) {
      return contentError(error);
    }
    return {
      version: number,
      versionName,
      format,
      content,
      hash: documentHash(content),
      schemaVersion: parsed.schemaVersion,
      description: parsed.description,
      parameters: parsed.parameters,
      platformTypes: parsed.platformTypes,
      createdAt: now,
    };
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
        : await this.sharedVersions(ctx.tx, key, ctx.accountId, document);
    if (allowed !== undefined && allowed.size === 0) throw invalidDocument(reference);
    let version: DocumentVersion | undefined;
    if (selector.versionName !== undefined) {
      version = await this.store.findVersionByName(ctx.tx, key, selector.versionName);
      if (
        version !== undefined &&
        selector.documentVersion !== undefined &&
        String(this.versionNumber(document, selector.documentVersion)) !== String(version.version)
      ) {
        version = undefined;
      }
    } else {
      const wanted =
        selector.documentVersion === undefined &&
        allowed !== undefined &&
        !allowed.has(document.defaultVersion)
          ? Math.max(...allowed)
          : this.versionNumber(document, selector.documentVersion ?? '$DEFAULT');
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

  private versionNumber(document: SsmDocument, selector: string): number | undefined {
    if (selector === '$DEFAULT') return document.defaultVersion;
    if (selector === '$LATEST') return document.latestVersion;
    return /^[1-9][0-9]*$/.test(selector) ? Number(selector) : undefined;
  }

  /** The versions another account may read under the shares naming it or `all`. */
  private async sharedVersions(
    db: DbExecutor,
    key: DocumentKey,
    reader: string,
    document: SsmDocument,
  ): Promise<Set<number>> {
    const shares = (await this.store.shares(db, key)).filter(
      (s) => s.accountId === reader || s.accountId === publicShare,
    );
    const allowed = new Set<number>();
    for (const share of shares) {
      if (share.sharedVersion === '$ALL') {
        for (let v = 1; v <= document.latestVersion; v += 1) allowed.add(v);
      } else {
        const number = this.versionNumber(document, share.sharedVersion);
        if (number !== undefined) allowed.add(number);
      }
    }
    return allowed;
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
    const version = this.newVersion(
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
    const number = this.versionNumber(document, documentVersion);
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

  /** Every document the caller can see (own, built-in, shared with it or public), each at its default version. */
  async listVisible(ctx: Ctx): Promise<VisibleDocument[]> {
    const visible: VisibleDocument[] = builtinDocuments(ctx.region).map((d) => ({
      ...d,
      access: 'Amazon',
      public: false,
    }));
    const publicOwn = new Set(await this.publicOwnNames(ctx.tx, ctx.accountId, ctx.region));
    for (const document of await this.store.listOwned(ctx.tx, ctx.accountId, ctx.region)) {
      const version = await this.store.findVersion(ctx.tx, document, document.defaultVersion);
      if (version !== undefined)
        visible.push({
          document: await this.withTags(ctx.tx, document),
          version,
          access: 'Self',
          public: publicOwn.has(document.name),
        });
    }
    const shared = new Map<string, { document: SsmDocument; shares: DocumentShare[] }>();
    for (const { document, share } of await this.store.listSharedWith(ctx.tx, ctx.accountId, ctx.region)) {
      const id = documentArn(document);
      const entry = shared.get(id) ?? { document, shares: [] };
      entry.shares.push(share);
      shared.set(id, entry);
    }
    for (const { document } of shared.values()) {
      try {
        const resolved = await this.resolve(ctx, documentArn(document));
        const isPublic =
          shared.get(documentArn(document))?.shares.some((s) => s.accountId === publicShare) ?? false;
        visible.push({
          document: resolved.document,
          version: resolved.version,
          access: 'Shared',
          public: isPublic,
        });
      } catch {
        // A share of a version that no longer exists shows nothing.
      }
    }
    return visible;
  }

  private async publicOwnNames(db: DbExecutor, owner: string, region: string): Promise<string[]> {
    const names: string[] = [];
    for (const document of await this.store.listOwned(db, owner, region)) {
      if ((await this.store.shares(db, document)).some((s) => s.accountId === publicShare))
        names.push(document.name);
    }
    return names;
  }

  /** ListDocuments: `filters` (Key/Values) AND-ed, values within a key OR-ed. */
  async list(ctx: Ctx, filters: readonly DocumentFilter[]): Promise<VisibleDocument[]> {
    const all = await this.listVisible(ctx);
    return all
      .filter((doc) => filters.every((filter) => matchesFilter(doc, filter, ctx.accountId)))
      .sort(
        (a, b) =>
          a.document.name.localeCompare(b.document.name) || a.document.owner.localeCompare(b.document.owner),
      );
  }

  async listVersions(
    ctx: Ctx,
    name: string,
  ): Promise<{ document: SsmDocument; versions: Awaited<ReturnType<DocumentsStore['versionSummaries']>> }> {
    const { document } = await this.resolve(ctx, name);
    if (document.owner === amazonOwner) {
      const builtin = builtinDocument(document.name, ctx.region);
      return {
        document,
        versions:
          builtin === undefined
            ? []
            : [
                {
                  version: 1,
                  versionName: undefined,
                  hash: builtin.version.hash,
                  format: 'JSON',
                  createdAt: builtin.version.createdAt,
                },
              ],
      };
    }
    const versions = await this.store.versionSummaries(ctx.tx, document);
    if (document.owner === ctx.accountId) return { document, versions };
    const allowed = await this.sharedVersions(ctx.tx, document, ctx.accountId, document);
    return { document, versions: versions.filter((v) => allowed.has(v.version)) };
  }

  /** ModifyDocumentPermission (§9.2). `add`/`remove` hold 12-digit ids or `all` in any case. */
  async modifyPermission(
    ctx: Ctx,
    input: {
      name: string;
      add: readonly string[];
      remove: readonly string[];
      sharedVersion: string | undefined;
    },
  ): Promise<void> {
    const { key, document } = await this.requireOwned(ctx, input.name);
    const normalize = (ids: readonly string[]): string[] => [
      ...new Set(ids.map((id) => (id.toLowerCase() === publicShare ? publicShare : id))),
    ];
    const remove = normalize(input.remove);
    const add = normalize(input.add).filter((id) => !remove.includes(id));
    for (const list of [normalize(input.add), remove]) {
      if (list.includes(publicShare) && list.length > 1) {
        throw ssmError('DocumentPermissionLimit', 'Accounts can either be all or a group of AWS accounts');
      }
    }
    const sharedVersion = input.sharedVersion ?? '$DEFAULT';
    if (!['$DEFAULT', '$LATEST', '$ALL'].includes(sharedVersion)) {
      const number = this.versionNumber(document, sharedVersion);
      if (number === undefined || (await this.store.findVersion(ctx.tx, key, number)) === undefined) {
        throw ssmError(
          'InvalidDocumentVersion',
          `The document version is not valid or does not exist: ${sharedVersion}`,
        );
      }
    }
    const current = await this.store.shares(ctx.tx, key);
    if (add.includes(publicShare)) {
      if ((await this.settings.publicSharingPermission(ctx)) === 'Disable') {
        throw ssmError('InvalidPermissionType', 'Public sharing is blocked for this account and Region');
      }
      if ((await this.store.countPublic(ctx.tx, ctx.accountId, ctx.region, key.name)) >= maxPublicDocuments) {
        throw ssmError(
          'DocumentPermissionLimit',
          `An account can share at most ${maxPublicDocuments} documents publicly.`,
        );
      }
    }
    const accounts = new Set(
      [...current.map((s) => s.accountId), ...add].filter((id) => id !== publicShare && !remove.includes(id)),
    );
    if (accounts.size > maxSharedAccounts) {
      throw ssmError(
        'DocumentPermissionLimit',
        `A document can be shared with at most ${maxSharedAccounts} accounts.`,
      );
    }
    await this.store.removeShares(ctx.tx, key, remove);
    await this.store.putShares(
      ctx.tx,
      key,
      add.map((accountId) => ({ accountId, sharedVersion })),
      ctx.now,
    );
    const wasPublic = current.some((s) => s.accountId === publicShare);
    const isPublic = add.includes(publicShare) || (wasPublic && !remove.includes(publicShare));
    await appendEvent(ctx.tx, {
      type: 'DocumentPermissionChanged',
      accountId: ctx.accountId,
      region: ctx.region,
      documentName: key.name,
      public: isPublic,
    });
  }

  /** DescribeDocumentPermission: the owner sees its shares (`all` lower-case for public). */
  async describePermission(ctx: Ctx, name: string): Promise<DocumentShare[]> {
    const { key } = await this.requireOwned(ctx, name);
    return this.store.shares(ctx.tx, key);
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
