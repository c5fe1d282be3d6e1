/** One administration change: its transaction (which bumps the access generation) and its audit record. */
import type { Db, DbExecutor } from '../storage/database.js';
import type { AccessStore } from './access-store.js';
import type { IssuedCredentials, PrincipalWithPolicies } from './access-model.js';

/** One change made through the administration, as the audit trail records it (never a secret). */
export interface AdministrationChange {
  /** IAM's name for the change where it has one: `CreateAccessKey`, `UpdateAccessKey`, `AttachUserPolicy`… */
  eventName: string;
  /** The account changed (whose trail shows it). */
  accountId: string;
  parameters: Record<string, unknown>;
  response?: Record<string, unknown>;
  /** The ARN of the principal or policy changed. */
  resourceArn?: string;
}

/** Writes a change's audit record inside the change's transaction. */
export type AdministrationRecorder = (tx: DbExecutor, change: AdministrationChange) => Promise<void>;

/** Runs administration changes, each in one transaction with its audit record. */
export class AdministrationChanges {
  constructor(
    private readonly db: Db,
    private readonly store: AccessStore,
    private readonly changed: () => void,
    private readonly record: AdministrationRecorder | undefined,
  ) {}

  /**
   * Runs a change in one transaction that also bumps the access generation, then clears the local cache.
   * The bump comes first: on SQLite it takes the write lock before any read, so a CLI change waits for a busy
   * server (busy_timeout) instead of failing to upgrade a read snapshot with "database is locked".
   */
  async run<T>(
    body: (tx: DbExecutor) => Promise<T>,
    describe: (result: T) => AdministrationChange | undefined,
  ): Promise<T> {
    const result = await this.db.transaction().execute(async (tx) => {
      await this.store.bumpGeneration(tx);
      const done = await body(tx);
      const change = describe(done);
      if (change !== undefined && this.record !== undefined) await this.record(tx, change);
      return done;
    });
    this.changed();
    return result;
  }
}

/** The audit record of an issued key (its id, never its secret). */
export function keyCreated(
  issued: IssuedCredentials,
  parameters: Record<string, unknown>,
): AdministrationChange {
  return {
    eventName: 'CreateAccessKey',
    accountId: issued.accountId,
    parameters,
    response: { accessKeyId: issued.accessKeyId, principalArn: issued.principalArn },
    resourceArn: issued.principalArn,
  };
}

/** IAM's AttachUserPolicy/AttachRolePolicy (and Detach…) record. */
export function policyAttachment(
  verb: 'Attach' | 'Detach',
  principal: PrincipalWithPolicies,
  policyArn: string,
): AdministrationChange {
  return {
    eventName: `${verb}${principal.kind === 'role' ? 'Role' : 'User'}Policy`,
    accountId: principal.accountId,
    parameters: { [principal.kind === 'role' ? 'roleName' : 'userName']: principal.name, policyArn },
    resourceArn: principal.arn,
  };
}

/** The account id of an IAM ARN (`arn:aws:iam::ACCOUNT:…`). */
export function accountOfArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}
