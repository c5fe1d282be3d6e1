/** Who is calling: accounts, principals, their access keys and the policies that bound them. */
import { administratorAccess } from './builtin-policies.js';
import type { PolicyDocument, PrincipalKind } from '../kernel/index.js';

/** A principal with its attached policy ARNs. */
export interface PrincipalWithPolicies extends Principal {
  policyArns: string[];
}

/** A principal: an identity in an account that holds access keys and has policies attached. */
export interface Principal {
  principalId: string;
  accountId: string;
  name: string;
  kind: PrincipalKind;
  arn: string;
  createdAt: Date;
}

/** Active keys authenticate; inactive ones are refused but kept (until deleted) so rotation can be undone. */
export type AccessKeyStatus = 'Active' | 'Inactive';

/** An access key as stored; the secret is only ever held encrypted. */
export interface AccessKeyRecord {
  accessKeyId: string;
  principalId: string;
  secretCiphertext: string;
  status: AccessKeyStatus;
  createdAt: Date;
  lastUsedAt: Date | undefined;
}

/** An access key as listed to an administrator (never with its secret). */
export interface AccessKeySummary {
  accessKeyId: string;
  principalArn: string;
  principalName: string;
  status: AccessKeyStatus;
  createdAt: Date;
  /** At one-minute resolution. */
  lastUsedAt: Date | undefined;
}

/** An account with its keys, as `bulwark admin list-accounts` shows it. */
export interface AccountSummary {
  accountId: string;
  createdAt: Date;
  keys: AccessKeySummary[];
  /**
   * The key issued together with the first account (by the server's first start, or the first create-key on an
   * empty database), while it exists.
   */
  bootstrapKeyId: string | undefined;
}

/** A policy a principal can have attached: a built-in (every account) or a customer-managed one (one account). */
export interface ManagedPolicy {
  arn: string;
  name: string;
  /** Undefined for built-ins. */
  accountId: string | undefined;
  builtIn: boolean;
  description: string;
  document: PolicyDocument;
  createdAt: Date | undefined;
  updatedAt: Date | undefined;
}

/** Credentials handed out once, when a key is created. */
export interface IssuedCredentials {
  accountId: string;
  principalArn: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** IAM's limit of keys per user (Bulwark counts active ones); roles hold one key per agent instance, unlimited. */
export const maxActiveKeysPerUser = 2;

/** Full access to everything in the principal's account: the bootstrap administrator's policy. */
export const administratorAccessPolicy: PolicyDocument = administratorAccess.document;

/** The ARN of a principal. */
export function principalArn(accountId: string, kind: PrincipalKind, name: string): string {
  return kind === 'root' ? `arn:aws:iam::${accountId}:root` : `arn:aws:iam::${accountId}:${kind}/${name}`;
}

/** The ARN of a user principal. */
export function userArn(accountId: string, name: string): string {
  return principalArn(accountId, 'user', name);
}

/** The ARN of a customer-managed policy. */
export function customerPolicyArn(accountId: string, name: string): string {
  return `arn:aws:iam::${accountId}:policy/${name}`;
}

/** IAM's rule for user, role and policy names. */
export const principalNamePattern = /^[\w+=,.@-]{1,64}$/;
export const policyNamePattern = /^[\w+=,.@-]{1,128}$/;
