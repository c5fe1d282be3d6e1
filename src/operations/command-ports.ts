/** What Run Command needs of other capabilities: the documents it runs and the managed instances it runs on. */
import type { DocumentAtVersion } from '../documents/index.js';
import type { Ctx, Scope } from '../kernel/index.js';
import type { Target } from '../protocols/ssm/index.js';
import type { DbExecutor } from '../storage/database.js';

/** The documents a command may run (DocumentsService.resolve). */
export interface CommandDocuments {
  resolve(
    ctx: Ctx,
    reference: string,
    selector: { documentVersion?: string | undefined },
  ): Promise<DocumentAtVersion>;
}

/** The managed instances commands go to (FleetService). */
export interface CommandInstances {
  instanceExists(db: DbExecutor, scope: Scope, instanceId: string): Promise<boolean>;
  /** The live instances that match every target. */
  resolveTargets(db: DbExecutor, scope: Scope, targets: readonly Target[]): Promise<string[]>;
  /** AccessDenied unless the caller signs as `instanceId` itself. */
  requireCallerInstance(ctx: Ctx, instanceId: string): Promise<unknown>;
}
