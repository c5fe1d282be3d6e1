/**
 * Many nodes on one PostgreSQL database, as real processes: two `--role api` nodes serve imports while two
 * `--role worker` nodes and a `--role scheduler` node share the background work. One worker is killed with
 * SIGKILL in the middle of a job; the other finishes that job after the lease expires, and every outbox event
 * is handled exactly once.
 *
 * Events: the findings service does not raise events yet, so the test appends them with the production
 * `appendEvent()` from many concurrent transactions of its own (exactly what an API node's request transaction
 * will do), including transactions held open while later ones commit. The workers run the e2e probes
 * (BULWARK_E2E_PROBES=1): a subscriber that writes a ledger row per event in its handling transaction, and a
 * slow job that records its start and finish — the only test-specific code the servers load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BatchImportFindingsCommand,
  EnableSecurityHubCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import {
  CreateMaintenanceWindowCommand,
  DescribeMaintenanceWindowExecutionsCommand,
  RegisterTargetWithMaintenanceWindowCommand,
  RegisterTaskWithMaintenanceWindowCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../src/storage/database.js';
import { openDatabase } from '../src/storage/open-database.js';
import { enqueue } from '../src/worker/job-queue.js';
import { appendEvent } from '../src/worker/outbox.js';
import type { BulwarkEvent } from '../src/worker/events.js';
import { buildFinding } from './factories.js';
import { onlyOn } from './support/engine-only.js';
import { bulwarkBin, repoRoot } from './support/server-harness.js';
import { testRunId } from './support/test-run-id.js';

const baseUrl = process.env['BULWARK_TEST_DATABASE_URL'] ?? '';
const onPostgres = baseUrl.startsWith('postgres');
const leaseMs = 2000;

interface Node {
  name: string;
  child: ChildProcess;
  output: () => string;
  endpoint?: string;
  workerId?: string;
  credentials?: { accountId: string; accessKeyId: string; secretAccessKey: string };
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const nodes: Node[] = [];

function startNode(
  name: string,
  databaseUrl: string,
  dataDir: string,
  masterKey: string,
  role: string,
): Promise<Node> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('BULWARK_')) env[key] = value;
  Object.assign(env, {
    BULWARK_MASTER_KEY: masterKey,
    BULWARK_E2E_PROBES: '1',
    BULWARK_WORKER_LEASE_MS: String(leaseMs),
    BULWARK_WORKER_POLL_MS: '100',
    BULWARK_MAINTENANCE_TICK_MS: '200',
  });
  const child = spawn(
    process.execPath,
    [
      bulwarkBin,
      'server',
      '--database',
      databaseUrl,
      '--data-dir',
      dataDir,
      '--role',
      role,
      '--port',
      '0',
      '--log-level',
      'warn',
      '--metrics-listen',
      '127.0.0.1:0',
    ],
    { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const node: Node = { name, child, output: () => out, exited };
  nodes.push(node);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${out}`)), 20_000);
    void exited.then((status) => reject(new Error(`${name} exited (${JSON.stringify(status)}):\n${out}`)));
    const check = (): void => {
      const endpoint = /Bulwark is listening on (http:\/\/\S+)/.exec(out)?.[1];
      const workerId = /Bulwark background roles \S+ started as (\S+)/.exec(out)?.[1];
      if (role.includes('api') && endpoint === undefined) return;
      if (role !== 'api' && workerId === undefined) return;
      if (endpoint !== undefined) node.endpoint = endpoint;
      if (workerId !== undefined) node.workerId = workerId;
      const accountId = /^\s*account:\s+(\d{12})\s*$/m.exec(out)?.[1];
      const accessKeyId = /^\s*aws_access_key_id:\s+(\S+)\s*$/m.exec(out)?.[1];
      const secretAccessKey = /^\s*aws_secret_access_key:\s+(\S+)\s*$/m.exec(out)?.[1];
      if (accountId !== undefined && accessKeyId !== undefined && secretAccessKey !== undefined) {
        node.credentials = { accountId, accessKeyId, secretAccessKey };
      }
      clearTimeout(timer);
      resolve(node);
    };
    child.stdout.on('data', check);
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}\n${nodes.map((n) => `--- ${n.name}\n${n.output()}`).join('\n')}`,
      );
    }
    await sleep(100);
  }
}

/** The nodes share one PostgreSQL database: the SQLite pass declares the suite skipped (see scripts/run-tests.js). */
const suiteOptions = { timeout: 60_000, ...onlyOn('postgres', 'the nodes share one PostgreSQL database') };

