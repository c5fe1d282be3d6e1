/**
 * The web console's JSON API under `/console/api/` (see docs/CONSOLE.md): sign-in and the session, the
 * permissions pre-check, and AWS operations called as the signed-in user. Every answer is JSON with
 * `cache-control: no-store`; every failure is answered here (`{ "__type", "message" }`), never thrown to the
 * AWS adapters' error path.
 */
import { ApiError } from '../../kernel/index.js';
import type { HttpResponse } from '../http-message.js';
import type { ConsoleApiDeps } from './console-api-deps.js';
import type { ConsoleApp, ConsoleCall } from './console-call.js';
import {
  changesState,
  csrfRefusal,
  notSignedIn,
  originRefusal,
  sessionIdOf,
  type SignedInCall,
} from './console-guard.js';
import { awsJsonServices, proxyOperation, securityHubPrefix } from './console-proxy.js';
import { apiErrorAnswer, consoleError, jsonAnswer } from './console-responses.js';
import { permissions, sessionView, signIn, signOut } from './console-session-routes.js';

/** A console API handler that runs for a signed-in session (its origin and CSRF token already checked). */
type SignedInHandler = (call: ConsoleCall, signedIn: SignedInCall) => Promise<HttpResponse>;

function toResponse(answer: HttpResponse): Response {
  return new Response(answer.status === 204 ? null : answer.body, {
    status: answer.status,
    headers: answer.headers,
  });
}

/** Registers the console API's routes on `app`. */
export function registerConsoleApi(app: ConsoleApp, deps: ConsoleApiDeps): void {
  /** Answers every failure of `handler` (an unexpected one as an opaque 500, logged). */
  const answer = async (call: ConsoleCall, handler: () => Promise<HttpResponse>): Promise<Response> => {
    call.exempt();
    try {
      return toResponse(await handler());
    } catch (error) {
      if (!(error instanceof ApiError)) {
        deps.logger.error({ err: error, requestId: call.envelope.requestId }, 'console request failed');
      }
      return toResponse(apiErrorAnswer(error, call.envelope.requestId));
    }
  };
  /** The origin, session and CSRF checks, then `handler`. */
  const signedIn = (handler: SignedInHandler) => (call: ConsoleCall) =>
    answer(call, async () => {
      const refused = originRefusal(call.head, deps.secure);
      if (refused !== undefined) return refused;
      const sessionId = sessionIdOf(call.head, deps.secure);
      const session = await deps.sessions.resolve(sessionId, deps.clock());
      if (sessionId === undefined || session === undefined)
        return notSignedIn(deps.secure, sessionId !== undefined);
      if (changesState(call.envelope.method)) {
        const csrf = csrfRefusal(call.head, session);
        if (csrf !== undefined) return csrf;
      }
      return handler(call, { session, sessionId });
    });

  const signInPath = '/console/api/sign-in';
  app.post(signInPath, (c) =>
    guardExact(c.env.call, signInPath, (call) =>
      answer(call, async () => {
        call.named('ConsoleLogin');
        return originRefusal(call.head, deps.secure) ?? signIn(call, deps);
      }),
    ),
  );
  // Each with the name the request metrics count it under.
  const routes: [method: string, path: string, name: string, handler: SignedInHandler][] = [
    ['GET', '/console/api/session', 'ConsoleSession', (_call, { session }) => sessionAnswer(session, deps)],
    [
      'POST',
      '/console/api/sign-out',
      'ConsoleSignOut',
      (call, { sessionId }) => signOut(call, deps, sessionId),
    ],
    [
      'POST',
      '/console/api/permissions',
      'ConsolePermissions',
      (call, { session }) => permissions(call, deps, session),
    ],
  ];
  for (const [method, path, name, handler] of routes) {
    app.on(method, path, (c) => {
      c.env.call.named(name);
      return guardExact(c.env.call, path, signedIn(handler));
    });
  }
  const proxy = signedIn((call, { session }) => proxyOperation(call, deps, session));
  app.all(`${securityHubPrefix}/*`, (c) => proxy(c.env.call));
  for (const service of Object.keys(awsJsonServices)) {
    app.all(`/console/api/${service}/*`, (c) => proxy(c.env.call));
  }
  app.all('/console/api/*', (c) =>
    answer(c.env.call, () =>
      Promise.resolve(
        consoleError(
          404,
          'UnknownOperationException',
          `No console operation matches ${c.env.call.envelope.method} ${c.env.call.rawPath}`,
        ),
      ),
    ),
  );
}

/** Serves `handler` only for the exact raw path (Hono also matches percent-encoded spellings). */
function guardExact(
  call: ConsoleCall,
  path: string,
  handler: (call: ConsoleCall) => Promise<Response>,
): Promise<Response> {
  if (call.rawPath !== path) {
    call.exempt();
    return Promise.resolve(
      toResponse(
        consoleError(404, 'UnknownOperationException', `No console operation matches ${call.rawPath}`),
      ),
    );
  }
  return handler(call);
}

function sessionAnswer(session: SignedInCall['session'], deps: ConsoleApiDeps): Promise<HttpResponse> {
  return Promise.resolve(jsonAnswer(200, { session: sessionView(session, deps.region) }));
}
