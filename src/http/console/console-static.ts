/**
 * The web console's pages: the built front end (`index.html` and `assets/`, from `npm run build`) served from
 * the assets directory. `/` and `/console` redirect to `/console/`; every `/console/<path>` that is not an asset
 * or the API answers `index.html` (the front end routes in the browser); assets are immutable (their names carry
 * a content hash). Nothing outside the assets directory is ever read.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { HttpResponse } from '../http-message.js';
import type { ConsoleApp, ConsoleCall } from './console-call.js';
import { consoleSecurityHeaders } from './console-responses.js';

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

const notBuiltPage =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bulwark console</title></head><body>' +
  '<h1>The console assets are not built</h1><p>Run <code>npm run build</code> (it builds the web console into ' +
  '<code>dist/web/</code>), then reload this page.</p></body></html>';

function page(status: number, body: string | Buffer, headers: Record<string, string>): HttpResponse {
  return { status, headers: { ...consoleSecurityHeaders, ...headers }, body };
}

function redirect(status: 301 | 302, location: string): HttpResponse {
  return page(status, '', { location, 'cache-control': 'no-store' });
}

const notFound = (): HttpResponse =>
  page(404, 'Not found', { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });

/**
 * The file under `root` a raw URL path names, or undefined when it is not a plain relative path: no `.` or `..`
 * segment, no backslash, NUL or empty segment (decoded or not), and it must resolve inside `root`.
 */
export function fileUnder(root: string, rawRelative: string): string | undefined {
  let segments: string[];
  try {
    segments = rawRelative.split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined;
  }
  const plain = segments.every(
    (segment) => segment !== '' && segment !== '.' && segment !== '..' && !/[\\/\0:]/.test(segment),
  );
  if (!plain) return undefined;
  const base = resolve(root);
  const file = resolve(base, ...segments);
  return file.startsWith(base + sep) ? file : undefined;
}

async function readOrUndefined(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch {
    return undefined;
  }
}

/** The console's page: index.html (never cached, so a new build is picked up), or 503 when not built. */
async function indexPage(assetsDir: string): Promise<HttpResponse> {
  const html = await readOrUndefined(join(assetsDir, 'index.html'));
  if (html === undefined) {
    return page(503, notBuiltPage, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
    });
  }
  return page(200, html, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
}

async function asset(assetsDir: string, rawRelative: string): Promise<HttpResponse> {
  const root = join(assetsDir, 'assets');
  const file = fileUnder(root, rawRelative);
  const bytes = file === undefined ? undefined : await readOrUndefined(file);
  if (file === undefined || bytes === undefined) return notFound();
  return page(200, bytes, {
    'content-type': contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'cache-control': 'public, max-age=31536000, immutable',
  });
}

/** What a GET of `rawPath` (outside `/console/api/`) answers. */
export async function consolePage(assetsDir: string, rawPath: string): Promise<HttpResponse> {
  if (rawPath === '/') return redirect(302, '/console/');
  if (rawPath === '/console') return redirect(301, '/console/');
  if (rawPath.startsWith('/console/assets/'))
    return asset(assetsDir, rawPath.slice('/console/assets/'.length));
  return indexPage(assetsDir);
}

function toResponse(answer: HttpResponse): Response {
  const status = answer.status;
  const body = status === 301 || status === 302 ? null : answer.body;
  return new Response(body, { status, headers: answer.headers });
}

/** Registers the pages on `app` (after the API, whose paths are not pages). */
export function registerConsolePages(app: ConsoleApp, assetsDir: string): void {
  const serve = async (call: ConsoleCall): Promise<Response> => {
    call.exempt();
    call.named('ConsolePage');
    return toResponse(await consolePage(assetsDir, call.rawPath));
  };
  app.get('/', (c) => serve(c.env.call));
  app.get('/console', (c) => serve(c.env.call));
  app.get('/console/*', (c) => {
    if (c.env.call.rawPath.startsWith('/console/api/')) throw c.env.call.unmatched();
    return serve(c.env.call);
  });
}
