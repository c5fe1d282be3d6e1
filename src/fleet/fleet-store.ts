/** Persistence of activations and managed instances. */
import type { Selectable } from 'kysely';
import { afterKey, inScope, type Scope, type SortKey } from '../kernel/index.js';
import { chunk } from '../storage/index.js';
import type { DbExecutor, SsmActivationsTable, SsmManagedInstancesTable } from '../storage/database.js';
import type {
  Activation,
  ActivationFilter,
  InstanceFacts,
  ManagedInstance,
  PlatformType,
  Tag,
} from './fleet-model.js';
import { platformTypes } from './fleet-model.js';
import { instanceFiltersWhere, type InstanceFilter } from './instance-filters.js';

const toDate = (ms: number | string | null): Date | undefined =>
  ms === null ? undefined : new Date(Number(ms));
const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);
const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

function toActivation(row: Selectable<SsmActivationsTable>): Activation {
  return {
    activationId: row.activation_id,
    accountId: row.account_id,
    region: row.region,
    iamRole: row.iam_role,
    description: orUndefined(row.description),
    defaultInstanceName: orUndefined(row.default_instance_name),
    registrationLimit: Number(row.registration_limit),
    registrationsCount: Number(row.registrations_count),
    expiresAt: new Date(Number(row.expires_at)),
    createdAt: new Date(Number(row.created_at)),
    tags: JSON.parse(row.tags) as Tag[],
  };
}

const toPlatformType = (value: string | null): PlatformType | undefined =>
  platformTypes.find((type) => type === value);

function toInstance(row: Selectable<SsmManagedInstancesTable>): ManagedInstance {
  return {
    instanceId: row.instance_id,
    accountId: row.account_id,
    region: row.region,
    activationId: row.activation_id,
    iamRole: row.iam_role,
    name: orUndefined(row.name),
    principalId: row.principal_id,
    accessKeyId: row.access_key_id,
    policyArn: row.policy_arn,
    fingerprint: orUndefined(row.fingerprint),
    registeredAt: new Date(Number(row.registered_at)),
    lastPingAt: new Date(Number(row.last_ping_at)),
    deregisteredAt: toDate(row.deregistered_at),
    agentName: orUndefined(row.agent_name),
    agentVersion: orUndefined(row.agent_version),
    agentStatus: orUndefined(row.agent_status),
    platformType: toPlatformType(row.platform_type),
    platformName: orUndefined(row.platform_name),
    platformVersion: orUndefined(row.platform_version),
    ipAddress: orUndefined(row.ip_address),
    computerName: orUndefined(row.computer_name),
    associationStatus: orUndefined(row.association_status),
    lastAssociationExecutionAt: toDate(row.last_association_execution_at),
    lastSuccessfulAssociationExecutionAt: toDate(row.last_successful_association_execution_at),
  };
}

function factColumns(facts: InstanceFacts): Partial<SsmManagedInstancesTable> {
  const columns: Partial<SsmManagedInstancesTable> = {};
  if (facts.agentName !== undefined) columns.agent_name = facts.agentName;
  if (facts.agentVersion !== undefined) columns.agent_version = facts.agentVersion;
  if (facts.agentStatus !== undefined) columns.agent_status = facts.agentStatus;
  if (facts.platformType !== undefined) columns.platform_type = facts.platformType;
  if (facts.platformName !== undefined) columns.platform_name = facts.platformName;
  if (facts.platformVersion !== undefined) columns.platform_version = facts.platformVersion;
  if (facts.ipAddress !== undefined) columns.ip_address = facts.ipAddress;
  if (facts.computerName !== undefined) columns.computer_name = facts.computerName;
  return columns;
}

