/** Persistence of accounts, principals, access keys, customer-managed policies and attachments. */
import { inAccount } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import { findBuiltInPolicyByArn } from './builtin-policies.js';
import type {
  AccessKeyRecord,
  AccessKeyStatus,
  AccessKeySummary,
  ManagedPolicy,
  Principal,
} from './access-model.js';
import type { PolicyDocument, PrincipalKind } from '../kernel/index.js';
import { parsePolicyDocument } from './policy-document.js';

interface PrincipalRow {
  principal_id: string;
  account_id: string;
  name: string;
  kind: string;
  arn: string;
  created_at: number;
}

interface PolicyRow {
  policy_arn: string;
  account_id: string;
  name: string;
  description: string;
  document: string;
  created_at: number;
  updated_at: number;
}

const toKind = (kind: string): PrincipalKind => (kind === 'role' || kind === 'root' ? kind : 'user');
const toStatus = (status: string): AccessKeyStatus => (status === 'Active' ? 'Active' : 'Inactive');
const toDate = (ms: number | null): Date | undefined => (ms === null ? undefined : new Date(Number(ms)));

function toPrincipal(row: PrincipalRow): Principal {
  return {
    principalId: row.principal_id,
    accountId: row.account_id,
    name: row.name,
    kind: toKind(row.kind),
    arn: row.arn,
    createdAt: new Date(Number(row.created_at)),
  };
}

/** Stored documents were validated on the way in; a document that no longer validates fails loudly (denies). */
const toDocument = (text: string): PolicyDocument => parsePolicyDocument(JSON.parse(text));

function toPolicy(row: PolicyRow): ManagedPolicy {
  return {
    arn: row.policy_arn,
    name: row.name,
    accountId: row.account_id,
    builtIn: false,
    description: row.description,
    document: toDocument(row.document),
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
  };
}

