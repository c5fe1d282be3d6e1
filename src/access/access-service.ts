/**
 * Authentication state: bootstrap on first start, and key lookup for every request with an identity cache.
 *
 * Cache rules: an identity (principal, attached policies, secret) is cached per key for at most 30 s. Changes
 * made through this node's AccessAdministration clear the cache at once; every change (from any node or the
 * `bulwark admin` CLI) also bumps `access_generation`, which each node reads at most every 2 s on the request
 * path, so a deactivated key or a detached policy stops working everywhere within about 2 s (30 s at worst
 * if that read fails).
 */
import { ApiError } from '../kernel/index.js';
import type { Db } from '../storage/database.js';
import { AccessAdministration } from './administration.js';
import type { AdministrationRecorder } from './administration-change.js';
import type { Actor } from '../kernel/index.js';
import type { IssuedCredentials } from './access-model.js';
import type { SecretBox } from './secret-box.js';
import type { AccessStore } from './access-store.js';

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
const generationCheckMs = 2_000;
const lastUsedResolutionMs = 60_000;

/** Owns the rules for resolving credentials; `administration` changes principals, keys and policies. */
export class AccessService {
  private readonly identities = new Map<string, CachedIdentity>();
  /** Bumped whenever the cache is cleared, so a lookup that raced with the clearing is not cached. */
  private epoch = 0;
  private knownGeneration: number | undefined;
  private nextGenerationCheck = 0;
  private generationCheck: Promise<void> | undefined;
  /** Principals, keys and policies; its changes clear this node's cache immediately. */
  readonly administration: AccessAdministration;

  constructor(
    private readonly db: Db,
    private readonly store: AccessStore,
    private readonly secrets: SecretBox,
    /** Audits administration changes in their transaction (`bulwark admin`). */
    recordChange?: AdministrationRecorder,
  ) {
    this.administration = new AccessAdministration(
      db,
      store,
      secrets,
      () => this.forgetIdentities(),
      recordChange,
    );
  }

  /** Creates the first account and its administrator key when the database has no account; else undefined. */
  async bootstrap(now: Date): Promise<IssuedCredentials | undefined> {
    return this.administration.bootstrap(now);
  }

  /** Drops every cached identity (after a change to keys, principals, policies or attachments). */
  forgetIdentities(): void {
    this.identities.clear();
    this.epoch += 1;
  }

  /** The identity behind an access key id; UnrecognizedClient for unknown or inactive keys. */
  async resolveKey(accessKeyId: string, now: Date): Promise<KeyIdentity> {
    await this.checkGeneration(now);
    const cached = this.identities.get(accessKeyId);
    if (cached !== undefined && cached.expiresAt > now.getTime()) return cached.identity;
    const epoch = this.epoch;
    const found = await this.store.findKeyWithPrincipal(this.db, accessKeyId);
    if (found === undefined || found.key.status !== 'Active') {
      this.identities.delete(accessKeyId);
      throw new ApiError('UnrecognizedClient', 'The security token included in the request is invalid.');
    }
    const policies = await this.store.attachedDocuments(this.db, found.principal.principalId);
    const identity: KeyIdentity = {
      actor: {
        accountId: found.principal.accountId,
        principalId: found.principal.principalId,
        principalArn: found.principal.arn,
        principalName: found.principal.name,
        principalType: found.principal.kind,
        accessKeyId,
        policies,
      },
      secretAccessKey: this.secrets.open(found.key.secretCiphertext),
    };
    const lastUsed = found.key.lastUsedAt?.getTime() ?? 0;
    if (now.getTime() - lastUsed > lastUsedResolutionMs) await this.store.touchKey(this.db, accessKeyId, now);
    if (epoch === this.epoch) {
      this.identities.set(accessKeyId, { identity, expiresAt: now.getTime() + identityCacheMs });
    }
    return identity;
  }

  /** At most every 2 s: clears the cache when another node or the CLI changed access data. */
  private async checkGeneration(now: Date): Promise<void> {
    if (now.getTime() < this.nextGenerationCheck) return;
    this.nextGenerationCheck = now.getTime() + generationCheckMs;
    this.generationCheck ??= this.store
      .readGeneration(this.db)
      .then((generation) => {
        if (this.knownGeneration !== undefined && generation !== this.knownGeneration)
          this.forgetIdentities();
        this.knownGeneration = generation;
      })
      // A failed read leaves the 30 s TTL as the bound; the request itself goes on.
      .catch(() => undefined)
      .finally(() => {
        this.generationCheck = undefined;
      });
    await this.generationCheck;
  }
}
