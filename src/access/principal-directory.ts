/** Finds principals and policies by the references `bulwark admin` accepts, and checks account ids and names. */
import { invalidInput, notFound } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import type { AccessStore } from './access-store.js';
import { builtInPolicyArn, findBuiltInPolicy, type builtInPolicies } from './builtin-policies.js';
import {
  customerPolicyArn,
  principalArn,
  principalNamePattern,
  type ManagedPolicy,
  type Principal,
} from './access-model.js';

const accountPattern = /^\d{12}$/;

/** InvalidInput unless `accountId` is 12 digits. */
export function checkAccountId(accountId: string): void {
  if (!accountPattern.test(accountId)) throw invalidInput(`account id "${accountId}" must be 12 digits`);
}

/** InvalidInput unless `name` is a valid IAM principal name. */
export function checkPrincipalName(name: string): void {
  if (!principalNamePattern.test(name)) {
    throw invalidInput(`principal name "${name}" must be 1-64 of [A-Za-z0-9_+=,.@-]`);
  }
}

/** A principal by `NAME`, `user/NAME`, `role/NAME` or ARN; undefined when absent (or `required` → NotFound). */
export async function findPrincipal(
  store: AccessStore,
  db: DbExecutor,
  accountId: string,
  reference: string,
  required: boolean,
): Promise<Principal | undefined> {
  let found: Principal | undefined;
  if (reference.startsWith('arn:')) {
    found = await store.findPrincipalByArn(db, reference);
    if (found !== undefined && found.accountId !== accountId) found = undefined;
  } else {
    const match = /^(user|role)\/(.+)$/.exec(reference);
    if (match?.[1] !== undefined && match[2] !== undefined) {
      found = await store.findPrincipalByArn(
        db,
        principalArn(accountId, match[1] as 'user' | 'role', match[2]),
      );
    } else {
      const candidates = await store.findPrincipalsByName(db, accountId, reference);
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
export async function requirePrincipal(
  store: AccessStore,
  db: DbExecutor,
  accountId: string,
  reference: string,
): Promise<Principal> {
  const found = await findPrincipal(store, db, accountId, reference, true);
  if (found === undefined) throw notFound(`no principal ${reference} in account ${accountId}`);
  return found;
}
/** A policy by name (built-in or the account's own) or ARN. */
export async function resolvePolicy(
  store: AccessStore,
  db: DbExecutor,
  accountId: string,
  reference: string,
): Promise<ManagedPolicy> {
  const name = reference.startsWith('arn:') ? reference.slice(reference.lastIndexOf('/') + 1) : reference;
  const builtIn = findBuiltInPolicy(name);
  if (builtIn !== undefined && (reference === name || reference === builtInPolicyArn(name))) {
    return toManagedPolicy(builtIn);
  }
  if (reference.startsWith('arn:') && reference !== customerPolicyArn(accountId, name)) {
    throw notFound(`no policy ${reference} in account ${accountId}`);
  }
  const customer = await store.findCustomerPolicy(db, accountId, name);
  if (customer === undefined) throw notFound(`no policy ${reference} in account ${accountId}`);
  return customer;
}

/** A built-in policy as a ManagedPolicy. */
export function toManagedPolicy(policy: (typeof builtInPolicies)[number]): ManagedPolicy {
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