/** Reads and writes activations and managed instances. */
export class FleetStore {
  async insertActivation(db: DbExecutor, activation: Activation, codeHash: string): Promise<void> {
    await db
      .insertInto('ssm_activations')
      .values({
        activation_id: activation.activationId,
        account_id: activation.accountId,
        region: activation.region,
        code_hash: codeHash,
        iam_role: activation.iamRole,
        description: orNull(activation.description),
        default_instance_name: orNull(activation.defaultInstanceName),
        registration_limit: activation.registrationLimit,
        registrations_count: activation.registrationsCount,
        expires_at: activation.expiresAt.getTime(),
        created_at: activation.createdAt.getTime(),
        tags: JSON.stringify(activation.tags),
      })
      .execute();
  }

  /** An activation by id in any account (registration knows only the id), with its code hash. */
  async findActivation(
    db: DbExecutor,
    activationId: string,
  ): Promise<{ activation: Activation; codeHash: string } | undefined> {
    const row = await db
      .selectFrom('ssm_activations')
      .selectAll()
      .where('activation_id', '=', activationId)
      .executeTakeFirst();
    return row === undefined ? undefined : { activation: toActivation(row), codeHash: row.code_hash };
  }

  /**
   * A page of the scope's activations, oldest first (by creation time, then id), after `after`: values of one
   * filter OR, filters AND.
   */
  async pageActivations(
    db: DbExecutor,
    scope: Scope,
    query: { filters: readonly ActivationFilter[]; after: SortKey | undefined; limit: number },
  ): Promise<Activation[]> {
    const columns = {
      ActivationIds: 'activation_id',
      IamRole: 'iam_role',
      DefaultInstanceName: 'default_instance_name',
    } as const;
    let select = db.selectFrom('ssm_activations').selectAll().where(inScope(scope));
    for (const filter of query.filters) {
      select =
        filter.values.length === 0
          ? select.where((eb) => eb.lit(false))
          : select.where(columns[filter.key], 'in', filter.values);
    }
    if (query.after !== undefined)
      select = select.where(afterKey(['created_at', 'activation_id'], query.after));
    const rows = await select.orderBy('created_at').orderBy('activation_id').limit(query.limit).execute();
    return rows.map(toActivation);
  }

