/**
 * The credentials of a managed instance: a role principal named after the instance, its own least-privilege
 * policy (the agent's actions on its own instance ARN) and one access key — created, and on deregistration
 * retired, inside the caller's transaction, so a registration that fails leaves no principal behind.
 */
import { randomBytes } from 'node:crypto';
import { parsePolicyDocument, type AccessStore, type SecretBox } from '../access/index.js';
import type { DbExecutor } from '../storage/database.js';
import { instancePolicyDocument, instancePolicyName } from './fleet-model.js';

const keyAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** `prefix` and 16 upper-case base32 characters, in AWS's access-key/principal-id shape. */
function awsStyleId(prefix: string): string {
  let id = prefix;
  for (const byte of randomBytes(16)) id += keyAlphabet[byte % 32];
  return id;
}

/** What registration hands out once: the key, and what is kept to retire it. */
export interface IssuedInstanceCredentials {
  principalId: string;
  principalArn: string;
  policyArn: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Creates and retires instance principals through the access store. */
export class InstanceCredentials {
  constructor(
    private readonly access: AccessStore,
    private readonly secrets: SecretBox,
    /** Clears this node's identity cache (other nodes follow the access generation within seconds). */
    private readonly identitiesChanged: () => void = () => undefined,
  ) {}

  /** A role `mi-…` with policy `ManagedInstance-mi-…` and one active key. */
  async issue(
    tx: DbExecutor,
    scope: { accountId: string; region: string; instanceId: string },
    now: Date,
  ): Promise<IssuedInstanceCredentials> {
    const principalId = awsStyleId('AROA');
    const principalArn = `arn:aws:iam::${scope.accountId}:role/${scope.instanceId}`;
    const policyName = instancePolicyName(scope.instanceId);
    const policyArn = `arn:aws:iam::${scope.accountId}:policy/${policyName}`;
    const document = instancePolicyDocument(scope.region, scope.accountId, scope.instanceId);
    parsePolicyDocument(document);
    await this.access.insertPrincipal(tx, {
      principalId,
      accountId: scope.accountId,
      name: scope.instanceId,
      kind: 'role',
      arn: principalArn,
      createdAt: now,
    });
    await this.access.insertPolicy(tx, {
      arn: policyArn,
      accountId: scope.accountId,
      name: policyName,
      description: `The SSM agent of ${scope.instanceId}, about itself only (created at registration).`,
      documentText: JSON.stringify(document),
      now,
    });
    await this.access.attachPolicy(tx, principalId, policyArn, now);
    const accessKeyId = awsStyleId('AKIA');
    const secretAccessKey = randomBytes(30).toString('base64').replace(/\+/g, 'A').replace(/\//g, 'B');
    await this.access.insertAccessKey(tx, {
      accessKeyId,
      principalId,
      secretCiphertext: this.secrets.seal(secretAccessKey),
      status: 'Active',
      createdAt: now,
      lastUsedAt: undefined,
    });
    await this.access.bumpGeneration(tx);
    return { principalId, principalArn, policyArn, accessKeyId, secretAccessKey };
  }

  /** Deletes the instance's keys and its policy, so its credentials stop working everywhere. */
  async retire(
    tx: DbExecutor,
    instance: { accountId: string; principalId: string; policyArn: string },
  ): Promise<void> {
    for (const key of await this.access.listKeys(tx, instance.accountId, instance.principalId)) {
      await this.access.deleteKey(tx, key.accessKeyId);
    }
    await this.access.detachPolicy(tx, instance.principalId, instance.policyArn);
    await this.access.deletePolicy(tx, instance.policyArn);
    await this.access.bumpGeneration(tx);
    this.identitiesChanged();
  }
}