describe('many nodes on one PostgreSQL database (real processes)', suiteOptions, () => {
  const dbName = `bulwark_e2e_${testRunId}_multinode_${process.pid}_${Date.now()}`;
  let databaseUrl = '';
  let dataDir = '';
  let db: Db | undefined;

  before(async () => {
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const url = new URL(baseUrl);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
    dataDir = mkdtempSync(join(tmpdir(), 'bulwark-multinode-'));
  });

  after(async () => {
    for (const node of nodes) node.child.kill('SIGKILL');
    await Promise.all(nodes.map((node) => node.exited));
    await db?.destroy();
    if (dataDir !== '') rmSync(dataDir, { recursive: true, force: true });
    if (onPostgres) {
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      // Without FORCE first: backends of the killed nodes and of this process's closed pool take a moment to go,
      // and terminating one this process still reads from would surface as an uncaught error here.
      for (let attempt = 0; ; attempt += 1) {
        try {
          await admin.query(`drop database if exists ${dbName}${attempt < 20 ? '' : ' with (force)'}`);
          break;
        } catch (error) {
          if (attempt >= 20) throw error;
          await sleep(250);
        }
      }
      await admin.end();
    }
  });

  it('handles every event exactly once and finishes a killed worker’s job on another worker', async () => {
    const masterKey = randomBytes(32).toString('base64');
    // The first node migrates the fresh database and bootstraps the first account; the others join it.
    const api1 = await startNode('api-1', databaseUrl, dataDir, masterKey, 'api');
    const [api2, worker1, worker2] = await Promise.all([
      startNode('api-2', databaseUrl, dataDir, masterKey, 'api'),
      startNode('worker-1', databaseUrl, dataDir, masterKey, 'worker'),
      startNode('worker-2', databaseUrl, dataDir, masterKey, 'worker'),
      startNode('scheduler', databaseUrl, dataDir, masterKey, 'scheduler'),
    ]);
    assert.ok(api1.credentials, 'api-1 bootstrapped the database');
    assert.equal(api2.credentials, undefined, 'api-2 joined the existing database');
    const workers = [worker1, worker2];
    const workerIds = new Set(workers.map((w) => w.workerId));
    db = (await openDatabase(databaseUrl)).db;
    const database = db;

    // Both API nodes serve signed requests against the shared database.
    const credentials = api1.credentials;
    const clients = [api1, api2].map(
      (node) =>
        new SecurityHubClient({
          endpoint: node.endpoint!,
          region: 'us-east-1',
          credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
          maxAttempts: 1,
        }),
    );
    await clients[0]!.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));

    // A maintenance window due in 3 s: two workers run scheduler ticks, and the run must start exactly once.
    const ssm = new SSMClient({
      endpoint: api2.endpoint!,
      region: 'us-east-1',
      credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      maxAttempts: 1,
    });
    const { WindowId: windowId } = await ssm.send(
      new CreateMaintenanceWindowCommand({
        Name: 'multi-node-window',
        Schedule: `at(${new Date(Date.now() + 3000).toISOString().slice(0, 19)})`,
        Duration: 1,
        Cutoff: 0,
        AllowUnassociatedTargets: false,
      }),
    );
    const { WindowTargetId: windowTargetId } = await ssm.send(
      new RegisterTargetWithMaintenanceWindowCommand({
        WindowId: windowId,
        ResourceType: 'INSTANCE',
        Targets: [{ Key: 'tag:Role', Values: ['none-yet'] }],
      }),
    );
    await ssm.send(
      new RegisterTaskWithMaintenanceWindowCommand({
        WindowId: windowId,
        TaskType: 'AUTOMATION',
        TaskArn: 'Bulwark-ExportPatchComplianceToFindings',
        Targets: [{ Key: 'WindowTargetIds', Values: [windowTargetId!] }],
        MaxConcurrency: '1',
        MaxErrors: '0',
      }),
    );
    for (const client of clients) {
      const findings = Array.from({ length: 20 }, () =>
        buildFinding({}, { accountId: credentials.accountId }),
      );
      const result = await client.send(new BatchImportFindingsCommand({ Findings: findings }));
      assert.equal(result.SuccessCount, 20);
    }

    // A slow job (4 s, lease 2 s renewed while it runs); kill -9 the worker that took it.
    const jobId = await enqueue(database, { name: 'e2e-sleep', payload: { ms: 4000 }, maxAttempts: 3 });
    assert.ok(jobId !== undefined);
    const firstRun = await waitFor('the slow job to start', async () => {
      const r = await sql<{
        worker: string;
      }>`select worker from e2e_job_runs where job_id = ${jobId} and phase = 'started'`.execute(database);
      return r.rows[0];
    });
    const victim = workers.find((w) => w.workerId === firstRun.worker);
    const survivor = workers.find((w) => w !== victim);
    assert.ok(victim && survivor, `the job ran on a worker node (${firstRun.worker})`);

    // Events from concurrent transactions, some held open while others commit; the kill lands mid-stream.
    const event = (n: number): BulwarkEvent => ({
      type: n % 3 === 0 ? 'FindingsUpdated' : 'FindingsImported',
      accountId: credentials.accountId,
      region: 'us-east-1',
      findings: [
        {
          productArn: `arn:aws:securityhub:us-east-1:${credentials.accountId}:product/x/default`,
          findingId: `e-${n}`,
        },
      ],
    });
    const writers = 8;
    const perWriter = 25;
    const appendAll = Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < perWriter; i += 1) {
          await database.transaction().execute(async (tx) => {
            await appendEvent(tx, event(w * perWriter + i));
            if (i % 5 === 0) await sleep(30);
          });
        }
      }),
    );
    await sleep(200);
    victim.child.kill('SIGKILL');
    const killed = await victim.exited;
    assert.equal(killed.signal, 'SIGKILL');
    await appendAll;
    // The appended events, plus the FindingsImported event each API node's import raised with its write.
    const total = writers * perWriter + clients.length;

    // The survivor takes the job over once the dead worker's lease expires, and finishes it.
    const job = await waitFor('the job to be finished by the other worker', async () => {
      const row = await database.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
      return row?.state === 'done' ? row : undefined;
    });
    assert.equal(job.attempts, 2, 'one attempt died with its worker, the second succeeded');
    const runs = await sql<{
      attempt: number;
      worker: string;
      phase: string;
    }>`select attempt, worker, phase from e2e_job_runs where job_id = ${jobId} order by attempt, phase desc`.execute(
      database,
    );
    assert.deepEqual(
      runs.rows.map((r) => [Number(r.attempt), r.worker, r.phase]),
      [
        [1, victim.workerId, 'started'],
        [2, survivor.workerId, 'started'],
        [2, survivor.workerId, 'finished'],
      ],
    );

    // Every event handled exactly once, only by worker nodes.
    const ledger = await waitFor('every event to be handled', async () => {
      const r = await sql<{ seq: number; worker: string }>`select seq, worker from e2e_event_ledger`.execute(
        database,
      );
      return r.rows.length >= total ? r.rows : undefined;
    });
    await sleep(500);
    const final = await sql<{
      seq: number;
      worker: string;
    }>`select seq, worker from e2e_event_ledger`.execute(database);
    assert.equal(final.rows.length, ledger.length, 'nothing handled after all were handled');
    const outbox = await database.selectFrom('outbox').select('seq').execute();
    assert.equal(outbox.length, total);
    const handled = final.rows.map((r) => Number(r.seq));
    assert.equal(handled.length, total, 'each event handled once, no duplicates');
    assert.deepEqual(new Set(handled), new Set(outbox.map((r) => r.seq)), 'and none missed');
    assert.ok(
      final.rows.every((r) => workerIds.has(r.worker)),
      'API nodes ran no subscribers',
    );

    // The window ran once, whichever workers ticked.
    await waitFor('the maintenance window to run', async () => {
      const { WindowExecutions } = await ssm.send(
        new DescribeMaintenanceWindowExecutionsCommand({ WindowId: windowId }),
      );
      return WindowExecutions?.[0]?.Status === 'SUCCESS' ? WindowExecutions : undefined;
    });
    await sleep(600);
    const { WindowExecutions: windowRuns } = await ssm.send(
      new DescribeMaintenanceWindowExecutionsCommand({ WindowId: windowId }),
    );
    assert.deepEqual(
      windowRuns?.map((r) => r.Status),
      ['SUCCESS'],
      'one execution',
    );
    ssm.destroy();

    // The scheduler node registered the recurring jobs; the API nodes still answer; the survivor stops cleanly.
    const schedules = await database.selectFrom('schedules').select('name').orderBy('name').execute();
    assert.deepEqual(
      schedules.map((s) => s.name),
      [
        'association-runs',
        'audit-seal',
        'audit-verify',
        'command-timeouts',
        'console-purge',
        'controls-sweep',
        'findings-retention',
        'maintenance-windows',
        'worker-housekeeping',
      ],
    );
    survivor.child.kill('SIGTERM');
    assert.deepEqual(await survivor.exited, { code: 0, signal: null });
    for (const client of clients) client.destroy();
  });
});
