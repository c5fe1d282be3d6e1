/** Persistence of customer documents, their versions and shares, and SSM service settings. */
import { afterKey, inScope, type Scope } from '../kernel/index.js';
import type { DbExecutor, SsmDocumentVersionsTable, SsmDocumentsTable } from '../storage/database.js';
import type { PageWindow } from './keyset-scan.js';
import type { DocumentKey } from './document-reference.js';
import type {
  DocumentFormat,
  DocumentParameter,
  DocumentShare,
  DocumentType,
  DocumentVersion,
  PlatformType,
  SsmDocument,
} from './documents-model.js';

/** A document row as the domain type (tags are read from the tag store). */
export function toDocument(row: SsmDocumentsTable): SsmDocument {
  return {
    owner: row.account_id,
    region: row.region,
    name: row.name,
    documentType: row.document_type as DocumentType,
    targetType: row.target_type ?? undefined,
    displayName: row.display_name ?? undefined,
    defaultVersion: Number(row.default_version),
    latestVersion: Number(row.latest_version),
    tags: {},
    createdAt: new Date(Number(row.created_at)),
  };
}

/** What a version row keeps besides the content; derived fields are recomputed from the content on read. */
export interface DerivedFields {
  schemaVersion: string;
  description: string | undefined;
  parameters: DocumentParameter[];
  platformTypes: PlatformType[];
}

function toVersionSummary(row: SsmDocumentVersionsTable): VersionSummary {
  return {
    version: Number(row.version),
    versionName: row.version_name ?? undefined,
    hash: row.hash,
    format: row.document_format as DocumentFormat,
    createdAt: new Date(Number(row.created_at)),
  };
}

function toVersion(
  row: SsmDocumentVersionsTable,
  derive: (content: string, format: DocumentFormat) => DerivedFields,
): DocumentVersion {
  const format = row.document_format as DocumentFormat;
  return {
    version: Number(row.version),
    versionName: row.version_name ?? undefined,
    format,
    content: row.content,
    hash: row.hash,
    createdAt: new Date(Number(row.created_at)),
    ...derive(row.content, format),
  };
}

export type { DocumentKey } from './document-reference.js';

/** What hash and name checks and ListDocumentVersions read of a version, without re-deriving its content. */
export interface VersionSummary {
  version: number;
  versionName: string | undefined;
  hash: string;
  format: DocumentFormat;
  createdAt: Date;
}

/** The account and Region a document key belongs to. */
const ownerScope = (key: DocumentKey): Scope => ({ accountId: key.owner, region: key.region });

export class DocumentsStore {
  /** `derive` re-reads parameters and platforms from stored content (they are not columns). */
  constructor(private readonly derive: (content: string, format: DocumentFormat) => DerivedFields) {}

  async find(db: DbExecutor, key: DocumentKey): Promise<SsmDocument | undefined> {
    const row = await db
      .selectFrom('ssm_documents')
      .selectAll()
      .where(inScope(ownerScope(key)))
      .where('name', '=', key.name)
      .executeTakeFirst();
    return row === undefined ? undefined : toDocument(row);
  }

  /** Documents owned by `owner` in `region`. */
  async listOwned(db: DbExecutor, owner: string, region: string): Promise<SsmDocument[]> {
    const rows = await db
      .selectFrom('ssm_documents')
      .selectAll()
      .where(inScope({ accountId: owner, region }))
      .orderBy('name')
      .execute();
    return rows.map(toDocument);
  }

  async insert(db: DbExecutor, document: SsmDocument): Promise<void> {
    await db
      .insertInto('ssm_documents')
      .values({
        account_id: document.owner,
        region: document.region,
        name: document.name,
        document_type: document.documentType,
        target_type: document.targetType ?? null,
        display_name: document.displayName ?? null,
        default_version: document.defaultVersion,
        latest_version: document.latestVersion,
        created_at: document.createdAt.getTime(),
      })
      .execute();
  }

