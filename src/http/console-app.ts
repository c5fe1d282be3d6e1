/**
 * Bulwark's own HTTP surface beside the AWS protocols (health, `/bulwark/…` endpoints, and the console API to
 * come), as a Hono app on standard Request/Response. The AWS adapters route first; only what they do not serve
 * reaches this app. Signed operations here still run through the request pipeline (SigV4, authorization, audit)
 * with the raw body bytes, which the API handler keeps; this app never reads the body itself.
 */
import { Hono } from 'hono';
import type { RestRoute } from '../protocols/rest-json-route.js';
import { registerConsoleApi } from './console/console-api.js';
import type { ConsoleApiDeps } from './console/console-api-deps.js';
import type { ConsoleApp, ConsoleEnv } from './console/console-call.js';
import { registerConsolePages } from './console/console-static.js';
import type { HttpResponse } from './http-message.js';
import { RestJsonRouter } from './rest-json-router.js';

export type { ConsoleApp, ConsoleCall, ConsoleEnv } from './console/console-call.js';

/** The web console served beside the API: its JSON API and the directory of its built pages. */
export interface ConsoleSurface {
  api: ConsoleApiDeps;
  assetsDir: string;
}

/** The path prefix of Bulwark's own (non-AWS) operations. */
export const consolePathPrefix = '/bulwark/';

/** Hono's path syntax for a route template (`{Label}` → `:Label`, greedy `{Label+}` → `:Label{.+}`). */
function honoPath(template: string): string {
  return template.replace(/\{(\w+)\+\}/g, ':$1{.+}').replace(/\{(\w+)\}/g, ':$1');
}

function toResponse(answer: HttpResponse): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/**
 * The app: `GET /healthz`, each signed operation of `routes` at its path, and (given `console`) the web
 * console's API under `/console/api/` and its pages. Failures of the signed operations (including "no route")
 * are thrown to the API handler, which maps them with the one error mapper and audits them; the console API
 * answers its own.
 */
export function createConsoleApp(
  routes: readonly RestRoute[],
  checkHealth: () => Promise<void>,
  console?: ConsoleSurface,
): ConsoleApp {
  const app = new Hono<ConsoleEnv>();
  if (console !== undefined) registerConsoleApi(app, console.api);
  app.get('/healthz', async (c) => {
    // Only the exact raw path (Hono would also match a percent-encoded spelling of it).
    if (c.env.call.rawPath !== '/healthz') throw c.env.call.unmatched();
    c.env.call.exempt();
    await checkHealth();
    return c.body('{"status":"ok"}', 200, { 'content-type': 'application/json' });
  });
  for (const route of routes) {
    // Labels are decoded by the restJson1 rules (strict percent-encoding), not Hono's.
    const router = new RestJsonRouter([route]);
    const path = honoPath(route.path);
    // restJson1 templates also match with a trailing slash.
    app.on(route.method, [path, `${path}/`], async (c) => {
      const { call } = c.env;
      const match = router.match(route.method, call.rawPath);
      if (match === undefined) throw call.unmatched();
      return toResponse(await call.execute(match));
    });
  }
  if (console !== undefined) registerConsolePages(app, console.assetsDir);
  app.notFound((c) => {
    throw c.env.call.unmatched();
  });
  app.onError((error) => {
    throw error;
  });
  return app;
}

/** Whether an operation's route belongs to the console app rather than the restJson1 adapter. */
export function isConsoleRoute(route: { path: string }): boolean {
  return route.path.startsWith(consolePathPrefix);
}