/** Reads and writes the access tables. */
export class AccessStore {
  async countAccounts(db: DbExecutor): Promise<number> {
    const row = await db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Every account, oldest first. */
  async listAccounts(db: DbExecutor): Promise<{ accountId: string; createdAt: Date }[]> {
    const rows = await db
      .selectFrom('accounts')
      .select(['account_id', 'created_at'])
      .orderBy('created_at')
      .orderBy('account_id')
      .execute();
    return rows.map((row) => ({ accountId: row.account_id, createdAt: new Date(Number(row.created_at)) }));
  }

  async insertAccount(db: DbExecutor, accountId: string, now: Date): Promise<void> {
    await db.insertInto('accounts').values({ account_id: accountId, created_at: now.getTime() }).execute();
  }

  async accountExists(db: DbExecutor, accountId: string): Promise<boolean> {
    const row = await db
      .selectFrom('accounts')
      .select('account_id')
      .where(inAccount(accountId))
      .executeTakeFirst();
    return row !== undefined;
  }

  async insertPrincipal(db: DbExecutor, principal: Principal): Promise<void> {
    await db
      .insertInto('principals')
      .values({
        principal_id: principal.principalId,
        account_id: principal.accountId,
        name: principal.name,
        kind: principal.kind,
        arn: principal.arn,
        created_at: principal.createdAt.getTime(),
      })
      .execute();
  }

  async findPrincipalByArn(db: DbExecutor, arn: string): Promise<Principal | undefined> {
    const row = await db.selectFrom('principals').selectAll().where('arn', '=', arn).executeTakeFirst();
    return row === undefined ? undefined : toPrincipal(row);
  }

  async countPrincipals(db: DbExecutor, accountId: string): Promise<number> {
    const row = await db
      .selectFrom('principals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(inAccount(accountId))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The principals of an account called `name` (a user and a role may share a name). */
  async findPrincipalsByName(db: DbExecutor, accountId: string, name: string): Promise<Principal[]> {
    const rows = await db
      .selectFrom('principals')
      .selectAll()
      .where(inAccount(accountId))
      .where('name', '=', name)
      .orderBy('kind')
      .execute();
    return rows.map(toPrincipal);
  }

  async insertAccessKey(db: DbExecutor, key: AccessKeyRecord): Promise<void> {
    await db
      .insertInto('access_keys')
      .values({
        access_key_id: key.accessKeyId,
        principal_id: key.principalId,
        secret_ciphertext: key.secretCiphertext,
        status: key.status,
        created_at: key.createdAt.getTime(),
        last_used_at: null,
      })
      .execute();
  }

  /** The key with its principal, or undefined for an unknown key id. */
  async findKeyWithPrincipal(
    db: DbExecutor,
    accessKeyId: string,
  ): Promise<{ key: AccessKeyRecord; principal: Principal } | undefined> {
    const row = await db
      .selectFrom('access_keys as k')
      .innerJoin('principals as p', 'p.principal_id', 'k.principal_id')
      .selectAll('k')
      .select(['p.account_id', 'p.name', 'p.kind', 'p.arn', 'p.created_at as principal_created_at'])
      .where('k.access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      key: {
        accessKeyId: row.access_key_id,
        principalId: row.principal_id,
        secretCiphertext: row.secret_ciphertext,
        status: toStatus(row.status),
        createdAt: new Date(Number(row.created_at)),
        lastUsedAt: toDate(row.last_used_at),
      },
      principal: toPrincipal({ ...row, created_at: row.principal_created_at }),
    };
  }

  /** The keys of an account, or of one principal, oldest first. */
  async listKeys(db: DbExecutor, accountId: string, principalId?: string): Promise<AccessKeySummary[]> {
    let query = db
      .selectFrom('access_keys as k')
      .innerJoin('principals as p', 'p.principal_id', 'k.principal_id')
      .select(['k.access_key_id', 'k.status', 'k.created_at', 'k.last_used_at', 'p.arn', 'p.name'])
      .where(inAccount(accountId, 'p'));
    if (principalId !== undefined) query = query.where('k.principal_id', '=', principalId);
    const rows = await query.orderBy('k.created_at').orderBy('k.access_key_id').execute();
    return rows.map((row) => ({
      accessKeyId: row.access_key_id,
      principalArn: row.arn,
      principalName: row.name,
      status: toStatus(row.status),
      createdAt: new Date(Number(row.created_at)),
      lastUsedAt: toDate(row.last_used_at),
    }));
  }

  async countActiveKeys(db: DbExecutor, principalId: string): Promise<number> {
    const row = await db
      .selectFrom('access_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('principal_id', '=', principalId)
      .where('status', '=', 'Active')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async setKeyStatus(db: DbExecutor, accessKeyId: string, status: AccessKeyStatus): Promise<void> {
    await db.updateTable('access_keys').set({ status }).where('access_key_id', '=', accessKeyId).execute();
  }

  async deleteKey(db: DbExecutor, accessKeyId: string): Promise<void> {
    await db.deleteFrom('access_keys').where('access_key_id', '=', accessKeyId).execute();
  }

  async touchKey(db: DbExecutor, accessKeyId: string, now: Date): Promise<void> {
    await db
      .updateTable('access_keys')
      .set({ last_used_at: now.getTime() })
      .where('access_key_id', '=', accessKeyId)
      .execute();
  }

  async insertPolicy(
    db: DbExecutor,
    policy: {
      arn: string;
      accountId: string;
      name: string;
      description: string;
      documentText: string;
      now: Date;
    },
  ): Promise<void> {
    await db
      .insertInto('managed_policies')
      .values({
        policy_arn: policy.arn,
        account_id: policy.accountId,
        name: policy.name,
        description: policy.description,
        document: policy.documentText,
        created_at: policy.now.getTime(),
        updated_at: policy.now.getTime(),
      })
      .execute();
  }

  async findCustomerPolicy(
    db: DbExecutor,
    accountId: string,
    name: string,
  ): Promise<ManagedPolicy | undefined> {
    const row = await db
      .selectFrom('managed_policies')
      .selectAll()
      .where(inAccount(accountId))
      .where('name', '=', name)
      .executeTakeFirst();
    return row === undefined ? undefined : toPolicy(row);
  }

  async listCustomerPolicies(db: DbExecutor, accountId: string): Promise<ManagedPolicy[]> {
    const rows = await db
      .selectFrom('managed_policies')
      .selectAll()
      .where(inAccount(accountId))
      .orderBy('name')
      .execute();
    return rows.map(toPolicy);
  }

  async deletePolicy(db: DbExecutor, arn: string): Promise<void> {
    await db.deleteFrom('managed_policies').where('policy_arn', '=', arn).execute();
  }

  async countAttachments(db: DbExecutor, policyArn: string): Promise<number> {
    const row = await db
      .selectFrom('principal_policies')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('policy_arn', '=', policyArn)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Attaches a policy; attaching one that is already attached changes nothing. */
  async attachPolicy(db: DbExecutor, principalId: string, policyArn: string, now: Date): Promise<void> {
    await db
      .insertInto('principal_policies')
      .values({ principal_id: principalId, policy_arn: policyArn, attached_at: now.getTime() })
      .onConflict((oc) => oc.columns(['principal_id', 'policy_arn']).doNothing())
      .execute();
  }

  /** Detaches a policy; false when it was not attached. */
  async detachPolicy(db: DbExecutor, principalId: string, policyArn: string): Promise<boolean> {
    const result = await db
      .deleteFrom('principal_policies')
      .where('principal_id', '=', principalId)
      .where('policy_arn', '=', policyArn)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** The ARNs attached to a principal, in attachment order. */
  async attachedPolicyArns(db: DbExecutor, principalId: string): Promise<string[]> {
    const rows = await db
      .selectFrom('principal_policies')
      .select('policy_arn')
      .where('principal_id', '=', principalId)
      .orderBy('attached_at')
      .orderBy('policy_arn')
      .execute();
    return rows.map((row) => row.policy_arn);
  }

  /** The documents of every policy attached to a principal (built-ins resolved from code). */
  async attachedDocuments(db: DbExecutor, principalId: string): Promise<PolicyDocument[]> {
    const rows = await db
      .selectFrom('principal_policies as a')
      .leftJoin('managed_policies as m', 'm.policy_arn', 'a.policy_arn')
      .select(['a.policy_arn', 'm.document'])
      .where('a.principal_id', '=', principalId)
      .execute();
    return rows.map((row) => {
      if (row.document !== null) return toDocument(row.document);
      const builtIn = findBuiltInPolicyByArn(row.policy_arn);
      if (builtIn === undefined) throw new Error(`attached policy ${row.policy_arn} does not exist`);
      return builtIn.document;
    });
  }

  /** Records that access data changed, for every node's identity cache. */
  async bumpGeneration(db: DbExecutor): Promise<void> {
    await db
      .updateTable('access_generation')
      .set((eb) => ({ generation: eb('generation', '+', 1) }))
      .where('id', '=', 1)
      .execute();
  }

  async readGeneration(db: DbExecutor): Promise<number> {
    const row = await db
      .selectFrom('access_generation')
      .select('generation')
      .where('id', '=', 1)
      .executeTakeFirst();
    return Number(row?.generation ?? 0);
  }
}
