/**
 * Administration of principals, access keys and policies (used by `bulwark admin`; later by an IAM-style API).
 *
 * Rules: the first principal of an account (the bootstrap admin, or the first key of a new account) gets
 * AdministratorAccess unless policies are named; any later principal must name its policies (least privilege).
 * A user has at most 2 active keys; a role (agents, one key per instance) has no such limit. Built-in policies
 * cannot be created, changed or deleted; a customer policy cannot be deleted while attached. Every change
 * bumps the access generation in its transaction and then calls `changed` (this node's cache).
 */
import {
  ApiError,
  conflict,
  invalidInput,
  limitExceeded,
  notFound,
  type PrincipalKind,
} from '../kernel/index.js';
import type { Db, DbExecutor } from '../storage/database.js';
import {
  administratorAccess,
  builtInPolicies,
  builtInPolicyArn,
  findBuiltInPolicy,
} from './builtin-policies.js';
import { newAccessKeyId, newAccountId, newPrincipalId, newSecretAccessKey } from './credentials.js';
import {
  customerPolicyArn,
  maxActiveKeysPerUser,
  policyNamePattern,
  principalArn,
  principalNamePattern,
  type AccessKeyStatus,
  type AccessKeySummary,
  type AccountSummary,
  type IssuedCredentials,
  type ManagedPolicy,
  type Principal,
} from './access-model.js';
import { parsePolicyText, PolicyDocumentError } from './policy-document.js';
import type { SecretBox } from './secret-box.js';
import type { AccessStore } from './access-store.js';

/** A new principal. */
export interface NewPrincipal {
  accountId: string;
  kind: Exclude<PrincipalKind, 'root'>;
  name: string;
  /** Policy names (built-in or the account's own); required unless this is the account's first principal. */
  policies?: readonly string[];
}

/** A principal with its attached policy ARNs. */
export interface PrincipalWithPolicies extends Principal {
  policyArns: string[];
}

/** What rotation did: the new key, and the keys it deactivated or deleted. */
export interface RotationResult {
  issued: IssuedCredentials;
  retired: string[];
  deleted: boolean;
}

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

const accountPattern = /^\d{12}$/;

function checkAccountId(accountId: string): void {
  if (!accountPattern.test(accountId)) throw invalidInput(`account id "${accountId}" must be 12 digits`);
}

function checkPrincipalName(name: string): void {
  if (!principalNamePattern.test(name)) {
    throw invalidInput(`principal name "${name}" must be 1-64 of [A-Za-z0-9_+=,.@-]`);
  }
}

/** Principals, keys and policies of every account. */
export class AccessAdministration {
  constructor(
    private readonly db: Db,
    private readonly store: AccessStore,
    private readonly secrets: SecretBox,
    private readonly changed: () => void = () => undefined,
    /** Records each change in its transaction (`bulwark admin` passes the audit trail). */
    private readonly record?: AdministrationRecorder,
  ) {}