  async updateVersions(
    db: DbExecutor,
    key: DocumentKey,
    change: { defaultVersion?: number; latestVersion?: number; displayName?: string; targetType?: string },
  ): Promise<void> {
    await db
      .updateTable('ssm_documents')
      .set({
        ...(change.defaultVersion === undefined ? {} : { default_version: change.defaultVersion }),
        ...(change.latestVersion === undefined ? {} : { latest_version: change.latestVersion }),
        ...(change.displayName === undefined ? {} : { display_name: change.displayName }),
        ...(change.targetType === undefined ? {} : { target_type: change.targetType }),
      })
      .where(inScope(ownerScope(key)))
      .where('name', '=', key.name)
      .execute();
  }

  async insertVersion(db: DbExecutor, key: DocumentKey, version: DocumentVersion): Promise<void> {
    await db
      .insertInto('ssm_document_versions')
      .values({
        account_id: key.owner,
        region: key.region,
        name: key.name,
        version: version.version,
        version_name: version.versionName ?? null,
        document_format: version.format,
        content: version.content,
        hash: version.hash,
        created_at: version.createdAt.getTime(),
      })
      .execute();
  }

  async findVersion(db: DbExecutor, key: DocumentKey, version: number): Promise<DocumentVersion | undefined> {
    const row = await this.versionsOf(db, key).where('version', '=', version).executeTakeFirst();
    return row === undefined ? undefined : toVersion(row, this.derive);
  }

  async findVersionByName(
    db: DbExecutor,
    key: DocumentKey,
    versionName: string,
  ): Promise<DocumentVersion | undefined> {
    const row = await this.versionsOf(db, key).where('version_name', '=', versionName).executeTakeFirst();
    return row === undefined ? undefined : toVersion(row, this.derive);
  }

  /** Every version, oldest first, without re-deriving (for hash and name checks). */
  async versionSummaries(db: DbExecutor, key: DocumentKey): Promise<VersionSummary[]> {
    const rows = await this.versionsOf(db, key).orderBy('version').execute();
    return rows.map(toVersionSummary);
  }

  /** ListDocumentVersions: newest first, after `window.after`, only the version numbers `only` when given. */
  async versionSummariesPage(
    db: DbExecutor,
    key: DocumentKey,
    window: PageWindow,
    only: readonly number[] | undefined,
  ): Promise<VersionSummary[]> {
    if (only !== undefined && only.length === 0) return [];
    let query = this.versionsOf(db, key);
    if (only !== undefined) query = query.where('version', 'in', [...only]);
    if (window.after !== undefined) query = query.where(afterKey(['version'], window.after, 'desc'));
    const rows = await query.orderBy('version', 'desc').limit(window.limit).execute();
    return rows.map(toVersionSummary);
  }

  private versionsOf(db: DbExecutor, key: DocumentKey) {
    return db
      .selectFrom('ssm_document_versions')
      .selectAll()
      .where(inScope(ownerScope(key)))
      .where('name', '=', key.name);
  }

  async deleteVersion(db: DbExecutor, key: DocumentKey, version: number): Promise<void> {
    await db
      .deleteFrom('ssm_document_versions')
      .where(inScope(ownerScope(key)))
      .where('name', '=', key.name)
      .where('version', '=', version)
      .execute();
  }

  async delete(db: DbExecutor, key: DocumentKey): Promise<void> {
    for (const table of ['ssm_document_versions', 'ssm_document_permissions', 'ssm_documents'] as const) {
      await db
        .deleteFrom(table)
        .where(inScope(ownerScope(key)))
        .where('name', '=', key.name)
        .execute();
    }
  }

  async shares(db: DbExecutor, key: DocumentKey): Promise<DocumentShare[]> {
    const rows = await db
      .selectFrom('ssm_document_permissions')
      .select(['shared_with', 'shared_version'])
      .where(inScope(ownerScope(key)))
      .where('name', '=', key.name)
      .orderBy('shared_with')
      .execute();
    return rows.map((row) => ({ accountId: row.shared_with, sharedVersion: row.shared_version }));
  }