  /** Deletes an activation of the account; false when there was none. */
  async deleteActivation(
    db: DbExecutor,
    accountId: string,
    region: string,
    activationId: string,
  ): Promise<boolean> {
    const result = await db
      .deleteFrom('ssm_activations')
      .where('activation_id', '=', activationId)
      .where(inScope({ accountId, region }))
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Counts one registration unless the limit is reached (atomic under concurrent registrations); false when full. */
  async claimRegistration(db: DbExecutor, activationId: string): Promise<boolean> {
    const result = await db
      .updateTable('ssm_activations')
      .set((eb) => ({ registrations_count: eb('registrations_count', '+', 1) }))
      .where('activation_id', '=', activationId)
      .whereRef('registrations_count', '<', 'registration_limit')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async insertInstance(db: DbExecutor, instance: ManagedInstance): Promise<void> {
    await db
      .insertInto('ssm_managed_instances')
      .values({
        instance_id: instance.instanceId,
        account_id: instance.accountId,
        region: instance.region,
        activation_id: instance.activationId,
        iam_role: instance.iamRole,
        name: orNull(instance.name),
        principal_id: instance.principalId,
        access_key_id: instance.accessKeyId,
        policy_arn: instance.policyArn,
        fingerprint: orNull(instance.fingerprint),
        registered_at: instance.registeredAt.getTime(),
        last_ping_at: instance.lastPingAt.getTime(),
        deregistered_at: null,
        agent_name: null,
        agent_version: null,
        agent_status: null,
        platform_type: null,
        platform_name: null,
        platform_version: null,
        ip_address: null,
        computer_name: null,
        association_status: null,
        last_association_execution_at: null,
        last_successful_association_execution_at: null,
        ...factColumns(instance),
      })
      .execute();
  }

  /** An instance of the account in the Region (deregistered ones included). */
  async findInstance(
    db: DbExecutor,
    accountId: string,
    region: string,
    instanceId: string,
  ): Promise<ManagedInstance | undefined> {
    const row = await db
      .selectFrom('ssm_managed_instances')
      .selectAll()
      .where('instance_id', '=', instanceId)
      .where(inScope({ accountId, region }))
      .executeTakeFirst();
    return row === undefined ? undefined : toInstance(row);
  }

  /** The live (registered) instance whose role principal is `principalId`. */
  async findInstanceByPrincipal(db: DbExecutor, principalId: string): Promise<ManagedInstance | undefined> {
    const row = await db
      .selectFrom('ssm_managed_instances')
      .selectAll()
      .where('principal_id', '=', principalId)
      .where('deregistered_at', 'is', null)
      .executeTakeFirst();
    return row === undefined ? undefined : toInstance(row);
  }

  /** The listed instances of an account in a Region (deregistered ones included), by id; unknown ids are skipped. */
  async findInstances(
    db: DbExecutor,
    accountId: string,
    region: string,
    instanceIds: readonly string[],
  ): Promise<ManagedInstance[]> {
    const instances: ManagedInstance[] = [];
    for (const slice of chunk(instanceIds, 500)) {
      const rows = await db
        .selectFrom('ssm_managed_instances')
        .selectAll()
        .where(inScope({ accountId, region }))
        .where('instance_id', 'in', slice)
        .orderBy('instance_id')
        .execute();
      instances.push(...rows.map(toInstance));
    }
    return instances;
  }

  /** The instances of an account in a Region by id; deregistered ones only when asked. */
  async listInstances(
    db: DbExecutor,
    accountId: string,
    region: string,
    includeDeregistered: boolean,
  ): Promise<ManagedInstance[]> {
    let query = db.selectFrom('ssm_managed_instances').selectAll().where(inScope({ accountId, region }));
    if (!includeDeregistered) query = query.where('deregistered_at', 'is', null);
    const rows = await query.orderBy('instance_id').execute();
    return rows.map(toInstance);
  }

  /**
   * A page of the scope's instances by id after `after`, passing every filter (deregistered ones only when
   * `includeDeregistered`); PingStatus Online means a ping at or after `onlineSince` (ms).
   */
  async pageInstances(
    db: DbExecutor,
    scope: Scope,
    query: {
      filters: readonly InstanceFilter[];
      includeDeregistered: boolean;
      onlineSince: number;
      after: SortKey | undefined;
      limit: number;
    },
  ): Promise<ManagedInstance[]> {
    let select = db
      .selectFrom('ssm_managed_instances')
      .selectAll()
      .where(inScope(scope))
      .where((eb) => instanceFiltersWhere(eb, query.filters, query.onlineSince));
    if (!query.includeDeregistered) select = select.where('deregistered_at', 'is', null);
    if (query.after !== undefined) select = select.where(afterKey(['instance_id'], query.after));
    const rows = await select.orderBy('instance_id').limit(query.limit).execute();
    return rows.map(toInstance);
  }

  async countLiveInstances(db: DbExecutor, accountId: string, region: string): Promise<number> {
    const row = await db
      .selectFrom('ssm_managed_instances')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(inScope({ accountId, region }))
      .where('deregistered_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Records a heartbeat: the ping time and whichever facts were reported. */
  async recordHeartbeat(db: DbExecutor, instanceId: string, facts: InstanceFacts, now: Date): Promise<void> {
    await db
      .updateTable('ssm_managed_instances')
      .set({ last_ping_at: now.getTime(), ...factColumns(facts) })
      .where('instance_id', '=', instanceId)
      .execute();
  }

  async markDeregistered(db: DbExecutor, instanceId: string, now: Date): Promise<void> {
    await db
      .updateTable('ssm_managed_instances')
      .set({ deregistered_at: now.getTime() })
      .where('instance_id', '=', instanceId)
      .execute();
  }
}