  /**
   * Runs a change in one transaction that also bumps the access generation, then clears the local cache.
   * The bump comes first: on SQLite it takes the write lock before any read, so a CLI change waits for a busy
   * server (busy_timeout) instead of failing to upgrade a read snapshot with "database is locked".
   */
  private async change<T>(
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

  /** Creates the first account with user `admin` (AdministratorAccess) and its key, when there is no account yet. */
  async bootstrap(now: Date): Promise<IssuedCredentials | undefined> {
    return this.change(
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
    return this.change(
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
    return this.change(
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
        let principal = await this.findPrincipal(tx, accountId, request.name, false);
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
    ).then(({ issued }) => issued);
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
    const found = await this.findPrincipal(this.db, accountId, principal, true);
    return this.store.listKeys(this.db, accountId, found?.principalId);
  }

  /** Activates or deactivates a key; activation respects the per-user limit. */
  async setKeyStatus(accessKeyId: string, status: AccessKeyStatus): Promise<AccessKeySummary> {
    return this.change(
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
    await this.change(
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
    return this.change(
      async (tx) => {
        const principal = await this.findPrincipal(tx, request.accountId, request.name, true);
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

  /** Creates a customer-managed policy from JSON text (validated; IAM's size limit). */
  async createPolicy(
    request: { accountId: string; name: string; documentText: string; description?: string | undefined },
    now: Date,
  ): Promise<ManagedPolicy> {
    checkAccountId(request.accountId);
    if (!policyNamePattern.test(request.name)) {
      throw invalidInput(`policy name "${request.name}" must be 1-128 of [A-Za-z0-9_+=,.@-]`);
    }
    if (findBuiltInPolicy(request.name) !== undefined) {
      throw conflict(`${request.name} is a built-in policy; choose another name`);
    }
    let documentText: string;
    try {
      documentText = JSON.stringify(JSON.parse(request.documentText));
      parsePolicyText(request.documentText);
    } catch (error) {
      throw invalidInput(
        error instanceof PolicyDocumentError ? error.message : `invalid policy document: ${String(error)}`,
      );
    }
    return this.change(
      async (tx) => {
        if (!(await this.store.accountExists(tx, request.accountId))) {
          throw notFound(`account ${request.accountId} does not exist`);
        }
        if ((await this.store.findCustomerPolicy(tx, request.accountId, request.name)) !== undefined) {
          throw conflict(`policy ${request.name} already exists in account ${request.accountId}`);
        }
        const arn = customerPolicyArn(request.accountId, request.name);
        await this.store.insertPolicy(tx, {
          arn,
          accountId: request.accountId,
          name: request.name,
          description: request.description ?? '',
          documentText,
          now,
        });
        const created = await this.store.findCustomerPolicy(tx, request.accountId, request.name);
        if (created === undefined) throw new Error(`policy ${arn} vanished`);
        return created;
      },
      (policy) => ({
        eventName: 'CreatePolicy',
        accountId: request.accountId,
        parameters: {
          policyName: request.name,
          description: request.description,
          policyDocument: documentText,
        },
        resourceArn: policy.arn,
      }),
    );
  }

  /** Deletes a customer policy that is attached to no principal. */
  async deletePolicy(accountId: string, name: string): Promise<void> {
    checkAccountId(accountId);
    await this.change(
      async (tx) => {
        const policy = await this.resolvePolicy(tx, accountId, name);
        if (policy.builtIn)
          throw new ApiError('InvalidInput', `${policy.name} is a built-in policy and cannot be deleted`);
        const attached = await this.store.countAttachments(tx, policy.arn);
        if (attached > 0)
          throw conflict(`policy ${name} is attached to ${attached} principal(s); detach it first`);
        await this.store.deletePolicy(tx, policy.arn);
        return policy;
      },
      (policy) => ({
        eventName: 'DeletePolicy',
        accountId,
        parameters: { policyArn: policy.arn },
        resourceArn: policy.arn,
      }),
    );
  }

  /** The built-in policies followed by the account's own. */
  async listPolicies(accountId: string): Promise<ManagedPolicy[]> {
    checkAccountId(accountId);
    return [
      ...builtInPolicies.map(toManagedPolicy),
      ...(await this.store.listCustomerPolicies(this.db, accountId)),
    ];
  }

  /** A built-in policy by name, or the account's customer policy. */
  async getPolicy(name: string, accountId: string | undefined): Promise<ManagedPolicy> {
    if (accountId !== undefined) {
      checkAccountId(accountId);
      return this.resolvePolicy(this.db, accountId, name);
    }
    const builtIn = findBuiltInPolicy(name);
    if (builtIn === undefined)
      throw notFound(`no built-in policy ${name} (pass --account for a customer policy)`);
    return toManagedPolicy(builtIn);
  }

  /** Attaches a policy (built-in or the account's own) to a principal; attaching twice changes nothing. */
  async attachPolicy(
    accountId: string,
    principalName: string,
    policyName: string,
    now: Date,
  ): Promise<PrincipalWithPolicies> {
    checkAccountId(accountId);
    return this.change(
      async (tx) => {
        const principal = await this.requirePrincipal(tx, accountId, principalName);
        const policy = await this.resolvePolicy(tx, accountId, policyName);
        await this.store.attachPolicy(tx, principal.principalId, policy.arn, now);
        return {
          principal: {
            ...principal,
            policyArns: await this.store.attachedPolicyArns(tx, principal.principalId),
          },
          policyArn: policy.arn,
        };
      },
      ({ principal, policyArn }) => policyAttachment('Attach', principal, policyArn),
    ).then(({ principal }) => principal);
  }

  /** Detaches a policy from a principal; NotFound when it was not attached. */
  async detachPolicy(
    accountId: string,
    principalName: string,
    policyName: string,
  ): Promise<PrincipalWithPolicies> {
    checkAccountId(accountId);
    return this.change(
      async (tx) => {
        const principal = await this.requirePrincipal(tx, accountId, principalName);
        const policy = await this.resolvePolicy(tx, accountId, policyName);
        if (!(await this.store.detachPolicy(tx, principal.principalId, policy.arn))) {
          throw notFound(`policy ${policy.name} is not attached to ${principal.arn}`);
        }
        return {
          principal: {
            ...principal,
            policyArns: await this.store.attachedPolicyArns(tx, principal.principalId),
          },
          policyArn: policy.arn,
        };
      },
      ({ principal, policyArn }) => policyAttachment('Detach', principal, policyArn),
    ).then(({ principal }) => principal);
  }

  /** A principal with its attached policy ARNs. */
  async getPrincipal(accountId: string, name: string): Promise<PrincipalWithPolicies> {
    checkAccountId(accountId);
    const principal = await this.requirePrincipal(this.db, accountId, name);
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
      policies.push(await this.resolvePolicy(tx, request.accountId, name));
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

  /** A principal by `NAME`, `user/NAME`, `role/NAME` or ARN; undefined when absent (or `required` → NotFound). */
  private async findPrincipal(
    db: DbExecutor,
    accountId: string,
    reference: string,
    required: boolean,
  ): Promise<Principal | undefined> {
    let found: Principal | undefined;
    if (reference.startsWith('arn:')) {
      found = await this.store.findPrincipalByArn(db, reference);
      if (found !== undefined && found.accountId !== accountId) found = undefined;
    } else {
      const match = /^(user|role)\/(.+)$/.exec(reference);
      if (match?.[1] !== undefined && match[2] !== undefined) {
        found = await this.store.findPrincipalByArn(
          db,
          principalArn(accountId, match[1] as 'user' | 'role', match[2]),
        );
      } else {
        const candidates = await this.store.findPrincipalsByName(db, accountId, reference);
        if (candidates.length > 1) {
          throw invalidInput(
            `both a user and a role are called ${reference}; say user/${reference} or role/${reference}`,
          );
        }
        found = candidates[0];
      }
    }
    if (found === undefined && required) throw notFound(`no principal ${reference} in account ${accountId}`);
    return found;
  }

  private async requirePrincipal(db: DbExecutor, accountId: string, reference: string): Promise<Principal> {
    const found = await this.findPrincipal(db, accountId, reference, true);
    if (found === undefined) throw notFound(`no principal ${reference} in account ${accountId}`);
    return found;
  }

  /** A policy by name (built-in or the account's own) or ARN. */
  private async resolvePolicy(db: DbExecutor, accountId: string, reference: string): Promise<ManagedPolicy> {
    const name = reference.startsWith('arn:') ? reference.slice(reference.lastIndexOf('/') + 1) : reference;
    const builtIn = findBuiltInPolicy(name);
    if (builtIn !== undefined && (reference === name || reference === builtInPolicyArn(name))) {
      return toManagedPolicy(builtIn);
    }
    if (reference.startsWith('arn:') && reference !== customerPolicyArn(accountId, name)) {
      throw notFound(`no policy ${reference} in account ${accountId}`);
    }
    const customer = await this.store.findCustomerPolicy(db, accountId, name);
    if (customer === undefined) throw notFound(`no policy ${reference} in account ${accountId}`);
    return customer;
  }
}

function toManagedPolicy(policy: (typeof builtInPolicies)[number]): ManagedPolicy {
  return {
    arn: builtInPolicyArn(policy.name),
    name: policy.name,
    accountId: undefined,
    builtIn: true,
    description: policy.description,
    document: policy.document,
    createdAt: undefined,
    updatedAt: undefined,
  };
}

/** The audit record of an issued key (its id, never its secret). */
function keyCreated(issued: IssuedCredentials, parameters: Record<string, unknown>): AdministrationChange {
  return {
    eventName: 'CreateAccessKey',
    accountId: issued.accountId,
    parameters,
    response: { accessKeyId: issued.accessKeyId, principalArn: issued.principalArn },
    resourceArn: issued.principalArn,
  };
}

/** IAM's AttachUserPolicy/AttachRolePolicy (and Detach…) record. */
function policyAttachment(
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
function accountOfArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}
