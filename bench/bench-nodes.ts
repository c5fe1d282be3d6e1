/** The managed nodes the benchmarks seed: the i-th one's id and its registration as a Debian 12 agent. */
import type { ManagedInstance } from '../src/fleet/index.js';

/** The id of the bench's i-th managed node. */
export function benchInstanceId(i: number): string {
  return `mi-${i.toString(16).padStart(17, '0')}`;
}

/** The i-th node of `scope`, registered and pinging at `now`, with what a bench sets differently. */
export function benchInstance(
  i: number,
  scope: { accountId: string; region: string },
  now: Date,
  differences: Partial<ManagedInstance> = {},
): ManagedInstance {
  return {
    instanceId: benchInstanceId(i),
    ...scope,
    activationId: 'bench',
    iamRole: 'SSMServiceRole',
    name: undefined,
    principalId: `bench-${i}`,
    accessKeyId: `AKIABENCH${i}`,
    policyArn: 'arn:aws:iam::aws:policy/BulwarkAgent',
    fingerprint: undefined,
    registeredAt: now,
    lastPingAt: now,
    deregisteredAt: undefined,
    associationStatus: undefined,
    lastAssociationExecutionAt: undefined,
    lastSuccessfulAssociationExecutionAt: undefined,
    agentName: 'bulwark-agent',
    agentVersion: '9.0.0',
    platformType: 'Linux',
    platformName: 'Debian GNU/Linux',
    platformVersion: '12',
    computerName: `node-${i}`,
    ipAddress: '10.0.0.1',
    ...differences,
  };
}
