/**
 * The fleet's rules: activations, agent registration with an activation code, heartbeats (PingStatus),
 * DescribeInstanceInformation and deregistration. Every change writes its events in the caller's transaction.
 */
import type { Actor } from '../access/index.js';
import type { Ctx, SortKey } from '../kernel/index.js';
import { accessDenied } from '../kernel/index.js';
import { matchesTargets, type Target } from '../protocols/ssm/index.js';
import type { DbExecutor } from '../storage/database.js';
import { appendEvent } from '../worker/index.js';
import type { InstanceCredentials } from './instance-credentials.js';
import { checkInstanceFilters, wantsInactive, type InstanceFilter } from './instance-filters.js';
import {
  activationArn,
  activationCodeMatches,
  activationLimits,
  defaultPingTimeoutSeconds,
  hashActivationCode,
  maxManagedInstancesPerRegion,
  newActivationCode,
  newActivationId,
  newManagedInstanceId,
  pingStatusOf,
  type Activation,
  type ActivationFilter,
  type InstanceFacts,
  type ManagedInstance,
  type PingStatus,
  type Tag,
} from './fleet-model.js';
import { ssmError } from '../protocols/ssm/index.js';
import type { FleetStore } from './fleet-store.js';
import type { SsmTagStore } from './tag-store.js';

/** CreateActivation's input. */
export interface NewActivation {
  iamRole: string;
  description?: string | undefined;
  defaultInstanceName?: string | undefined;
  registrationLimit?: number | undefined;
  expirationDate?: Date | undefined;
  tags?: Tag[] | undefined;
}

/** A page of DescribeActivations: its filters, the sort key it starts after and how many rows to read. */
export interface ActivationQuery {
  filters: readonly ActivationFilter[];
  after: SortKey | undefined;
  limit: number;
}

/** A page of DescribeInstanceInformation, with filters already checked by `checkInstanceFilters`. */
export interface InstanceQuery {
  filters: readonly InstanceFilter[];
  after: SortKey | undefined;
  limit: number;
}

/** What the agent sends to register. */
export interface Registration {
  activationId: string;
  activationCode: string;
  fingerprint?: string | undefined;
  instanceName?: string | undefined;
  facts?: InstanceFacts | undefined;
}

/** What registration returns, once: the instance id and its credentials. */
export interface RegisteredInstance {
  instanceId: string;
  accountId: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** One instance as DescribeInstanceInformation shows it. */
export interface InstanceInformation {
  instance: ManagedInstance;
  pingStatus: PingStatus;
}

const factNames: Record<keyof InstanceFacts, string> = {
  agentName: 'AgentName',
  agentVersion: 'AgentVersion',
  agentStatus: 'AgentStatus',
  platformType: 'PlatformType',
  platformName: 'PlatformName',
  platformVersion: 'PlatformVersion',
  ipAddress: 'IPAddress',
  computerName: 'ComputerName',
};

/** The wire names of the facts a heartbeat changes (ignoring members it leaves out). */
function changedFacts(before: InstanceFacts, reported: InstanceFacts): string[] {
  return (Object.keys(factNames) as (keyof InstanceFacts)[])
    .filter((key) => reported[key] !== undefined && reported[key] !== before[key])
    .map((key) => factNames[key]);
}

/** Activations and managed instances of every account. */
export class FleetService {
  constructor(
    private readonly store: FleetStore,
    private readonly tags: SsmTagStore,
    private readonly credentials: InstanceCredentials,
    private readonly options: { pingTimeoutSeconds: number } = {
      pingTimeoutSeconds: defaultPingTimeoutSeconds,
    },
  ) {}

  /** Creates an activation; its code is returned here only and stored hashed. */
  async createActivation(
    ctx: Ctx,
    request: NewActivation,
  ): Promise<{ activationId: string; activationCode: string }> {
    const expiresAt =
      request.expirationDate ?? new Date(ctx.now.getTime() + activationLimits.defaultLifetimeMs);
    if (expiresAt.getTime() <= ctx.now.getTime()) {
      throw ssmError('InvalidParameters', 'ExpirationDate must be in the future.');
    }
    if (expiresAt.getTime() > ctx.now.getTime() + activationLimits.maxLifetimeMs) {
      throw ssmError('InvalidParameters', 'ExpirationDate cannot be more than 30 days in the future.');
    }
    const activation: Activation = {
      activationId: newActivationId(),
      accountId: ctx.accountId,
      region: ctx.region,
      iamRole: request.iamRole,
      description: request.description,
      defaultInstanceName: request.defaultInstanceName,
      registrationLimit: request.registrationLimit ?? activationLimits.defaultRegistrationLimit,
      registrationsCount: 0,
      expiresAt,
      createdAt: ctx.now,
      tags: request.tags ?? [],
    };
    const activationCode = newActivationCode();
    await this.store.insertActivation(ctx.tx, activation, hashActivationCode(activationCode));
    return { activationId: activation.activationId, activationCode };
  }

