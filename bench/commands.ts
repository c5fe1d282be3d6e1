/**
 * Run Command benchmark: SendCommand by Targets `tag:Env=prod` to N managed nodes (default 1,000), then the
 * nodes' agents drain it (each polls for one invocation and reports at once, round after round, until the
 * command is finished), first with the default rate control (MaxConcurrency 50, MaxErrors 0), then with
 * MaxConcurrency 10% and MaxErrors 5% where every 10th node fails, which must stop the command. Ends with
 * ListCommandInvocations and GetCommandInvocation on the big command. Every call goes through the real
 * services, one transaction each, in process; the bench checks the outcome and exits non-zero when it is wrong.
 *
 *   node dist/bench/commands.js [--nodes 1000] [--database postgres://…] [--data-dir .bench/commands]
 *
 * The agents poll in instance-id order, the order in which rate control dispatches, so a freed slot goes to a
 * node that has yet to poll in the same round.
 *
 * On PostgreSQL it works in a schema of its own (`bench_commands_<pid>`), dropped at the end.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import {
  AccessService,
  AccessStore,
  SecretBox,
  administratorAccessPolicy,
  type Actor,
} from '../src/access/index.js';
import { composeSsmCore } from '../src/app/compose-ssm.js';
import type { Ctx } from '../src/kernel/index.js';
import { FleetStore, InstanceCredentials } from '../src/fleet/index.js';
import type { Command } from '../src/operations/index.js';
import { isPostgresUrl, openDatabase } from '../src/storage/open-database.js';
import { parseFlags, percentile, rssMiB } from './bench-client.js';
import { benchInstance, benchInstanceId } from './bench-nodes.js';

const flags = parseFlags(process.argv.slice(2));
const nodeCount = Number(flags.get('nodes') ?? 1000);
const dataDir = resolve(flags.get('data-dir') ?? '.bench/commands');
const scope = { accountId: '123456789012', region: 'us-east-1' };
// Registration stops at 1,000 managed instances per account and Region, so no command targets more.
if (!Number.isInteger(nodeCount) || nodeCount < 100 || nodeCount > 1000)
  throw new Error('--nodes must be 100 to 1,000 (the managed instances an account has per Region)');

rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
const databaseUrl = flags.get('database') ?? join(dataDir, 'bulwark.sqlite');
const postgres = isPostgresUrl(databaseUrl);
const schema = postgres ? `bench_commands_${process.pid}` : undefined;
const { db } = await openDatabase(databaseUrl, schema === undefined ? {} : { schema });

// Wired like compose.ts: the fleet resolves targets and checks that an agent signs as its own instance.
const accessStore = new AccessStore();
const secrets = new SecretBox(randomBytes(32));
const access = new AccessService(db, accessStore, secrets);
const fleetStore = new FleetStore();
const credentials = new InstanceCredentials(accessStore, secrets, () => access.forgetIdentities());
const { ssmTagStore: tagStore, commands } = composeSsmCore({ pingTimeoutSeconds: 660 }, secrets, () =>
  access.forgetIdentities(),
);

const operator: Actor = {
  ...scope,
  principalId: 'AIDABENCHOPERATOR0000',
  principalArn: `arn:aws:iam::${scope.accountId}:user/bench`,
  principalName: 'bench',
  principalType: 'user',
  accessKeyId: 'AKIABENCHOPERATOR000',
  policies: [administratorAccessPolicy],
};

/** Runs one call in its own transaction, as `actor`, now. */
const call = <T>(actor: Actor, body: (ctx: Ctx) => Promise<T>): Promise<T> =>
  db.transaction().execute((tx) => body({ actor, ...scope, requestId: randomUUID(), now: new Date(), tx }));

interface Agent {
  index: number;
  instanceId: string;
  actor: Actor;
}

/**
 * N nodes as registration leaves them (principal, policy and key from InstanceCredentials, the instance row,
 * tag Env=prod), without the activation round-trip; each agent's actor is what its key resolves to.
 */
