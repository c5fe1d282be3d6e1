/** Customer-managed policies and attachments: create, delete, list, get, attach and detach. */
import { ApiError, conflict, invalidInput, notFound } from '../kernel/index.js';
import type { Db } from '../storage/database.js';
import type { AccessStore } from './access-store.js';
import {
  customerPolicyArn,
  policyNamePattern,
  type ManagedPolicy,
  type PrincipalWithPolicies,
} from './access-model.js';
import { policyAttachment, type AdministrationChanges } from './administration-change.js';
import { builtInPolicies, findBuiltInPolicy } from './builtin-policies.js';
import { parsePolicyText, PolicyDocumentError } from './policy-document.js';
import { checkAccountId, requirePrincipal, resolvePolicy, toManagedPolicy } from './principal-directory.js';

/** The policies of every account and their attachment to principals. */
export class PolicyAdministration {
  constructor(
    private readonly db: Db,
    private readonly store: AccessStore,
    private readonly changes: AdministrationChanges,
  ) {}

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
    return this.changes.run(
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
    await this.changes.run(
      async (tx) => {
        const policy = await resolvePolicy(this.store, tx, accountId, name);
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
      return resolvePolicy(this.store, this.db, accountId, name);
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
    return this.changes
      .run(
        async (tx) => {
          const principal = await requirePrincipal(this.store, tx, accountId, principalName);
          const policy = await resolvePolicy(this.store, tx, accountId, policyName);
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
      )
      .then(({ principal }) => principal);
  }
  /** Detaches a policy from a principal; NotFound when it was not attached. */
  async detachPolicy(
    accountId: string,
    principalName: string,
    policyName: string,
  ): Promise<PrincipalWithPolicies> {
    checkAccountId(accountId);
    return this.changes
      .run(
        async (tx) => {
          const principal = await requirePrincipal(this.store, tx, accountId, principalName);
          const policy = await resolvePolicy(this.store, tx, accountId, policyName);
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
      )
      .then(({ principal }) => principal);
  }
}
