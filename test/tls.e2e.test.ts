/**
 * Transport security end to end through the built server: HTTPS with a self-signed certificate (fingerprint in
 * the banner, kept across restarts, trusted by the AWS SDK), certificate files reloaded on SIGHUP, plain HTTP
 * refused off loopback, the agent registering with a pinned fingerprint or a CA file (and refusing a wrong pin
 * or plain http:// to another host), /metrics only on its own listener, owner-only data files, and a start
 * that cannot listen leaving the bootstrap credentials to the next start.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:https';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DescribeHubCommand, EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import {
  CreateActivationCommand,
  DescribeActivationsCommand,
  DescribeInstanceInformationCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { generateSelfSignedCertificate } from '../src/http/tls.js';
import { awsCliEnv } from './support/aws-cli-env.js';
import {
  bulwarkBin,
  databaseFor,
  dropDatabase,
  repoRoot,
  startServer,
  type RunningServer,
} from './support/server-harness.js';
import { onlyOn } from './support/engine-only.js';

const scratch = mkdtempSync(join(tmpdir(), 'bulwark-tls-'));
process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('BULWARK_')) env[key] = value;
  return { ...env, ...extra };
}

/** Runs the `bulwark` command to its end. */
function bulwark(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bulwarkBin, ...args],
      { cwd: repoRoot, env: cleanEnv(env), timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The SHA-256 fingerprint of the certificate `endpoint` serves now. */
function servedFingerprint(endpoint: string): Promise<string> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: url.hostname, port: Number(url.port), rejectUnauthorized: false });
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      const fingerprint = socket.getPeerCertificate().fingerprint256;
      socket.end();
      resolve(fingerprint);
    });
  });
}

function bannerFingerprint(output: string): string | undefined {
  return /SHA-256 fingerprint ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})/.exec(output)?.[1];
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function trustingHandler(ca: string): { httpsAgent: Agent } {
  return { httpsAgent: new Agent({ ca }) };
}

function mode(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}

// TLS, certificates and the agent's pin live at the HTTP edge and in files: the engine behind the server changes
// nothing there. The file modes and the start that cannot listen (both engines) do depend on it.
const edgeOnly = onlyOn('sqlite', 'TLS and certificates act at the HTTP edge, whatever the engine');