async function seedAgents(): Promise<Agent[]> {
  const now = new Date();
  await accessStore.insertAccount(db, scope.accountId, now);
  const keys: { instanceId: string; accessKeyId: string }[] = [];
  for (let start = 0; start < nodeCount; start += 500) {
    await db.transaction().execute(async (tx) => {
      for (let i = start; i < Math.min(nodeCount, start + 500); i += 1) {
        const instanceId = benchInstanceId(i);
        const issued = await credentials.issue(tx, { ...scope, instanceId }, now);
        await fleetStore.insertInstance(
          tx,
          benchInstance(i, scope, now, {
            principalId: issued.principalId,
            accessKeyId: issued.accessKeyId,
            policyArn: issued.policyArn,
          }),
        );
        await tagStore.put(tx, { ...scope, resourceType: 'ManagedInstance', resourceId: instanceId }, [
          { key: 'Env', value: 'prod' },
        ]);
        keys.push({ instanceId, accessKeyId: issued.accessKeyId });
      }
    });
  }
  const agents: Agent[] = [];
  for (const [index, key] of keys.entries()) {
    const { actor } = await access.resolveKey(key.accessKeyId, new Date());
    agents.push({ index, instanceId: key.instanceId, actor });
  }
  return agents;
}

let peakRss = 0;
const sampleRss = (): void => {
  peakRss = Math.max(peakRss, rssMiB(process.pid));
};
const ms = (value: number): string => `${value.toFixed(value < 10 ? 2 : 0)} ms`;
const line = (label: string, text: string): void => {
  process.stdout.write(`${label.padEnd(44)} ${text}\n`);
};

async function send(maxConcurrency?: string, maxErrors?: string): Promise<{ command: Command; ms: number }> {
  const start = performance.now();
  const command = await call(operator, (ctx) =>
    commands.send(ctx, {
      documentName: 'AWS-RunShellScript',
      targets: [{ key: 'tag:Env', values: ['prod'] }],
      parameters: { commands: ['true'] },
      maxConcurrency,
      maxErrors,
    }),
  );
  return { command, ms: performance.now() - start };
}

async function commandNow(commandId: string): Promise<Command> {
  const listed = await call(operator, (ctx) => commands.listCommands(ctx, { commandId, filters: [] }));
  return listed[0] ?? assert.fail(`command ${commandId} is not listed`);
}

const finished = (command: Command): boolean =>
  command.completedCount === command.targetCount && command.status !== 'Cancelling';

interface Drain {
  command: Command;
  ms: number;
  rounds: number;
  delivered: number;
  pollMs: number[];
  reportMs: number[];
}

/**
 * Every agent polls for one invocation; one it gets is reported at once with `outcomeOf(agent)`. Rounds repeat
 * until the command is finished; a round that delivers nothing to an unfinished command is a failure.
 */
async function drain(
  commandId: string,
  agents: readonly Agent[],
  outcomeOf: (agent: Agent) => 'Success' | 'Failed',
): Promise<Drain> {
  const start = performance.now();
  const pollMs: number[] = [];
  const reportMs: number[] = [];
  let rounds = 0;
  let delivered = 0;
  for (;;) {
    rounds += 1;
    let deliveredThisRound = 0;
    for (const agent of agents) {
      const pollStart = performance.now();
      const work = await call(agent.actor, (ctx) => commands.poll(ctx, agent.instanceId, [], 1));
      if (work.deliveries.length > 0) pollMs.push(performance.now() - pollStart);
      for (const { command } of work.deliveries) {
        assert.equal(command.commandId, commandId);
        const status = outcomeOf(agent);
        const reportStart = performance.now();
        await call(agent.actor, (ctx) =>
          commands.report(ctx, {
            instanceId: agent.instanceId,
            commandId,
            reportId: randomUUID(),
            status,
            responseCode: status === 'Success' ? 0 : 1,
          }),
        );
        reportMs.push(performance.now() - reportStart);
        deliveredThisRound += 1;
      }
    }
    delivered += deliveredThisRound;
    const command = await commandNow(commandId);
    if (finished(command))
      return { command, ms: performance.now() - start, rounds, delivered, pollMs, reportMs };
    assert.ok(deliveredThisRound > 0, `round ${rounds} delivered nothing; command is ${command.status}`);
  }
}

function printDrain(result: Drain): void {
  line(
    '  drained',
    `${(result.ms / 1000).toFixed(2)} s, ${((result.delivered / result.ms) * 1000).toFixed(0)} invocations/s, ${result.rounds} polling round(s), ${result.delivered} delivered`,
  );
  line(
    '  poll that delivered / report, p50 · p95',
    `${ms(percentile(result.pollMs, 50))} · ${ms(percentile(result.pollMs, 95))} / ${ms(percentile(result.reportMs, 50))} · ${ms(percentile(result.reportMs, 95))}`,
  );
}

async function timed(iterations: number, body: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const start = performance.now();
    await body();
    samples.push(performance.now() - start);
  }
  return samples;
}

