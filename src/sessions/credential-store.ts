/** Persistence of console credentials: a principal's password hash and its sealed TOTP secret. */
import type { DbExecutor } from '../storage/database.js';
import { consoleDb } from './console-tables.js';

/** A principal's console credentials as stored (the TOTP secret still sealed). */
export interface StoredCredentials {
  principalId: string;
  passwordHash: string | undefined;
  totpSecretSealed: string | undefined;
  totpLastStep: number | undefined;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

/** Reads and writes `console_credentials`. */
export class CredentialStore {
  async find(db: DbExecutor, principalId: string): Promise<StoredCredentials | undefined> {
    const row = await consoleDb(db)
      .selectFrom('console_credentials')
      .selectAll()
      .where('principal_id', '=', principalId)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      principalId: row.principal_id,
      passwordHash: orUndefined(row.password_hash),
      totpSecretSealed: orUndefined(row.totp_secret_sealed),
      totpLastStep: row.totp_last_step === null ? undefined : Number(row.totp_last_step),
    };
  }

  /** Stores a password hash (creating the principal's row when it has none). */
  async setPassword(db: DbExecutor, principalId: string, passwordHash: string, now: Date): Promise<void> {
    await consoleDb(db)
      .insertInto('console_credentials')
      .values({
        principal_id: principalId,
        password_hash: passwordHash,
        password_changed_at: now.getTime(),
        totp_secret_sealed: null,
        totp_enrolled_at: null,
        totp_last_step: null,
      })
      .onConflict((oc) =>
        oc
          .column('principal_id')
          .doUpdateSet({ password_hash: passwordHash, password_changed_at: now.getTime() }),
      )
      .execute();
  }

  /** Stores (or with `undefined` removes) the sealed TOTP secret; the replay guard starts afresh. */
  async setTotp(db: DbExecutor, principalId: string, sealed: string | undefined, now: Date): Promise<void> {
    const totp = {
      totp_secret_sealed: sealed ?? null,
      totp_enrolled_at: sealed === undefined ? null : now.getTime(),
      totp_last_step: null,
    };
    await consoleDb(db)
      .insertInto('console_credentials')
      .values({ principal_id: principalId, password_hash: null, password_changed_at: null, ...totp })
      .onConflict((oc) => oc.column('principal_id').doUpdateSet(totp))
      .execute();
  }

  /**
   * Marks TOTP step `step` used; false when it (or a later step) already was, e.g. by a concurrent sign-in on
   * another node with the same code.
   */
  async useTotpStep(db: DbExecutor, principalId: string, step: number): Promise<boolean> {
    const result = await consoleDb(db)
      .updateTable('console_credentials')
      .set({ totp_last_step: step })
      .where('principal_id', '=', principalId)
      .where('totp_secret_sealed', 'is not', null)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
