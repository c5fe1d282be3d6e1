/**
 * AWS-RunShellScript the way the SSM Agent's runShellScript plugin does it: the `commands` lines joined into
 * a script file run by `sh` in `workingDirectory`, in a process group of its own so a timeout or a cancel
 * kills the script and everything it started; exit 0 is Success, any other code Failed.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BoundedOutput } from './bounded-output.js';
import {
  outputCaps,
  stoppedExitCode,
  type CommandExecution,
  type CommandExecutor,
  type ExecutionResult,
} from './executor.js';

/** What one script run needs. */
export interface ShellScriptRun {
  commands: readonly string[];
  /** Empty: the invocation's own scratch directory (the SSM Agent's orchestration directory). */
  workingDirectory: string;
  timeoutSeconds: number;
  signal: AbortSignal;
  /** Where the script file and scratch directory go; default the OS temp directory. */
  scratchRoot?: string;
  /** After the script exits, how long to keep reading output its leftover children still write. */
  drainMs?: number;
}

/** AWS-RunShellScript's `executionTimeout` default and maximum (seconds). */
const defaultExecutionTimeout = 3600;
const maxExecutionTimeout = 172_800;

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

/** Runs a shell script; never rejects for a script failure (that is a Failed result). */
export async function runShellScript(run: ShellScriptRun): Promise<ExecutionResult> {
  const scratch = await mkdtemp(path.join(run.scratchRoot ?? tmpdir(), 'bulwark-command-'));
  try {
    const cwd = run.workingDirectory === '' ? scratch : run.workingDirectory;
    const isDirectory = await stat(cwd).then(
      (info) => info.isDirectory(),
      () => false,
    );
    if (!isDirectory) {
      return {
        status: 'Failed',
        responseCode: 1,
        standardOutput: '',
        standardError: `Invalid workingDirectory ${cwd}: the directory does not exist.`,
      };
    }
    const script = path.join(scratch, '_script.sh');
    await writeFile(script, `${run.commands.join('\n')}\n`, { mode: 0o700 });
    return await execute(script, cwd, run);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function execute(script: string, cwd: string, run: ShellScriptRun): Promise<ExecutionResult> {
  return new Promise((resolve) => {
    const stdout = new BoundedOutput(outputCaps.standardOutput);
    const stderr = new BoundedOutput(outputCaps.standardError);
    let stopped: 'TimedOut' | 'Cancelled' | undefined;
    const child = spawn('sh', [script], {
      cwd,
      detached: true, // its own process group: killing -pid reaches every process the script started
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    child.stdout.on('data', (chunk: Buffer) => stdout.append(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.append(chunk));
    const stop = (reason: 'TimedOut' | 'Cancelled'): void => {
      stopped ??= reason;
      killGroup(child.pid);
    };
    const timer = setTimeout(() => stop('TimedOut'), run.timeoutSeconds * 1000);
    const onAbort = (): void => stop('Cancelled');
    if (run.signal.aborted) onAbort();
    else run.signal.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const finish = (code: number | null, spawnError?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      run.signal.removeEventListener('abort', onAbort);
      // Children left in the background may hold the pipes open: read what they already wrote, then let go.
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        const standardError =
          spawnError === undefined ? stderr.text() : `${stderr.text()}${spawnError.message}`;
        if (stopped !== undefined) {
          resolve({
            status: stopped,
            responseCode: stoppedExitCode,
            standardOutput: stdout.text(),
            standardError,
          });
        } else {
          const responseCode = code ?? stoppedExitCode;
          resolve({
            status: responseCode === 0 ? 'Success' : 'Failed',
            responseCode,
            standardOutput: stdout.text(),
            standardError,
          });
        }
      }, run.drainMs ?? 50);
    };
    child.on('error', (error) => finish(1, error));
    child.on('exit', (code) => {
      // A stopped script's children die with it; otherwise they may keep running, as with the SSM Agent.
      if (stopped !== undefined) killGroup(child.pid);
      finish(code);
    });
  });
}

/** The AWS-RunShellScript executor: reads `commands`, `workingDirectory` and `executionTimeout`. */
export function shellScriptExecutor(options: { scratchRoot?: string } = {}): CommandExecutor {
  return (execution: CommandExecution) => {
    const declared = Number(execution.parameters['executionTimeout']?.[0] ?? defaultExecutionTimeout);
    const timeoutSeconds =
      Number.isFinite(declared) && declared > 0
        ? Math.min(declared, maxExecutionTimeout)
        : defaultExecutionTimeout;
    return runShellScript({
      commands: execution.parameters['commands'] ?? [],
      workingDirectory: execution.parameters['workingDirectory']?.[0] ?? '',
      timeoutSeconds,
      signal: execution.signal,
      ...(options.scratchRoot === undefined ? {} : { scratchRoot: options.scratchRoot }),
    });
  };
}