async function run(): Promise<void> {
  const seedStart = performance.now();
  const agents = await seedAgents();
  const seedMs = performance.now() - seedStart;
  sampleRss();
  process.stdout.write(
    `commands bench: ${nodeCount} nodes on ${postgres ? 'PostgreSQL' : 'SQLite'} (seeded in ${(seedMs / 1000).toFixed(1)} s, load ${loadavg()[0]?.toFixed(1)})\n`,
  );

  // 1–2. Default rate control: 50 dispatched at a time, each report dispatches the next.
  const big = await send();
  assert.equal(big.command.targetCount, nodeCount, 'TargetCount');
  assert.equal(big.command.status, 'Pending');
  line(
    'SendCommand, Targets tag:Env=prod, MaxConc. 50',
    `${ms(big.ms)} (TargetCount ${big.command.targetCount})`,
  );
  const bigDrain = await drain(big.command.commandId, agents, () => 'Success');
  sampleRss();
  assert.equal(bigDrain.command.status, 'Success', 'status');
  assert.equal(bigDrain.command.completedCount, nodeCount, 'CompletedCount');
  assert.equal(bigDrain.command.errorCount, 0, 'ErrorCount');
  assert.equal(bigDrain.delivered, nodeCount, 'each invocation delivered once');
  line('  final status', `${bigDrain.command.status}, CompletedCount ${bigDrain.command.completedCount}`);
  printDrain(bigDrain);

  // 3. MaxConcurrency 10%, MaxErrors 5%: every 10th node fails, so dispatching stops past 5% errors.
  const failing = await send('10%', '5%');
  assert.equal(failing.command.targetCount, nodeCount, 'TargetCount');
  line('SendCommand, MaxConc. 10%, MaxErrors 5%', ms(failing.ms));
  const failingDrain = await drain(failing.command.commandId, agents, (agent) =>
    agent.index % 10 === 9 ? 'Failed' : 'Success',
  );
  sampleRss();
  const statuses = await call(operator, async (ctx) => {
    const counts = new Map<string, number>();
    for (const agent of agents) {
      const { invocation } = await commands.getInvocation(ctx, failing.command.commandId, agent.instanceId);
      const key = invocation.status === 'Failed' ? `Failed/${invocation.statusDetails}` : invocation.status;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  });
  const terminated = statuses.get('Failed/Terminated') ?? 0;
  const ran = (statuses.get('Success') ?? 0) + (statuses.get('Failed/Failed') ?? 0);
  assert.equal(failingDrain.command.status, 'Failed', 'status');
  assert.ok(terminated > 0, 'some invocations Terminated');
  assert.equal(
    ran + terminated,
    nodeCount,
    `every invocation ran or was Terminated: ${JSON.stringify([...statuses])}`,
  );
  assert.equal(ran, failingDrain.delivered, 'what ran is what was delivered');
  assert.ok(failingDrain.command.errorCount > Math.floor(nodeCount * 0.05), 'errors past MaxErrors');
  line(
    '  final status',
    `${failingDrain.command.status}: ${ran} ran (${statuses.get('Success') ?? 0} Success, ${failingDrain.command.errorCount} Failed), ${terminated} Terminated`,
  );
  printDrain(failingDrain);

  // 4. Reads on the big command.
  const commandId = big.command.commandId;
  const listPage = await call(operator, (ctx) =>
    commands.listInvocations(ctx, { commandId, filters: [], limit: 51 }),
  );
  assert.equal(listPage.length, 51, 'a first page of 50 and more pages');
  const list = await timed(20, () =>
    call(operator, (ctx) => commands.listInvocations(ctx, { commandId, filters: [] })),
  );
  const last = agents[agents.length - 1] ?? assert.fail('no agents');
  const get = await timed(50, () =>
    call(operator, (ctx) => commands.getInvocation(ctx, commandId, last.instanceId)),
  );
  line(
    'ListCommandInvocations, first page, p50 · p95',
    `${ms(percentile(list, 50))} · ${ms(percentile(list, 95))}`,
  );
  line('GetCommandInvocation, p50 · p95', `${ms(percentile(get, 50))} · ${ms(percentile(get, 95))}`);
  sampleRss();
  line('peak RSS (sampled after each phase)', `${peakRss.toFixed(0)} MiB (load ${loadavg()[0]?.toFixed(1)})`);
}

try {
  await run();
} finally {
  if (schema !== undefined) await sql`drop schema ${sql.id(schema)} cascade`.execute(db);
  await db.destroy();
}
