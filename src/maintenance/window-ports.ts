/** What maintenance windows need of other capabilities: the documents tasks run and the tag store. */
import type { DocumentAtVersion } from '../documents/index.js';
import type { Ctx } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';

/** The documents a RUN_COMMAND task may name (DocumentsService.resolve). */
export interface TaskDocuments {
  resolve(
    ctx: Ctx,
    reference: string,
    selector: { documentVersion?: string | undefined },
  ): Promise<DocumentAtVersion>;
}

/** Where a window's tags live (the SSM tag store, resource type MaintenanceWindow). */
export interface WindowTags {
  put(
    db: DbExecutor,
    resource: { accountId: string; region: string; resourceType: 'MaintenanceWindow'; resourceId: string },
    tags: readonly { key: string; value: string }[],
  ): Promise<void>;
}