describe('transport security (e2e)', () => {
  describe('--tls self-signed', edgeOnly, () => {
    let server: RunningServer;
    let cert: string;

    before(async () => {
      server = await startServer({ args: ['--tls', 'self-signed'] });
      cert = readFileSync(join(server.dataDir, 'tls-cert.pem'), 'utf8');
    });
    after(() => server.dispose());

    it('serves HTTPS with the certificate kept in the data dir and prints its fingerprint', async () => {
      assert.match(server.endpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
      const fingerprint = new X509Certificate(cert).fingerprint256;
      assert.equal(bannerFingerprint(server.output()), fingerprint);
      assert.equal(await servedFingerprint(server.endpoint), fingerprint);
      assert.match(server.output(), /AWS_CA_BUNDLE=\S+tls-cert\.pem/);
    });

    it('the AWS SDK trusting the certificate calls it; one trusting only the built-in CAs is refused', async () => {
      const client = new SecurityHubClient({
        endpoint: server.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
        maxAttempts: 1,
        requestHandler: trustingHandler(cert),
      });
      try {
        await client.send(new EnableSecurityHubCommand({}));
        const hub = await client.send(new DescribeHubCommand({}));
        assert.match(hub.HubArn ?? '', /^arn:aws:securityhub:us-east-1:\d{12}:hub\/default$/);
      } finally {
        client.destroy();
      }
      const untrusting = server.client();
      await assert.rejects(untrusting.send(new DescribeHubCommand({})), /self[- ]signed certificate/i);
    });

    it('the aws CLI trusts it through AWS_CA_BUNDLE, as the banner suggests', async () => {
      const env = awsCliEnv(server.credentials);
      const args = ['sts', 'get-caller-identity', '--endpoint-url', server.endpoint, '--output', 'json'];
      const trusted = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          'aws',
          args,
          { env: { ...env, AWS_CA_BUNDLE: join(server.dataDir, 'tls-cert.pem') }, timeout: 60_000 },
          (error, stdout, stderr) => resolve({ code: error === null ? 0 : 1, stdout, stderr }),
        );
      });
      assert.equal(trusted.code, 0, trusted.stderr);
      assert.equal((JSON.parse(trusted.stdout) as { Account: string }).Account, server.accountId);
      const untrusted = await new Promise<string>((resolve) => {
        execFile('aws', args, { env, timeout: 60_000 }, (error, _stdout, stderr) =>
          resolve(error === null ? '' : stderr),
        );
      });
      assert.match(untrusted, /SSL validation failed|CERTIFICATE_VERIFY_FAILED/);
    });

    it('keeps the same certificate across a restart', async () => {
      const before = bannerFingerprint(server.output());
      await server.restart();
      assert.equal(bannerFingerprint(server.output()), before);
      assert.equal(await servedFingerprint(server.endpoint), before);
    });

    it('serves /metrics only on the metrics listener (loopback), not on the API port', async () => {
      const api = await fetchTrusting(`${server.endpoint}/metrics`, cert);
      assert.equal(api.status, 404);
      assert.doesNotMatch(api.body, /bulwark_requests_total/);
      assert.match(server.metricsEndpoint, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const metrics = await fetch(server.metricsEndpoint);
      assert.equal(metrics.status, 200);
      assert.match(await metrics.text(), /# TYPE bulwark_requests_total counter/);
      assert.equal((await fetch(new URL('/healthz', server.metricsEndpoint))).status, 404);
    });

    it('the agent registers with --hub-fingerprint and keeps the pin; a wrong pin sends nothing', async (t) => {
      const ssm = new SSMClient({
        endpoint: server.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
        maxAttempts: 1,
        requestHandler: trustingHandler(cert),
      });
      t.after(() => ssm.destroy());
      const fingerprint = new X509Certificate(cert).fingerprint256;
      const wrongPin = fingerprint.replace(/^../, fingerprint.startsWith('00') ? '11' : '00');
      const refused = await ssm.send(
        new CreateActivationCommand({ IamRole: 'SSMServiceRole', RegistrationLimit: 1 }),
      );
      const wrong = await bulwark([
        'agent',
        'register',
        '--hub',
        server.endpoint,
        '--activation-id',
        refused.ActivationId ?? '',
        '--activation-code',
        refused.ActivationCode ?? '',
        '--state-dir',
        join(scratch, 'agent-wrong-pin'),
        '--hub-fingerprint',
        wrongPin,
      ]);
      assert.equal(wrong.code, 1, wrong.stdout + wrong.stderr);
      assert.match(wrong.stderr, /CertificateMismatch/);
      const unpinned = await bulwark([
        'agent',
        'register',
        '--hub',
        server.endpoint,
        '--activation-id',
        refused.ActivationId ?? '',
        '--activation-code',
        refused.ActivationCode ?? '',
        '--state-dir',
        join(scratch, 'agent-unpinned'),
      ]);
      assert.equal(unpinned.code, 1, unpinned.stdout + unpinned.stderr);
      assert.match(unpinned.stderr, /self[- ]signed certificate/i);
      const listed = await ssm.send(new DescribeActivationsCommand({}));
      const untouched = listed.ActivationList?.find((a) => a.ActivationId === refused.ActivationId);
      assert.equal(untouched?.RegistrationsCount, 0, 'the activation was never used');

      const activation = await ssm.send(
        new CreateActivationCommand({ IamRole: 'SSMServiceRole', RegistrationLimit: 2 }),
      );
      const stateDir = join(scratch, 'agent-pinned');
      const registered = await bulwark([
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
        '--name',
        'pinned-agent',
        '--hub-fingerprint',
        fingerprint.toLowerCase(),
      ]);
      assert.equal(registered.code, 0, registered.stdout + registered.stderr);
      const identity = JSON.parse(readFileSync(join(stateDir, 'identity.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      assert.equal(identity['hubFingerprint'], fingerprint.replaceAll(':', '').toLowerCase());
      // `agent status` heartbeats with the stored pin.
      const status = await bulwark(['agent', 'status', '--state-dir', stateDir]);
      assert.equal(status.code, 0, status.stderr);
      assert.equal((JSON.parse(status.stdout) as { hubStatus: string }).hubStatus, 'reachable');
      const instances = await ssm.send(new DescribeInstanceInformationCommand({}));
      assert.ok(instances.InstanceInformationList?.some((i) => i.Name === 'pinned-agent'));

      const viaCa = join(scratch, 'agent-ca');
      const caFile = join(scratch, 'hub-ca.pem');
      writeFileSync(caFile, cert);
      const withCa = await bulwark([
        'agent',
        'register',
        '--hub',
        server.endpoint,
        '--activation-id',
        activation.ActivationId ?? '',
        '--activation-code',
        activation.ActivationCode ?? '',
        '--state-dir',
        viaCa,
        '--ca-file',
        caFile,
      ]);
      assert.equal(withCa.code, 0, withCa.stdout + withCa.stderr);
      const caStatus = await bulwark(['agent', 'status', '--state-dir', viaCa]);
      assert.equal((JSON.parse(caStatus.stdout) as { hubStatus: string }).hubStatus, 'reachable');
    });
  });

  it(
    'the agent refuses plain http:// to a host that is not loopback unless --insecure-http is given',
    edgeOnly,
    async () => {
      // hub.invalid never resolves: a refusal happens before any lookup or connection.
      const args = [
        'agent',
        'register',
        '--hub',
        'http://hub.invalid:8440',
        '--activation-id',
        'a',
        '--activation-code',
        'c',
        '--state-dir',
        join(scratch, 'agent-plain'),
      ];
      const refused = await bulwark(args);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /refusing plain http:\/\/ to hub\.invalid/);
      const allowed = await bulwark([...args, '--insecure-http']);
      assert.equal(allowed.code, 1, 'hub.invalid cannot be reached');
      assert.match(allowed.stderr, /warning: talking plain HTTP to hub\.invalid:8440/);
      assert.doesNotMatch(allowed.stderr, /refusing/);
    },
  );

  it(
    'reloads --tls-cert/--tls-key on SIGHUP: the new certificate is served without a restart',
    edgeOnly,
    async () => {
      const dir = mkdtempSync(join(scratch, 'certs-'));
      const certFile = join(dir, 'cert.pem');
      const keyFile = join(dir, 'key.pem');
      const first = generateSelfSignedCertificate(['127.0.0.1']);
      const second = generateSelfSignedCertificate(['127.0.0.1']);
      writeFileSync(certFile, first.cert);
      writeFileSync(keyFile, first.key, { mode: 0o600 });
      const server = await startServer({ args: ['--tls-cert', certFile, '--tls-key', keyFile] });
      try {
        const pid = server.process.pid;
        const firstPrint = new X509Certificate(first.cert).fingerprint256;
        const secondPrint = new X509Certificate(second.cert).fingerprint256;
        assert.equal(bannerFingerprint(server.output()), firstPrint);
        assert.equal(await servedFingerprint(server.endpoint), firstPrint);

        writeFileSync(certFile, second.cert);
        writeFileSync(keyFile, second.key);
        server.process.kill('SIGHUP');
        await waitFor('the reload line', () =>
          server.output().includes(`TLS certificate reloaded, SHA-256 fingerprint ${secondPrint}`)
            ? true
            : undefined,
        );
        assert.equal(await servedFingerprint(server.endpoint), secondPrint);
        assert.equal(server.process.pid, pid);
        assert.equal(server.process.exitCode, null);

        // A broken pair (the key of another certificate) is refused and the served certificate stays.
        writeFileSync(keyFile, first.key);
        server.process.kill('SIGHUP');
        await waitFor('the refusal', () =>
          /TLS certificate not reloaded/.test(server.output()) ? true : undefined,
        );
        assert.match(server.output(), /is not the key of the certificate/);
        assert.equal(await servedFingerprint(server.endpoint), secondPrint);
      } finally {
        await server.dispose();
      }
    },
  );

  it('refuses plain HTTP on a non-loopback address unless --insecure-http is given', edgeOnly, async () => {
    const dataDir = join(scratch, 'plain-refused');
    const refused = await bulwark([
      'server',
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--metrics-listen',
      '127.0.0.1:0',
    ]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^bulwark: refusing to serve plain HTTP on 0\.0\.0\.0.*--insecure-http/);
    assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);

    const allowed = await startServer({ args: ['--host', '0.0.0.0', '--insecure-http'] });
    try {
      assert.match(allowed.output(), /warning: serving plain HTTP on 0\.0\.0\.0/);
      const port = new URL(allowed.endpoint).port;
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    } finally {
      await allowed.dispose();
    }
  });

  it('creates the data dir 0700 and the database, WAL, SHM and key files 0600, tightening looser ones', async () => {
    const previous = process.umask(0o022);
    const dataDir = join(scratch, 'modes', 'data');
    const database = join(dataDir, 'bulwark.sqlite');
    try {
      const options = {
        dataDir,
        env: { BULWARK_DATABASE_URL: database },
        args: ['--tls', 'self-signed'],
      };
      const server = await startServer(options);
      try {
        // The worker seals the audit trail with its key; the WAL exists once something was written.
        await server.createKey();
        assert.equal(mode(dataDir), '700');
        for (const file of [
          'bulwark.sqlite',
          'bulwark.sqlite-wal',
          'bulwark.sqlite-shm',
          'master.key',
          'audit-signing.key',
          'tls-key.pem',
        ]) {
          assert.equal(mode(join(dataDir, file)), '600', file);
        }
        await server.stop();
        chmodSync(database, 0o644);
        await server.restart();
        assert.equal(mode(database), '600');
      } finally {
        await server.dispose();
      }
    } finally {
      process.umask(previous);
    }
  });

  describe('a start that cannot listen', () => {
    let blocker: Server;
    let port: number;
    before(async () => {
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const address = blocker.address();
      port = typeof address === 'object' && address !== null ? address.port : 0;
    });
    after(() => blocker.close());

    it('prints one line for a port in use, and the next start prints the bootstrap key', async () => {
      const dataDir = join(scratch, 'busy');
      const databaseUrl = await databaseFor(dataDir);
      try {
        const failed = await bulwark(
          ['server', '--port', String(port), '--data-dir', dataDir, '--metrics-listen', '127.0.0.1:0'],
          { BULWARK_DATABASE_URL: databaseUrl, BULWARK_LOG_LEVEL: 'warn' },
        );
        assert.equal(failed.code, 1);
        assert.equal(failed.stdout, '');
        assert.equal(
          failed.stderr,
          `bulwark: cannot listen on 127.0.0.1:${port}: the address is already in use (is another Bulwark ` +
            'running?); stop that process or choose another --port\n',
        );

        const metricsBusy = await bulwark(
          ['server', '--port', '0', '--data-dir', dataDir, '--metrics-listen', `127.0.0.1:${port}`],
          { BULWARK_DATABASE_URL: databaseUrl, BULWARK_LOG_LEVEL: 'warn' },
        );
        assert.equal(metricsBusy.code, 1);
        assert.equal(metricsBusy.stdout, '');
        assert.match(
          metricsBusy.stderr,
          /^bulwark: cannot listen on 127\.0\.0\.1:\d+: the address is already in use/,
        );
        assert.match(metricsBusy.stderr, /choose another --metrics-listen\n$/);
        assert.equal(metricsBusy.stderr.split('\n').length, 2, metricsBusy.stderr);

        const server = await startServer({ dataDir, env: { BULWARK_DATABASE_URL: databaseUrl } });
        try {
          const output = server.output();
          const accessKeyId = /^\s*aws_access_key_id:\s+(\S+)\s*$/m.exec(output)?.[1];
          const secretAccessKey = /^\s*aws_secret_access_key:\s+(\S+)\s*$/m.exec(output)?.[1];
          assert.ok(accessKeyId !== undefined && secretAccessKey !== undefined, output);
          const client = server.client('us-east-1', { accessKeyId, secretAccessKey });
          await client.send(new EnableSecurityHubCommand({}));
          await server.restart();
          assert.doesNotMatch(server.output(), /aws_secret_access_key/, 'printed once');
        } finally {
          await server.dispose();
        }
      } finally {
        await dropDatabase(databaseUrl);
      }
    });
  });
});

/** GET over HTTPS trusting `ca` (fetch has no per-call CA option). */
function fetchTrusting(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { ca, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}
