/** The reads other capabilities make of SSM documents: the documents an account owns and its sharing setting. */
import type { DbExecutor } from '../storage/database.js';
import { documentArn } from './documents-service.js';
import type { DocumentsStore } from './documents-store.js';
import type { ServiceSettingsService } from './service-settings-service.js';

type Scope = { accountId: string; region: string };

/** A document an account owns, and whether it is shared with everyone. */
export interface OwnedDocument {
  name: string;
  arn: string;
  public: boolean;
}

/** Read-only queries over documents and service settings, for other capabilities. */
export interface DocumentFacts {
  ownedDocuments(db: DbExecutor, scope: Scope): Promise<OwnedDocument[]>;
  /** The value of the public-sharing-permission service setting (`Enable` or `Disable`). */
  publicSharingSetting(db: DbExecutor, scope: Scope): Promise<string>;
}

/** Documents' queries over its store and settings. */
export function documentFacts(store: DocumentsStore, settings: ServiceSettingsService): DocumentFacts {
  return {
    async ownedDocuments(db, scope) {
      const owned = await store.listOwned(db, scope.accountId, scope.region);
      const publicNames = new Set(await store.publicNames(db, scope.accountId, scope.region));
      return owned.map((document) => ({
        name: document.name,
        arn: documentArn(document),
        public: publicNames.has(document.name),
      }));
    },
    publicSharingSetting: (db, scope) => settings.publicSharingValue(db, scope.accountId, scope.region),
  };
}
