/**
 * Administration of principals, access keys and policies (used by `bulwark admin`; later by an IAM-style API).
 *
 * Rules: the first principal of an account (the bootstrap admin, or the first key of a new account) gets
 * AdministratorAccess unless policies are named; any later principal must name its policies (least privilege).
 * A user has at most 2 active keys; a role (agents, one key per instance) has no such limit. Built-in policies
 * cannot be created, changed or deleted; a customer policy cannot be deleted while attached. Every change
 * bumps the access generation in its transaction and then calls `changed` (this node's cache).
 */
import { conflict, invalidInput, limitExceeded, notFound, type PrincipalKind } from '../kernel/index.js';
import type { Db, DbExecutor } from '../storage/database.js';
import type { AccessStore } from './access-store.js';
import {
  maxActiveKeysPerUser,
  principalArn,
  type AccessKeyStatus,
  type AccessKeySummary,
  type AccountSummary,
  type IssuedCredentials,
  type ManagedPolicy,
  type Principal,
  type PrincipalWithPolicies,
} from './access-model.js';
import {
  AdministrationChanges,
  accountOfArn,
  keyCreated,
  type AdministrationRecorder,
} from './administration-change.js';
import { administratorAccess, builtInPolicies } from './builtin-policies.js';
import { newAccessKeyId, newAccountId, newPrincipalId, newSecretAccessKey } from './credentials.js';
import { PolicyAdministration } from './policy-administration.js';
import {
  checkAccountId,
  checkPrincipalName,
  findPrincipal,
  requirePrincipal,
  resolvePolicy,
} from './principal-directory.js';
import type { SecretBox } from './secret-box.js';

/** A new principal. */
export interface NewPrincipal {
  accountId: string;
  kind: Exclude<PrincipalKind, 'root'>;
  name: string;
  /** Policy names (built-in or the account's own); required unless this is the account's first principal. */
  policies?: readonly string[];
}

/** What rotation did: the new key, and the keys it deactivated or deleted. */
export interface RotationResult {
  issued: IssuedCredentials;
  retired: string[];
  deleted: boolean;
}

/** Principals, keys and policies of every account. */
export class AccessAdministration {
  constructor(
    private readonly db: Db,
    private readonly store: AccessStore,
    private readonly secrets: SecretBox,
    changed: () => void = () => undefined,
    /** Records each change in its transaction (`bulwark admin` passes the audit trail). */
    record?: AdministrationRecorder,
  ) {
    this.changes = new AdministrationChanges(db, store, changed, record);
    this.policies = new PolicyAdministration(db, store, this.changes);
  }

  private readonly changes: AdministrationChanges;
  private readonly policies: PolicyAdministration;

  /** Creates the first account with user `admin` (AdministratorAccess) and its key, when there is no account yet. */
  async bootstrap(now: Date): Promise<IssuedCredentials | undefined> {
    return this.changes.run(
      async (tx) => {
        if ((await this.store.countAccounts(tx)) > 0) return undefined;
        const accountId = newAccountId();
        await this.store.insertAccount(tx, accountId, now);
        const principal = await this.insertPrincipal(
          tx,
          { accountId, kind: 'user', name: 'admin' },
          true,
          now,
        );
        return this.issueKey(tx, principal, now);
      },
      (issued) => (issued === undefined ? undefined : keyCreated(issued, { bootstrap: true })),
    );
  }

  /** Creates a user or role with its policies (the account must exist). */
  async createPrincipal(request: NewPrincipal, now: Date): Promise<PrincipalWithPolicies> {
    checkAccountId(request.accountId);
    return this.changes.run(
      async (tx) => {
        if (!(await this.store.accountExists(tx, request.accountId))) {
          throw notFound(
            `account ${request.accountId} does not exist (create-key --new-account creates one)`,
          );
        }
        const first = (await this.store.countPrincipals(tx, request.accountId)) === 0;
        const principal = await this.insertPrincipal(tx, request, first, now);
        return { ...principal, policyArns: await this.store.attachedPolicyArns(tx, principal.principalId) };
      },
      (principal) => ({
        eventName: principal.kind === 'role' ? 'CreateRole' : 'CreateUser',
        accountId: principal.accountId,
        parameters: { name: principal.name, policies: principal.policyArns },
        response: { principalId: principal.principalId, arn: principal.arn },
        resourceArn: principal.arn,
      }),
    );
  }

