/**
 * Administration of console credentials (`bulwark admin set-password|enroll-totp|disable-totp`): a user's
 * password (scrypt hash) and TOTP secret (sealed with the master key, like access-key secrets). Only users sign
 * in to the console; roles are for agents. A new password ends the user's open sessions. Each change is audited
 * under IAM's event name (CreateLoginProfile/UpdateLoginProfile, EnableMFADevice, DeactivateMFADevice), never
 * with the password or the secret.
 */
import {
  AccessStore,
  type AdministrationChange,
  type AdministrationRecorder,
  type Principal,
  type SecretBox,
} from '../access/index.js';
import { conflict, invalidInput, notFound } from '../kernel/index.js';
import type { Db, DbExecutor } from '../storage/database.js';
import { CredentialStore } from './credential-store.js';
import {
  defaultScryptParameters,
  hashPassword,
  passwordProblem,
  type ScryptParameters,
} from './password-hash.js';
import { SessionStore } from './session-store.js';
import { newTotpSecret, otpauthUri } from './totp.js';

/** Which user: its name, in `accountId` (optional while the database holds one account). */
export interface UserReference {
  accountId?: string | undefined;
  userName: string;
}

/** A set password. */
export interface PasswordSet {
  accountId: string;
  principalArn: string;
  /** Whether the user had a password before. */
  replaced: boolean;
  /** Sessions the change ended. */
  sessionsEnded: number;
}

/** An enrolled TOTP secret: shown once, to be put into an authenticator app. */
export interface TotpEnrollment {
  accountId: string;
  principalArn: string;
  secret: string;
  otpauthUri: string;
}

/** The IAM ARN of a user's virtual MFA device. */
const mfaDeviceArn = (principal: Principal): string =>
  `arn:aws:iam::${principal.accountId}:mfa/${principal.name}`;

/** Sets and removes console credentials. */
export class ConsoleCredentialAdministration {
  private readonly access = new AccessStore();
  private readonly credentials = new CredentialStore();
  private readonly sessions = new SessionStore();

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    /** Records each change in its transaction (`bulwark admin` passes the audit trail). */
    private readonly record?: AdministrationRecorder,
    private readonly scrypt: ScryptParameters = defaultScryptParameters,
  ) {}

  /** Sets a user's console password (at least 12 characters) and ends the user's sessions. */
  async setPassword(user: UserReference, password: string, now: Date): Promise<PasswordSet> {
    const problem = passwordProblem(password);
    if (problem !== undefined) throw invalidInput(problem);
    const principal = await this.findUser(user);
    const hash = await hashPassword(password, this.scrypt);
    return this.change(async (tx) => {
      const before = await this.credentials.find(tx, principal.principalId);
      const replaced = before?.passwordHash !== undefined;
      await this.credentials.setPassword(tx, principal.principalId, hash, now);
      const sessionsEnded = await this.sessions.deleteOfPrincipal(tx, principal.principalId);
      const result = { accountId: principal.accountId, principalArn: principal.arn, replaced, sessionsEnded };
      const change: AdministrationChange = {
        eventName: replaced ? 'UpdateLoginProfile' : 'CreateLoginProfile',
        accountId: principal.accountId,
        parameters: { userName: principal.name },
        response: { sessionsEnded },
        resourceArn: principal.arn,
      };
      return { result, change };
    });
  }

  /** Creates a user's TOTP secret; refused when one exists, unless `replace`. */
  async enrollTotp(user: UserReference, options: { replace: boolean }, now: Date): Promise<TotpEnrollment> {
    const principal = await this.findUser(user);
    const secret = newTotpSecret();
    return this.change(async (tx) => {
      const before = await this.credentials.find(tx, principal.principalId);
      if (before?.totpSecretSealed !== undefined && !options.replace) {
        throw conflict(`${principal.arn} already has a TOTP device; disable-totp first, or pass --replace`);
      }
      await this.credentials.setTotp(tx, principal.principalId, this.secrets.seal(secret), now);
      const result = {
        accountId: principal.accountId,
        principalArn: principal.arn,
        secret,
        otpauthUri: otpauthUri(secret, principal.name, principal.accountId),
      };
      const change: AdministrationChange = {
        eventName: 'EnableMFADevice',
        accountId: principal.accountId,
        parameters: { userName: principal.name, serialNumber: mfaDeviceArn(principal) },
        resourceArn: principal.arn,
      };
      return { result, change };
    });
  }

  /** Removes a user's TOTP secret: from then on the password alone signs in. */
  async disableTotp(user: UserReference, now: Date): Promise<{ accountId: string; principalArn: string }> {
    const principal = await this.findUser(user);
    return this.change(async (tx) => {
      const before = await this.credentials.find(tx, principal.principalId);
      if (before?.totpSecretSealed === undefined) throw notFound(`${principal.arn} has no TOTP device`);
      await this.credentials.setTotp(tx, principal.principalId, undefined, now);
      const change: AdministrationChange = {
        eventName: 'DeactivateMFADevice',
        accountId: principal.accountId,
        parameters: { userName: principal.name, serialNumber: mfaDeviceArn(principal) },
        resourceArn: principal.arn,
      };
      return { result: { accountId: principal.accountId, principalArn: principal.arn }, change };
    });
  }

  /** Runs a change and its audit record in one transaction. */
  private async change<T>(
    body: (tx: DbExecutor) => Promise<{ result: T; change: AdministrationChange }>,
  ): Promise<T> {
    return this.db.transaction().execute(async (tx) => {
      const { result, change } = await body(tx);
      if (this.record !== undefined) await this.record(tx, change);
      return result;
    });
  }

  /** The user a reference names; refused for an unknown account, an unknown name, or a role. */
  private async findUser(user: UserReference): Promise<Principal> {
    const accountId = await this.accountOf(user.accountId);
    const name = user.userName.replace(/^user\//, '');
    const found = (await this.access.findPrincipalsByName(this.db, accountId, name)).find(
      (principal) => principal.kind === 'user',
    );
    if (found === undefined) throw notFound(`no user ${name} in account ${accountId}`);
    return found;
  }

  private async accountOf(accountId: string | undefined): Promise<string> {
    if (accountId !== undefined) {
      if (!/^\d{12}$/.test(accountId)) throw invalidInput(`account id "${accountId}" must be 12 digits`);
      if (!(await this.access.accountExists(this.db, accountId))) {
        throw notFound(`account ${accountId} does not exist`);
      }
      return accountId;
    }
    const accounts = await this.access.listAccounts(this.db);
    const only = accounts.length === 1 ? accounts[0] : undefined;
    if (only === undefined) {
      throw invalidInput(
        accounts.length === 0 ? 'there is no account yet' : 'several accounts exist: name one with --account',
      );
    }
    return only.accountId;
  }
}
