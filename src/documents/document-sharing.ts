/** Document sharing (ssm-api.md §9.2): which versions a share lets another account read, and the owner's changes. */
import type { Ctx } from '../kernel/index.js';
import { ssmError } from '../protocols/ssm/index.js';
import type { DbExecutor } from '../storage/index.js';
import { appendEvent } from '../worker/index.js';
import type { DocumentKey } from './document-reference.js';
import type { DocumentsStore } from './documents-store.js';
import type { PageWindow } from './keyset-scan.js';
import { publicShare, versionNumber, type DocumentShare, type SsmDocument } from './documents-model.js';
import type { ServiceSettingsService } from './service-settings-service.js';

/** Accounts one document can be shared with, and publicly shared documents per account (§9.2). */
export const maxSharedAccounts = 1000;
export const maxPublicDocuments = 5;

/** A document the caller owns, or the error for one it may not change. */
export type RequireOwned = (
  ctx: Ctx,
  reference: string,
) => Promise<{ key: DocumentKey; document: SsmDocument }>;

export class DocumentSharing {
  constructor(
    private readonly store: DocumentsStore,
    private readonly settings: ServiceSettingsService,
    private readonly requireOwned: RequireOwned,
  ) {}

  /** The versions another account may read under the shares naming it or `all`. */
  async sharedVersions(
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
        const number = versionNumber(document, share.sharedVersion);
        if (number !== undefined) allowed.add(number);
      }
    }
    return allowed;
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
      const number = versionNumber(document, sharedVersion);
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
  async describePermission(ctx: Ctx, name: string, window: PageWindow): Promise<DocumentShare[]> {
    const { key } = await this.requireOwned(ctx, name);
    return this.store.sharesPage(ctx.tx, key, window);
  }
}
