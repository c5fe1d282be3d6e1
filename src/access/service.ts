/** Accounts, principals and keys: bootstrap on first start, key issue, and key lookup for authentication. */
import { ApiError } from '../http/errors.js';
import type { Db } from '../storage/database.js';
import { newAccessKeyId, newAccountId, newPrincipalId, newSecretAccessKey } from './credentials.js';
import {
  administratorAccessPolicy,
  userArn,
  type Actor,
  type IssuedCredentials,
  type PolicyDocument,
} from './model.js';
import type { SecretBox } from './secret-box.js';
import type { AccessStore } from './store.js';

/** A resolved key: who it acts as, and the secret to check the signature with. */
export interface KeyIdentity {
  actor: Actor;
  secretAccessKey: string;
}

interface CachedIdentity {
  identity: KeyIdentity;
  expiresAt: number;
}

const identityCacheMs = 30_000;
const lastUsedResolutionMs = 60_000;

/** Owns the rules for issuing and resolving credentials. */
export class AccessService {
  private readonly identities = new Map<string, CachedIdentity>();

  constructor(
    private readonly db: Db,
    private readonly store: AccessStore,
    private readonly secrets: SecretBox,
  ) {}

  /** Creates the first account and its administrator key when the database has no account; else undefined. */
  async bootstrap(now: Date): Promise<IssuedCredentials | undefined> {
    return this.db.transaction().execute(async (tx) => {
      if ((await this.store.countAccounts(tx)) > 0) return undefined;
      const accountId = newAccountId();
      await this.store.insertAccount(tx, accountId, now);
      return this.issueKey(tx, accountId, 'admin', administratorAccessPolicy, now);
    });
  }

  /** Issues a new key for principal `name` of `accountId`, creating the principal (and account) when new. */
  async createKey(
    accountId: string | undefined,
    name: string,
    policy: PolicyDocument | undefined,
    now: Date,
  ): Promise<IssuedCredentials> {
    return this.db.transaction().execute(async (tx) => {
      const account = accountId ?? newAccountId();
      if (!(await this.store.accountExists(tx, account))) await this.store.insertAccount(tx, account, now);
      return this.issueKey(tx, account, name, policy ?? administratorAccessPolicy, now);
    });
  }

  private async issueKey(
    tx: Parameters<AccessStore['insertAccount']>[0],
    accountId: string,
    name: string,
    policy: PolicyDocument,
    now: Date,
  ): Promise<IssuedCredentials> {
    const arn = userArn(accountId, name);
    let principal = await this.store.findPrincipalByArn(tx, arn);
    if (principal === undefined) {
      principal = {
        principalId: newPrincipalId(),
        accountId,
        name,
        kind: 'user',
        arn,
        policy,
        createdAt: now,
      };
      await this.store.insertPrincipal(tx, principal);
    }
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
    return { accountId, principalArn: arn, accessKeyId, secretAccessKey };
  }

  /** The identity behind an access key id; UnrecognizedClient for unknown or inactive keys. */
  async resolveKey(accessKeyId: string, now: Date): Promise<KeyIdentity> {
    const cached = this.identities.get(accessKeyId);
    if (cached !== undefined && cached.expiresAt > now.getTime()) return cached.identity;
    const found = await this.store.findKeyWithPrincipal(this.db, accessKeyId);
    if (found === undefined || found.key.status !== 'Active') {
      throw new ApiError('UnrecognizedClient', 'The security token included in the request is invalid.');
    }
    const identity: KeyIdentity = {
      actor: {
        accountId: found.principal.accountId,
        principalId: found.principal.principalId,
        principalArn: found.principal.arn,
        principalName: found.principal.name,
        accessKeyId,
        policy: found.principal.policy,
      },
      secretAccessKey: this.secrets.open(found.key.secretCiphertext),
    };
    const lastUsed = found.key.lastUsedAt?.getTime() ?? 0;
    if (now.getTime() - lastUsed > lastUsedResolutionMs) await this.store.touchKey(this.db, accessKeyId, now);
    this.identities.set(accessKeyId, { identity, expiresAt: now.getTime() + identityCacheMs });
    return identity;
  }
}
