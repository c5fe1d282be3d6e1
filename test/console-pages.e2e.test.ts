/**
 * E2E: the web console's pages over real HTTP — redirects to /console/, index.html for every page path (the
 * front end routes in the browser), immutable assets with their content types, the security headers, 503 when
 * the front end is not built, and no file outside the assets directory however the path is spelled.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startInProcessServer, type InProcessServer } from './support/in-process-server.js';

/** A GET with the path exactly as given (fetch would normalise `..` away). */
function rawGet(
  endpoint: string,
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const indexHtml =
  '<!doctype html><html><head><script type="module" src="/console/assets/index-abc123.js"></script></head><body></body></html>';
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x80]);
const secret = 'not for the browser';

describe('console pages (e2e)', () => {
  let server: InProcessServer;
  let assetsDir: string;

  before(async () => {
    const root = mkdtempSync(join(tmpdir(), 'bulwark-console-assets-'));
    assetsDir = join(root, 'web');
    mkdirSync(join(assetsDir, 'assets'), { recursive: true });
    writeFileSync(join(assetsDir, 'index.html'), indexHtml);
    writeFileSync(join(assetsDir, 'assets', 'index-abc123.js'), 'console.log("console");');
    writeFileSync(join(assetsDir, 'assets', 'index-abc123.css'), 'body{margin:0}');
    writeFileSync(join(assetsDir, 'assets', 'logo.png'), png);
    writeFileSync(join(root, 'secret.txt'), secret);
    writeFileSync(join(assetsDir, 'secret.txt'), secret);
    server = await startInProcessServer({ env: { BULWARK_CONSOLE_ASSETS_DIR: assetsDir } });
  });
  after(async () => {
    await server?.dispose();
    rmSync(join(assetsDir, '..'), { recursive: true, force: true });
  });

  function assertSecurityHeaders(headers: Headers): void {
    assert.equal(
      headers.get('content-security-policy'),
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    assert.equal(headers.get('x-frame-options'), 'DENY');
    assert.equal(headers.get('referrer-policy'), 'no-referrer');
    assert.equal(headers.get('x-content-type-options'), 'nosniff');
  }

  it('redirects / to /console/ (302) and /console to /console/ (301)', async () => {
    const root = await fetch(`${server.endpoint}/`, { redirect: 'manual' });
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), '/console/');
    const bare = await fetch(`${server.endpoint}/console`, { redirect: 'manual' });
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get('location'), '/console/');
  });

  it('answers index.html with the security headers for /console/ and every page path', async () => {
    for (const path of [
      '/console/',
      '/console/findings',
      '/console/fleet/mi-0123456789abcdef0',
      '/console/audit?user=alice',
    ]) {
      const page = await fetch(`${server.endpoint}${path}`);
      assert.equal(page.status, 200, path);
      assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(page.headers.get('cache-control'), 'no-cache');
      assertSecurityHeaders(page.headers);
      assert.equal(await page.text(), indexHtml);
    }
  });

  it('serves assets with their content type and a long immutable cache, bytes intact', async () => {
    const cases: [string, string][] = [
      ['index-abc123.js', 'text/javascript; charset=utf-8'],
      ['index-abc123.css', 'text/css; charset=utf-8'],
      ['logo.png', 'image/png'],
    ];
    for (const [name, type] of cases) {
      const asset = await fetch(`${server.endpoint}/console/assets/${name}`);
      assert.equal(asset.status, 200, name);
      assert.equal(asset.headers.get('content-type'), type);
      assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assertSecurityHeaders(asset.headers);
    }
    const bytes = Buffer.from(
      await (await fetch(`${server.endpoint}/console/assets/logo.png`)).arrayBuffer(),
    );
    assert.deepEqual(bytes, png);
    const missing = await fetch(`${server.endpoint}/console/assets/nope.js`);
    assert.equal(missing.status, 404);
  });

  it('never serves a file outside the assets directory, however the path is spelled', async () => {
    const paths = [
      '/console/assets/../secret.txt',
      '/console/assets/../../secret.txt',
      '/console/assets/%2e%2e/secret.txt',
      '/console/assets/%2E%2E/%2e%2e/secret.txt',
      '/console/assets/..%2fsecret.txt',
      '/console/assets/..%2F..%2Fsecret.txt',
      '/console/assets/..%5csecret.txt',
      '/console/assets/%2fetc%2fpasswd',
      '/console/assets//etc/passwd',
      `/console/assets/${encodeURIComponent(join(assetsDir, 'secret.txt'))}`,
      '/console/assets/.%2e/secret.txt',
      '/console/assets/%00secret.txt',
      '/console/assets/%zz',
      '/console/../../../../etc/passwd',
      '/console/%2e%2e/%2e%2e/etc/passwd',
    ];
    for (const path of paths) {
      const answer = await rawGet(server.endpoint, path);
      assert.ok(answer.status === 404 || answer.status === 400, `${path}: ${answer.status}`);
      assert.ok(!answer.body.toString('latin1').includes(secret), path);
      assert.ok(!answer.body.toString('latin1').includes('root:'), path);
    }
  });

  it('leaves the API paths to the API: an unknown console API path is a JSON 404, not the page', async () => {
    const answer = await fetch(`${server.endpoint}/console/api/nothing-here`);
    assert.equal(answer.status, 404);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.equal(((await answer.json()) as Record<string, unknown>)['__type'], 'UnknownOperationException');
  });

  it('answers 503 with a page naming `npm run build` while the front end is not built', async () => {
    rmSync(join(assetsDir, 'index.html'));
    try {
      const page = await fetch(`${server.endpoint}/console/`);
      assert.equal(page.status, 503);
      assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
      assertSecurityHeaders(page.headers);
      assert.match(await page.text(), /not built[\s\S]*npm run build/);
    } finally {
      writeFileSync(join(assetsDir, 'index.html'), indexHtml);
    }
  });
});
