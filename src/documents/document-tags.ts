/** Where document tags live: the SSM tag store shared with AddTagsToResource (ResourceType Document). */
import type { DbExecutor } from '../storage/index.js';
import type { SsmDocument } from './documents-model.js';

/** The tag store documents write through. */
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

/** The tag-store resource of a document. */
export const taggedDocument = (document: Pick<SsmDocument, 'owner' | 'region' | 'name'>): TaggedDocument => ({
  accountId: document.owner,
  region: document.region,
  resourceType: 'Document',
  resourceId: document.name,
});
