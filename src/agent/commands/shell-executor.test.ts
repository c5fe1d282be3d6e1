import assert from 'node:assert/strict';
import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runShellScript, shellScriptExecutor } from './shell-executor.js';

const never = new AbortController().signal;

/** Whether `pid` runs (a zombie left for a non-reaping init counts as gone). */
async function alive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return !/^\d+ \(.*\) Z/.test(stat);
}

describe('runShellScript', () => {
  it('runs the joined lines with sh and maps the exit code', async () => {
    const ok = await runShellScript({
      commands: ['echo hello', 'echo oops >&2'],
      workingDirectory: '',
      timeoutSeconds: 10,
      signal: never,
    });
    assert.deepEqual(ok, {
      status: 'Success',
      responseCode: 0,
      standardOutput: 'hello\n',
      standardError: 'oops\n',
    });
    const failed = await runShellScript({
      commands: ['echo hello; exit 3'],
      workingDirectory: '',
      timeoutSeconds: 10,
      signal: never,
    });
    assert.equal(failed.status, 'Failed');
    assert.equal(failed.responseCode, 3);
    assert.equal(failed.standardOutput, 'hello\n');
  });

  it('runs in workingDirectory and fails on a missing one', async () => {
    const dir = await realpath(await mkdtemp(path.join(tmpdir(), 'wd-')));
    try {
      const result = await runShellScript({
        commands: ['pwd'],
        workingDirectory: dir,
        timeoutSeconds: 10,
        signal: never,
      });
      assert.equal(result.standardOutput, `${dir}\n`);
      const missing = await runShellScript({
        commands: ['pwd'],
        workingDirectory: path.join(dir, 'nope'),
        timeoutSeconds: 10,
        signal: never,
      });
      assert.equal(missing.status, 'Failed');
      assert.match(missing.standardError, /does not exist/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps the head of the output within SSM limits', async () => {
    const result = await runShellScript({
      commands: ['head -c 100000 /dev/zero | tr "\\0" a', 'head -c 20000 /dev/zero | tr "\\0" b >&2'],
      workingDirectory: '',
      timeoutSeconds: 10,
      signal: never,
    });
    assert.equal(result.status, 'Success');
    assert.equal(result.standardOutput.length, 24_000);
    assert.equal(result.standardError.length, 8000);
    assert.match(result.standardOutput, /^a+$/);
  });

  it('times out by killing the whole process group, children included', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pg-'));
    const pidFile = path.join(dir, 'child.pid');
    try {
      const started = Date.now();
      const result = await runShellScript({
        commands: [`sleep 30 & echo $! > ${pidFile}`, 'echo started', 'wait'],
        workingDirectory: '',
        timeoutSeconds: 1,
        signal: never,
      });
      assert.equal(result.status, 'TimedOut');
      assert.equal(result.responseCode, 137);
      assert.equal(result.standardOutput, 'started\n');
      assert.ok(Date.now() - started < 5000);
      const child = Number((await readFile(pidFile, 'utf8')).trim());
      await sleep(100);
      assert.equal(await alive(child), false, 'the background sleep was killed too');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('cancels through the signal', async () => {
    const controller = new AbortController();
    const running = runShellScript({
      commands: ['echo go', 'sleep 30'],
      workingDirectory: '',
      timeoutSeconds: 60,
      signal: controller.signal,
    });
    await sleep(300);
    controller.abort();
    const result = await running;
    assert.equal(result.status, 'Cancelled');
    assert.equal(result.responseCode, 137);
    assert.equal(result.standardOutput, 'go\n');
  });

  it('reads commands, workingDirectory and executionTimeout from the document parameters', async () => {
    const execute = shellScriptExecutor();
    const result = await execute({
      commandId: 'c',
      documentName: 'AWS-RunShellScript',
      parameters: { commands: ['sleep 5'], executionTimeout: ['1'] },
      executionTimeoutSeconds: 3600,
      signal: never,
    });
    assert.equal(result.status, 'TimedOut');
  });
});