  /** DescribeDocumentPermission: the shares of a document by account id, after `window.after`. */
  async sharesPage(db: DbExecutor, key: DocumentKey, window: PageWindow): Promise<DocumentShare[]> {
    let query = db
      .selectFrom('ssm_document_permissions')
      .select(['shared_with', 'shared_version'])
      .where(inScope(ownerScope(key)))
      .where('name', '=', key.name);
    if (window.after !== undefined) query = query.where(afterKey(['shared_with'], window.after));
    const rows = await query.orderBy('shared_with').limit(window.limit).execute();
    return rows.map((row) => ({ accountId: row.shared_with, sharedVersion: row.shared_version }));
  }

  async putShares(
    db: DbExecutor,
    key: DocumentKey,
    shares: readonly DocumentShare[],
    now: Date,
  ): Promise<void> {
    for (const share of shares) {
      await db
        .insertInto('ssm_document_permissions')
        .values({
          account_id: key.owner,
          region: key.region,
          name: key.name,
          shared_with: share.accountId,
          shared_version: share.sharedVersion,
          created_at: now.getTime(),
        })
        .onConflict((oc) =>
          oc
            .columns(['account_id', 'region', 'name', 'shared_with'])
            .doUpdateSet({ shared_version: share.sharedVersion }),
        )
        .execute();
    }
  }

  async removeShares(db: DbExecutor, key: DocumentKey, accountIds: readonly string[]): Promise<void> {
    if (accountIds.length === 0) return;
    await db
      .deleteFrom('ssm_document_permissions')
      .where(inScope(ownerScope(key)))
      .where('name', '=', key.name)
      .where('shared_with', 'in', [...accountIds])
      .execute();
  }

  /** The names of `owner`'s documents shared with everyone. */
  async publicNames(db: DbExecutor, owner: string, region: string): Promise<string[]> {
    const rows = await db
      .selectFrom('ssm_document_permissions')
      .select('name')
      .where(inScope({ accountId: owner, region }))
      .where('shared_with', '=', 'all')
      .execute();
    return rows.map((row) => row.name);
  }

  /** How many of `owner`'s documents are public, other than `except`. */
  async countPublic(db: DbExecutor, owner: string, region: string, except: string): Promise<number> {
    const row = await db
      .selectFrom('ssm_document_permissions')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where(inScope({ accountId: owner, region }))
      .where('shared_with', '=', 'all')
      .where('name', '!=', except)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async setting(
    db: DbExecutor,
    accountId: string,
    region: string,
    settingId: string,
  ): Promise<{ value: string; modifiedBy: string; modifiedAt: Date } | undefined> {
    const row = await db
      .selectFrom('ssm_service_settings')
      .selectAll()
      .where(inScope({ accountId, region }))
      .where('setting_id', '=', settingId)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : { value: row.value, modifiedBy: row.modified_by, modifiedAt: new Date(Number(row.modified_at)) };
  }

  async putSetting(
    db: DbExecutor,
    setting: {
      accountId: string;
      region: string;
      settingId: string;
      value: string;
      modifiedBy: string;
      modifiedAt: Date;
    },
  ): Promise<void> {
    await db
      .insertInto('ssm_service_settings')
      .values({
        account_id: setting.accountId,
        region: setting.region,
        setting_id: setting.settingId,
        value: setting.value,
        modified_by: setting.modifiedBy,
        modified_at: setting.modifiedAt.getTime(),
      })
      .onConflict((oc) =>
        oc.columns(['account_id', 'region', 'setting_id']).doUpdateSet({
          value: setting.value,
          modified_by: setting.modifiedBy,
          modified_at: setting.modifiedAt.getTime(),
        }),
      )
      .execute();
  }

  async deleteSetting(db: DbExecutor, accountId: string, region: string, settingId: string): Promise<void> {
    await db
      .deleteFrom('ssm_service_settings')
      .where(inScope({ accountId, region }))
      .where('setting_id', '=', settingId)
      .execute();
  }
}