  /** A page of the account's activations in the Region, filtered (values OR, filters AND), oldest first. */
  async describeActivations(ctx: Ctx, query: ActivationQuery): Promise<Activation[]> {
    return this.store.pageActivations(ctx.tx, ctx, query);
  }

  /** Deletes an activation: no more registrations with it; instances it registered stay. */
  async deleteActivation(ctx: Ctx, activationId: string): Promise<void> {
    if (!(await this.store.deleteActivation(ctx.tx, ctx.accountId, ctx.region, activationId))) {
      throw ssmError('InvalidActivationId', `Activation ID ${activationId} does not exist.`);
    }
  }

  /**
   * Who is registering, from the activation id alone (the code is checked in `register`, in the transaction):
   * an actor of the activation's account with no policies, so failed attempts are audited in that account,
   * and the activation's Region (registration runs there, whatever Region the agent signed for).
   */
  async identifyActivation(db: DbExecutor, activationId: string): Promise<{ actor: Actor; region: string }> {
    const found = await this.store.findActivation(db, activationId);
    if (found === undefined) {
      throw ssmError('InvalidActivationId', `Activation ID ${activationId} does not exist.`);
    }
    const { activation } = found;
    return {
      actor: {
        accountId: activation.accountId,
        principalId: activation.activationId,
        principalArn: activationArn(activation.region, activation.accountId, activation.activationId),
        principalName: activation.activationId,
        principalType: 'role',
        accessKeyId: '',
        policies: [],
      },
      region: activation.region,
    };
  }

  /**
   * Registers a host with an activation id and code: wrong code, expired or exhausted → InvalidActivation.
   * Issues the instance id and a key that may only act about this instance.
   */
  async register(ctx: Ctx, registration: Registration): Promise<RegisteredInstance> {
    const found = await this.store.findActivation(ctx.tx, registration.activationId);
    if (found === undefined) {
      throw ssmError('InvalidActivationId', `Activation ID ${registration.activationId} does not exist.`);
    }
    const { activation, codeHash } = found;
    if (!activationCodeMatches(registration.activationCode, codeHash)) {
      throw ssmError('InvalidActivation', 'The activation code does not match the activation ID.');
    }
    if (activation.expiresAt.getTime() <= ctx.now.getTime()) {
      throw ssmError('InvalidActivation', `Activation ${activation.activationId} has expired.`);
    }
    const scope = { accountId: activation.accountId, region: activation.region };
    if (
      (await this.store.countLiveInstances(ctx.tx, scope.accountId, scope.region)) >=
      maxManagedInstancesPerRegion
    ) {
      throw ssmError(
        'InvalidActivation',
        `The account already has ${maxManagedInstancesPerRegion} managed instances in ${scope.region}.`,
      );
    }
    if (!(await this.store.claimRegistration(ctx.tx, activation.activationId))) {
      throw ssmError(
        'InvalidActivation',
        `Activation ${activation.activationId} has reached its registration limit of ${activation.registrationLimit}.`,
      );
    }
    const instanceId = newManagedInstanceId();
    const issued = await this.credentials.issue(ctx.tx, { ...scope, instanceId }, ctx.now);
    const instance: ManagedInstance = {
      ...registration.facts,
      instanceId,
      ...scope,
      activationId: activation.activationId,
      iamRole: activation.iamRole,
      name: registration.instanceName ?? activation.defaultInstanceName,
      principalId: issued.principalId,
      accessKeyId: issued.accessKeyId,
      policyArn: issued.policyArn,
      fingerprint: registration.fingerprint,
      registeredAt: ctx.now,
      lastPingAt: ctx.now,
      deregisteredAt: undefined,
      associationStatus: undefined,
      lastAssociationExecutionAt: undefined,
      lastSuccessfulAssociationExecutionAt: undefined,
    };
    await this.store.insertInstance(ctx.tx, instance);
    await this.tags.put(
      ctx.tx,
      { ...scope, resourceType: 'ManagedInstance', resourceId: instanceId },
      activation.tags,
    );
    await appendEvent(
      ctx.tx,
      { type: 'InstanceRegistered', ...scope, instanceId, activationId: activation.activationId },
      ctx.now.getTime(),
    );
    return {
      instanceId,
      ...scope,
      accessKeyId: issued.accessKeyId,
      secretAccessKey: issued.secretAccessKey,
    };
  }

  /**
   * The managed instance the caller signs as, checked against the instance's principal; AccessDenied for
   * any other caller. Capabilities that take reports from agents (inventory, compliance, patching) use this so
   * an instance reports only about itself.
   */
  async requireCallerInstance(ctx: Ctx, instanceId: string): Promise<ManagedInstance> {
    const instance = await this.store.findInstance(ctx.tx, ctx.accountId, ctx.region, instanceId);
    if (instance === undefined || instance.deregisteredAt !== undefined) {
      throw ssmError('InvalidInstanceId', `Instance ${instanceId} is not a registered managed instance.`);
    }
    if (instance.principalId !== ctx.actor.principalId) {
      throw accessDenied(
        `User: ${ctx.actor.principalArn} is not authorized to report for ${instanceId}: only the instance's own credentials may.`,
      );
    }
    return instance;
  }

