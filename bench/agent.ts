/**
 * Idle footprint of the host agent: starts a local hub, registers an agent, lets it run idle (default
 * intervals: heartbeat 5 min, command poll 30 s) for BENCH_AGENT_SECONDS (default 60) after a warm-up,
 * and prints CPU % of one core (utime+stime from /proc/<pid>/stat) and RSS (VmRSS, VmHWM).
 * Run: `npx tsc -p tsconfig.json && node dist/bench/agent.js`.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { CreateActivationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { bulwarkBin, repoRoot, startServer } from '../test/support/server-harness.js';

const run = promisify(execFile);
const CLOCK_TICKS = 100; // getconf CLK_TCK on Linux

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the full line)
}

function memoryKiB(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0);
}

const seconds = Number(process.env['BENCH_AGENT_SECONDS'] ?? '60');
const warmupSeconds = Number(process.env['BENCH_AGENT_WARMUP_SECONDS'] ?? '10');
const server = await startServer();
const stateDir = mkdtempSync(join(tmpdir(), 'bulwark-agent-bench-'));
const ssm = new SSMClient({
  endpoint: server.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
});
try {
  const activation = await ssm.send(new CreateActivationCommand({ IamRole: 'SSMServiceRole' }));
  await run(process.execPath, [
    bulwarkBin,
    'agent',
    'register',
    '--hub',
    server.endpoint,
    '--activation-id',
    activation.ActivationId ?? '',
    '--activation-code',
    activation.ActivationCode ?? '',
    '--state-dir',
    stateDir,
  ]);
  const agent = spawn(process.execPath, [bulwarkBin, 'agent', 'run', '--state-dir', stateDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const pid = agent.pid ?? 0;
  // The warm-up covers start-up and the first heartbeat + full inventory upload (dpkg-query).
  await sleep(warmupSeconds * 1000);
  const startTicks = cpuTicks(pid);
  const started = process.hrtime.bigint();
  let maxRss = 0;
  for (let i = 0; i < seconds; i += 1) {
    await sleep(1000);
    maxRss = Math.max(maxRss, memoryKiB(pid, 'VmRSS'));
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuSeconds = (cpuTicks(pid) - startTicks) / CLOCK_TICKS;
  const result = {
    idleSeconds: Math.round(elapsed),
    cpuPercentOfOneCore: Number(((cpuSeconds / elapsed) * 100).toFixed(3)),
    rssMiB: Number((memoryKiB(pid, 'VmRSS') / 1024).toFixed(1)),
    maxIdleRssMiB: Number((maxRss / 1024).toFixed(1)),
    peakRssMiB: Number((memoryKiB(pid, 'VmHWM') / 1024).toFixed(1)),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  agent.kill('SIGTERM');
  await new Promise((resolve) => agent.once('exit', resolve));
} finally {
  ssm.destroy();
  await server.dispose();
  rmSync(stateDir, { recursive: true, force: true });
}
