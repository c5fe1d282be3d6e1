/** The fleet's registered instances as inventory and compliance see them: AWS:InstanceInformation attributes. */
import type { Scope, SortKey } from '../kernel/index.js';
import type { DbExecutor } from '../storage/database.js';
import type { InstanceDirectory, InstanceInformation } from './inventory-ports.js';
import type { ManagedInstance, PingStatus } from './fleet-model.js';
import type { FleetStore } from './fleet-store.js';

/** The AWS:InstanceInformation content of a managed instance (spec §3.2); absent facts are left out. */
export function instanceInformationAttributes(
  instance: ManagedInstance,
  pingStatus: PingStatus,
): Record<string, string> {
  const attributes: Record<string, string> = {
    InstanceId: instance.instanceId,
    ResourceType: 'ManagedInstance',
    InstanceStatus: pingStatus === 'Online' ? 'Active' : 'ConnectionLost',
  };
  const facts: [string, string | undefined][] = [
    ['AgentType', instance.agentName],
    ['AgentVersion', instance.agentVersion],
    ['AgentStatus', instance.agentStatus],
    ['ComputerName', instance.computerName],
    ['IpAddress', instance.ipAddress],
    ['PlatformName', instance.platformName],
    ['PlatformType', instance.platformType],
    ['PlatformVersion', instance.platformVersion],
  ];
  for (const [name, value] of facts) if (value !== undefined) attributes[name] = value;
  return attributes;
}

/** An InstanceDirectory over the fleet's instance table (live instances only). */
export class FleetInstanceDirectory implements InstanceDirectory {
  constructor(
    private readonly store: FleetStore,
    private readonly pingStatus: (instance: ManagedInstance, now: Date) => PingStatus,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async instanceInformation(
    db: DbExecutor,
    accountId: string,
    region: string,
    instanceIds?: readonly string[],
  ): Promise<ReadonlyMap<string, Readonly<Record<string, string>>>> {
    const instances =
      instanceIds !== undefined && instanceIds.length === 1
        ? [await this.store.findInstance(db, accountId, region, instanceIds[0] ?? '')]
        : await this.store.listInstances(db, accountId, region, false);
    const wanted = instanceIds === undefined ? undefined : new Set(instanceIds);
    const now = this.clock();
    const result = new Map<string, Record<string, string>>();
    for (const instance of instances) {
      if (instance === undefined || instance.deregisteredAt !== undefined) continue;
      if (wanted !== undefined && !wanted.has(instance.instanceId)) continue;
      result.set(
        instance.instanceId,
        instanceInformationAttributes(instance, this.pingStatus(instance, now)),
      );
    }
    return result;
  }

  async pageInstanceInformation(
    db: DbExecutor,
    scope: Scope,
    after: SortKey | undefined,
    limit: number,
  ): Promise<InstanceInformation[]> {
    const instances = await this.store.pageInstances(db, scope, {
      filters: [],
      includeDeregistered: false,
      onlineSince: 0,
      after,
      limit,
    });
    const now = this.clock();
    return instances.map((instance) => ({
      instanceId: instance.instanceId,
      attributes: instanceInformationAttributes(instance, this.pingStatus(instance, now)),
    }));
  }
}
