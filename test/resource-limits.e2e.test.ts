/** E2E: the HTTP edge bounds memory, connections and time whatever clients send (or fail to send). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { DescribeHubCommand, EnableSecurityHubCommand } from '@aws-sdk/client-securityhub';
import { signRaw } from './support/aws-request.js';
import { startServer, type RunningServer } from './support/server-harness.js';
import { onlyOn } from './support/engine-only.js';

const sixMegabytes = 6 * 1024 * 1024;

/** Resident memory of a process, in MB, from /proc/<pid>/status. */
function residentMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  assert.ok(kb !== undefined, 'VmRSS in /proc status');
  return Number(kb) / 1024;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw connection that records what the server answered and whether it closed. */
interface RawConnection {
  socket: Socket;
  received: () => string;
  closed: Promise<void>;
}

function open(endpoint: string): Promise<RawConnection> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, received: () => received, closed }));
    socket.once('error', reject);
  });
}

/** The request line and headers of a signed POST /findings/import whose body is `body`. */
async function signedHead(
  server: RunningServer,
  body: Buffer,
  extraHeaders: Record<string, string> = {},
): Promise<string> {
  const signed = await signRaw(
    server.endpoint,
    {
      method: 'POST',
      path: '/findings/import',
      headers: { 'content-type': 'application/json', ...extraHeaders },
      body: new Uint8Array(body),
    },
    server.credentials,
  );
  const headers = { ...signed.headers, 'content-length': String(body.length) };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `POST /findings/import HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

const unsignedHead = (length: number): string =>
  `POST /findings/import HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n`;

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

// The limits hold at the HTTP edge, before any request reaches storage: the engine behind it changes nothing.
const edgeOnly = onlyOn('sqlite', 'the HTTP edge limits act before storage, whatever the engine');

describe('HTTP edge resource limits (e2e)', edgeOnly, () => {
  describe('memory', () => {
    let server: RunningServer;
    before(async () => {
      server = await startServer();
      await server.client().send(new EnableSecurityHubCommand({}));
    });
    after(async () => {
      await server?.dispose();
    });

    it('keeps RSS bounded under 100 stalled 6 MB bodies, signed or not', async (t) => {
      const body = Buffer.alloc(sixMegabytes, 0x20);
      const head = await signedHead(server, body);
      for (let i = 0; i < 5; i += 1) await server.client().send(new DescribeHubCommand({}));
      const baseline = residentMb(server.process.pid);

      // Every client sends all of its body but the last byte, then stalls.
      const stalled = body.subarray(0, body.length - 1);
      const connections: RawConnection[] = [];
      for (let i = 0; i < 100; i += 1) {
        const connection = await open(server.endpoint);
        connection.socket.write(i % 2 === 0 ? head : unsignedHead(body.length));
        connection.socket.write(stalled);
        connections.push(connection);
      }
      // Let the server read what it will read: until all but the ten uploads that fit the budget are refused.
      const refusedNow = (): RawConnection[] =>
        connections.filter((connection) => /^HTTP\/1\.1 (403|429) /.test(connection.received()));
      let peak = residentMb(server.process.pid);
      const deadline = Date.now() + 20_000;
      for (let quiet = 0; quiet < 20 && Date.now() < deadline;) {
        await sleep(100);
        peak = Math.max(peak, residentMb(server.process.pid));
        if (refusedNow().length >= 90) quiet += 1;
      }
      const refused = refusedNow();
      for (const connection of connections) connection.socket.destroy();

      const growth = peak - baseline;
      t.diagnostic(
        `RSS ${baseline.toFixed(0)} MB -> peak ${peak.toFixed(0)} MB; ${refused.length} refused at once`,
      );
      assert.ok(growth < 200, `RSS grew by ${growth.toFixed(0)} MB (from ${baseline.toFixed(0)} MB)`);
      assert.ok(refused.length >= 80, `${refused.length} of 100 stalled uploads were refused at once`);
      const unsigned = connections.filter((_, i) => i % 2 === 1);
      for (const connection of unsigned) {
        assert.match(connection.received(), /^HTTP\/1\.1 403 [\s\S]*MissingAuthenticationTokenException/);
      }
      // The server still serves.
      const hub = await server.client().send(new DescribeHubCommand({}));
      assert.ok(hub.HubArn);
    });

    it('checks a declared payload hash signature before reading the body', async () => {
      const body = Buffer.alloc(1024 * 1024, 0x20);
      const head = await signedHead(server, body, {
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      });
      // The signed hash is of the empty body, but the header claims another: the signature cannot match.
      const tampered = head.replace(
        /x-amz-content-sha256: [0-9a-f]+/,
        `x-amz-content-sha256: ${'0'.repeat(64)}`,
      );
      const connection = await open(server.endpoint);
      connection.socket.write(tampered);
      await waitFor(() => connection.received().includes('\r\n\r\n'), 5_000, 'an answer without a body');
      assert.match(connection.received(), /^HTTP\/1\.1 403 [\s\S]*InvalidSignatureException/);
      connection.socket.destroy();
    });
  });

  describe('connections and time', () => {
    let server: RunningServer;
    before(async () => {
      server = await startServer({
        env: {
          BULWARK_MAX_CONNECTIONS: '8',
          BULWARK_HEADERS_TIMEOUT_MS: '1000',
          BULWARK_REQUEST_TIMEOUT_MS: '2000',
        },
      });
      await server.client().send(new EnableSecurityHubCommand({}));
    });
    after(async () => {
      await server?.dispose();
    });

    it('closes connections beyond the cap and serves again once they are gone', async () => {
      const held: RawConnection[] = [];
      for (let i = 0; i < 8; i += 1) held.push(await open(server.endpoint));
      await sleep(200);
      const extra = await open(server.endpoint);
      await Promise.race([
        extra.closed,
        sleep(10_000).then(() => assert.fail('the ninth connection stayed open')),
      ]);
      for (const connection of held) connection.socket.destroy();
      await sleep(200);
      const hub = await server.client().send(new DescribeHubCommand({}));
      assert.ok(hub.HubArn);
    });

    it('closes a connection whose headers never finish, and one whose body stalls', async () => {
      const slowHeaders = await open(server.endpoint);
      slowHeaders.socket.write('POST /findings HTTP/1.1\r\nhost: 127.0.0.1\r\n');
      const body = Buffer.alloc(200 * 1024, 0x20);
      const slowBody = await open(server.endpoint);
      slowBody.socket.write(await signedHead(server, body));
      slowBody.socket.write(body.subarray(0, 100 * 1024));
      const started = Date.now();
      await Promise.all([
        Promise.race([
          slowHeaders.closed,
          sleep(15_000).then(() => assert.fail('stalled headers kept open')),
        ]),
        Promise.race([slowBody.closed, sleep(15_000).then(() => assert.fail('stalled body kept open'))]),
      ]);
      assert.ok(Date.now() - started < 15_000);
      assert.match(slowBody.received(), /^HTTP\/1\.1 408 /);
    });
  });
});