  /**
   * Issues a key for principal `name` (`NAME`, `user/NAME`, `role/NAME` or its ARN). A new name becomes a user.
   * A new account (a random id, or `accountId` when it is not yet known) is created only with `newAccount`, or
   * for the very first account: once accounts exist, a key never lands in a new account by omission.
   */
  async createKey(
    request: {
      accountId?: string | undefined;
      newAccount?: boolean | undefined;
      name: string;
      policies?: readonly string[] | undefined;
    },
    now: Date,
  ): Promise<IssuedCredentials> {
    if (request.accountId !== undefined) checkAccountId(request.accountId);
    return this.changes
      .run(
        async (tx) => {
          const accountId = request.accountId ?? newAccountId();
          const newAccount = !(await this.store.accountExists(tx, accountId));
          if (newAccount && request.newAccount !== true && (await this.store.countAccounts(tx)) > 0) {
            throw request.accountId === undefined
              ? invalidInput(
                  'accounts exist: name the account with --account ID (see list-accounts), or pass --new-account to create another',
                )
              : notFound(`account ${request.accountId} does not exist; pass --new-account to create it`);
          }
          if (newAccount) await this.store.insertAccount(tx, accountId, now);
          let principal = await findPrincipal(this.store, tx, accountId, request.name, false);
          if (principal !== undefined) {
            if (request.policies !== undefined && request.policies.length > 0) {
              throw conflict(
                `${principal.arn} already exists; change its policies with attach-policy/detach-policy`,
              );
            }
          } else {
            const name = request.name.replace(/^user\//, '');
            const first = (await this.store.countPrincipals(tx, accountId)) === 0;
            principal = await this.insertPrincipal(
              tx,
              {
                accountId,
                kind: 'user',
                name,
                ...(request.policies === undefined ? {} : { policies: request.policies }),
              },
              first,
              now,
            );
          }
          return { issued: await this.issueKey(tx, principal, now), newAccount };
        },
        ({ issued, newAccount }) => keyCreated(issued, { newAccount, policies: request.policies ?? [] }),
      )
      .then(({ issued }) => issued);
  }

  /** Every account, oldest first, with its keys; the first account's bootstrap key is named. */
  async listAccounts(): Promise<AccountSummary[]> {
    const accounts = await this.store.listAccounts(this.db);
    const summaries: AccountSummary[] = [];
    for (const [index, account] of accounts.entries()) {
      const keys = await this.store.listKeys(this.db, account.accountId);
      // Bootstrap issues user admin's key in the transaction that creates the first account, at the same instant.
      const bootstrap =
        index === 0
          ? keys.find(
              (key) =>
                key.principalName === 'admin' && key.createdAt.getTime() === account.createdAt.getTime(),
            )
          : undefined;
      summaries.push({ ...account, keys, bootstrapKeyId: bootstrap?.accessKeyId });
    }
    return summaries;
  }

  /** Whether any account exists. */
  async hasAccounts(): Promise<boolean> {
    return (await this.store.countAccounts(this.db)) > 0;
  }

  /** The keys of an account, or of one principal of it. */
  async listKeys(accountId: string, principal: string | undefined): Promise<AccessKeySummary[]> {
    checkAccountId(accountId);
    if (principal === undefined) return this.store.listKeys(this.db, accountId);
    const found = await findPrincipal(this.store, this.db, accountId, principal, true);
    return this.store.listKeys(this.db, accountId, found?.principalId);
  }

  /** Activates or deactivates a key; activation respects the per-user limit. */
  async setKeyStatus(accessKeyId: string, status: AccessKeyStatus): Promise<AccessKeySummary> {
    return this.changes.run(
      async (tx) => {
        const found = await this.store.findKeyWithPrincipal(tx, accessKeyId);
        if (found === undefined) throw notFound(`access key ${accessKeyId} does not exist`);
        if (status === 'Active' && found.key.status !== 'Active')
          await this.checkKeyLimit(tx, found.principal);
        await this.store.setKeyStatus(tx, accessKeyId, status);
        return this.summaryOf(tx, found.principal, accessKeyId);
      },
      (key) => ({
        eventName: 'UpdateAccessKey',
        accountId: accountOfArn(key.principalArn),
        parameters: { accessKeyId, status },
        resourceArn: key.principalArn,
      }),
    );
  }

  /** Deletes a key for good. */
  async deleteKey(accessKeyId: string): Promise<void> {
    await this.changes.run(
      async (tx) => {
        const found = await this.store.findKeyWithPrincipal(tx, accessKeyId);
        if (found === undefined) throw notFound(`access key ${accessKeyId} does not exist`);
        await this.store.deleteKey(tx, accessKeyId);
        return found.principal;
      },
      (principal) => ({
        eventName: 'DeleteAccessKey',
        accountId: principal.accountId,
        parameters: { accessKeyId },
        resourceArn: principal.arn,
      }),
    );
  }

  /**
   * Rotation in one step: issues a new key and deactivates (or, with `deleteOld`, deletes) the principal's
   * previously active keys — or only `onlyKey` when given (a role's other instances keep theirs).
   */
  async rotateKey(
    request: { accountId: string; name: string; deleteOld: boolean; onlyKey?: string | undefined },
    now: Date,
  ): Promise<RotationResult> {
    checkAccountId(request.accountId);
    return this.changes.run(
      async (tx) => {
        const principal = await findPrincipal(this.store, tx, request.accountId, request.name, true);
        if (principal === undefined)
          throw notFound(`no principal ${request.name} in account ${request.accountId}`);
        const keys = await this.store.listKeys(tx, request.accountId, principal.principalId);
        const retiring = keys.filter((key) =>
          request.onlyKey === undefined ? key.status === 'Active' : key.accessKeyId === request.onlyKey,
        );
        if (request.onlyKey !== undefined && retiring.length === 0) {
          throw notFound(`access key ${request.onlyKey} does not belong to ${principal.arn}`);
        }
        for (const key of retiring) {
          if (request.deleteOld) await this.store.deleteKey(tx, key.accessKeyId);
          else await this.store.setKeyStatus(tx, key.accessKeyId, 'Inactive');
        }
        const issued = await this.issueKey(tx, principal, now);
        return { issued, retired: retiring.map((key) => key.accessKeyId), deleted: request.deleteOld };
      },
      (rotation) => ({
        eventName: 'RotateAccessKey',
        accountId: rotation.issued.accountId,
        parameters: { name: request.name, onlyKey: request.onlyKey, deleteOld: request.deleteOld },
        response: {
          accessKeyId: rotation.issued.accessKeyId,
          retiredAccessKeyIds: rotation.retired.join(','),
        },
        resourceArn: rotation.issued.principalArn,
      }),
    );
  }

  /** A principal with its attached policy ARNs. */
  async getPrincipal(accountId: string, name: string): Promise<PrincipalWithPolicies> {
    checkAccountId(accountId);
    const principal = await requirePrincipal(this.store, this.db, accountId, name);
    return { ...principal, policyArns: await this.store.attachedPolicyArns(this.db, principal.principalId) };
  }

  private async insertPrincipal(
    tx: DbExecutor,
    request: NewPrincipal,
    firstOfAccount: boolean,
    now: Date,
  ): Promise<Principal> {
    checkPrincipalName(request.name);
    const names = request.policies ?? [];
    if (names.length === 0 && !firstOfAccount) {
      throw invalidInput(
        `a new principal needs at least one policy (least privilege), e.g. --policy SecurityHubReadOnly; ` +
          `built-ins: ${builtInPolicies.map((p) => p.name).join(', ')}`,
      );
    }
    const arn = principalArn(request.accountId, request.kind, request.name);
    if ((await this.store.findPrincipalByArn(tx, arn)) !== undefined) throw conflict(`${arn} already exists`);
    const policies = [];
    for (const name of names.length === 0 ? [administratorAccess.name] : names) {
      policies.push(await resolvePolicy(this.store, tx, request.accountId, name));
    }
    const principal: Principal = {
      principalId: (request.kind === 'role' ? 'AROA' : 'AIDA') + newPrincipalId().slice(4),
      accountId: request.accountId,
      name: request.name,
      kind: request.kind,
      arn,
      createdAt: now,
    };
    await this.store.insertPrincipal(tx, principal);
    for (const policy of policies) await this.store.attachPolicy(tx, principal.principalId, policy.arn, now);
    return principal;
  }

  private async issueKey(tx: DbExecutor, principal: Principal, now: Date): Promise<IssuedCredentials> {
    await this.checkKeyLimit(tx, principal);
    const secretAccessKey = newSecretAccessKey();
    const accessKeyId = newAccessKeyId();
    await this.store.insertAccessKey(tx, {
      accessKeyId,
      principalId: principal.principalId,
      secretCiphertext: this.secrets.seal(secretAccessKey),
      status: 'Active',
      createdAt: now,
      lastUsedAt: undefined,
    });
    return { accountId: principal.accountId, principalArn: principal.arn, accessKeyId, secretAccessKey };
  }

  private async checkKeyLimit(tx: DbExecutor, principal: Principal): Promise<void> {
    if (principal.kind !== 'user') return;
    if ((await this.store.countActiveKeys(tx, principal.principalId)) >= maxActiveKeysPerUser) {
      throw limitExceeded(
        `${principal.arn} already has ${maxActiveKeysPerUser} active access keys; deactivate or delete one (or use rotate-key)`,
      );
    }
  }

  private async summaryOf(
    tx: DbExecutor,
    principal: Principal,
    accessKeyId: string,
  ): Promise<AccessKeySummary> {
    const keys = await this.store.listKeys(tx, principal.accountId, principal.principalId);
    const key = keys.find((k) => k.accessKeyId === accessKeyId);
    if (key === undefined) throw new Error(`access key ${accessKeyId} vanished`);
    return key;
  }

  /** Creates a customer-managed policy from JSON text (validated; IAM's size limit). */
  createPolicy(
    request: { accountId: string; name: string; documentText: string; description?: string | undefined },
    now: Date,
  ): Promise<ManagedPolicy> {
    return this.policies.createPolicy(request, now);
  }

  /** Deletes a customer policy that is attached to no principal. */
  deletePolicy(accountId: string, name: string): Promise<void> {
    return this.policies.deletePolicy(accountId, name);
  }

  /** The built-in policies followed by the account's own. */
  listPolicies(accountId: string): Promise<ManagedPolicy[]> {
    return this.policies.listPolicies(accountId);
  }

  /** A built-in policy by name, or the account's customer policy. */
  getPolicy(name: string, accountId: string | undefined): Promise<ManagedPolicy> {
    return this.policies.getPolicy(name, accountId);
  }

  /** Attaches a policy (built-in or the account's own) to a principal; attaching twice changes nothing. */
  attachPolicy(
    accountId: string,
    principalName: string,
    policyName: string,
    now: Date,
  ): Promise<PrincipalWithPolicies> {
    return this.policies.attachPolicy(accountId, principalName, policyName, now);
  }

  /** Detaches a policy from a principal; NotFound when it was not attached. */
  detachPolicy(accountId: string, principalName: string, policyName: string): Promise<PrincipalWithPolicies> {
    return this.policies.detachPolicy(accountId, principalName, policyName);
  }
}