  /** The agent's heartbeat: records the ping and the reported facts; an event only when a fact changed. */
  async updateInstanceInformation(ctx: Ctx, instanceId: string, facts: InstanceFacts): Promise<void> {
    const instance = await this.requireCallerInstance(ctx, instanceId);
    await this.store.recordHeartbeat(ctx.tx, instanceId, facts, ctx.now);
    const changed = changedFacts(instance, facts);
    if (changed.length > 0) {
      await appendEvent(
        ctx.tx,
        {
          type: 'InstanceInformationUpdated',
          accountId: ctx.accountId,
          region: ctx.region,
          instanceId,
          changed,
        },
        ctx.now.getTime(),
      );
    }
  }

  /** Checks DescribeInstanceInformation's filters: a named instance must exist (Inactive ones only when asked for). */
  async checkInstanceFilters(ctx: Ctx, filters: readonly InstanceFilter[]): Promise<InstanceFilter[]> {
    const checked = checkInstanceFilters(filters);
    const includeInactive = wantsInactive(checked);
    const named = checked.filter((filter) => filter.key === 'InstanceIds').flatMap((filter) => filter.values);
    if (named.length > 0) {
      const found = await this.store.findInstances(ctx.tx, ctx.accountId, ctx.region, named);
      const known = new Set(
        found
          .filter((instance) => includeInactive || instance.deregisteredAt === undefined)
          .map((instance) => instance.instanceId),
      );
      const unknown = named.find((id) => !known.has(id));
      if (unknown !== undefined) {
        throw ssmError('InvalidInstanceId', `Instance ${unknown} is not a registered managed instance.`);
      }
    }
    return checked;
  }

  /** DescribeInstanceInformation: a page of instances passing checked filters, with their PingStatus, by id. */
  async describeInstanceInformation(ctx: Ctx, query: InstanceQuery): Promise<InstanceInformation[]> {
    const instances = await this.store.pageInstances(ctx.tx, ctx, {
      ...query,
      includeDeregistered: wantsInactive(query.filters),
      onlineSince: ctx.now.getTime() - this.options.pingTimeoutSeconds * 1000,
    });
    return instances.map((instance) => ({ instance, pingStatus: this.pingStatus(instance, ctx.now) }));
  }

  /** Deregisters an instance: hidden from listings, its key, policy and tags deleted at once. */
  async deregister(ctx: Ctx, instanceId: string): Promise<void> {
    const instance = await this.store.findInstance(ctx.tx, ctx.accountId, ctx.region, instanceId);
    if (instance === undefined || instance.deregisteredAt !== undefined) {
      throw ssmError('InvalidInstanceId', `Instance ${instanceId} is not a registered managed instance.`);
    }
    await this.store.markDeregistered(ctx.tx, instanceId, ctx.now);
    await this.credentials.retire(ctx.tx, instance);
    await this.tags.removeAll(ctx.tx, {
      accountId: ctx.accountId,
      region: ctx.region,
      resourceType: 'ManagedInstance',
      resourceId: instanceId,
    });
    await appendEvent(
      ctx.tx,
      { type: 'InstanceDeregistered', accountId: ctx.accountId, region: ctx.region, instanceId },
      ctx.now.getTime(),
    );
  }

  /** The live managed instances of the account in the Region that match every target, by id. */
  async resolveTargets(
    db: DbExecutor,
    scope: { accountId: string; region: string },
    targets: readonly Target[],
  ): Promise<string[]> {
    const [instances, tags] = await Promise.all([
      this.store.listInstances(db, scope.accountId, scope.region, false),
      this.tags.listByType(db, { ...scope, resourceType: 'ManagedInstance' }),
    ]);
    return instances
      .map((instance) => instance.instanceId)
      .filter((id) =>
        matchesTargets(
          targets,
          id,
          Object.fromEntries((tags.get(id) ?? []).map((tag) => [tag.key, tag.value])),
        ),
      );
  }

  /** Whether a live managed instance of the account exists in the Region (the tagging API's resolver). */
  async instanceExists(
    db: DbExecutor,
    scope: { accountId: string; region: string },
    instanceId: string,
  ): Promise<boolean> {
    const instance = await this.store.findInstance(db, scope.accountId, scope.region, instanceId);
    return instance !== undefined && instance.deregisteredAt === undefined;
  }

  /** The PingStatus of an instance now. */
  pingStatus(instance: ManagedInstance, now: Date): PingStatus {
    return pingStatusOf(instance, now, this.options.pingTimeoutSeconds);
  }
}
