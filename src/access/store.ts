/** Persistence of accounts, principals and access keys. */
import type { DbExecutor } from '../storage/database.js';
import type { AccessKeyRecord, PolicyDocument, Principal } from './model.js';

/** Reads and writes the access tables. */
export class AccessStore {
  async countAccounts(db: DbExecutor): Promise<number> {
    const row = await db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insertAccount(db: DbExecutor, accountId: string, now: Date): Promise<void> {
    await db.insertInto('accounts').values({ account_id: accountId, created_at: now.getTime() }).execute();
  }

  async accountExists(db: DbExecutor, accountId: string): Promise<boolean> {
    const row = await db
      .selectFrom('accounts')
      .select('account_id')
      .where('account_id', '=', accountId)
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
        policy_document: JSON.stringify(principal.policy),
        created_at: principal.createdAt.getTime(),
      })
      .execute();
  }

  async findPrincipalByArn(db: DbExecutor, arn: string): Promise<Principal | undefined> {
    const row = await db.selectFrom('principals').selectAll().where('arn', '=', arn).executeTakeFirst();
    return row === undefined
      ? undefined
      : {
          principalId: row.principal_id,
          accountId: row.account_id,
          name: row.name,
          kind: 'user',
          arn: row.arn,
          policy: JSON.parse(row.policy_document) as PolicyDocument,
          createdAt: new Date(Number(row.created_at)),
        };
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
      .select([
        'p.account_id',
        'p.name',
        'p.arn',
        'p.policy_document',
        'p.created_at as principal_created_at',
      ])
      .where('k.access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      key: {
        accessKeyId: row.access_key_id,
        principalId: row.principal_id,
        secretCiphertext: row.secret_ciphertext,
        status: row.status === 'Active' ? 'Active' : 'Inactive',
        createdAt: new Date(Number(row.created_at)),
        lastUsedAt: row.last_used_at === null ? undefined : new Date(Number(row.last_used_at)),
      },
      principal: {
        principalId: row.principal_id,
        accountId: row.account_id,
        name: row.name,
        kind: 'user',
        arn: row.arn,
        policy: JSON.parse(row.policy_document) as PolicyDocument,
        createdAt: new Date(Number(row.principal_created_at)),
      },
    };
  }

  async touchKey(db: DbExecutor, accessKeyId: string, now: Date): Promise<void> {
    await db
      .updateTable('access_keys')
      .set({ last_used_at: now.getTime() })
      .where('access_key_id', '=', accessKeyId)
      .execute();
  }
}
