/**
 * The node:http (or https) adapter of the API: reads each body within the edge limits, hands the request to the
 * {@link ApiHandler} as a plain value and writes the response it returns.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import { ApiHandler, type ApiHandlerDeps } from './api-handler.js';
import type { HttpResponse, RequestHead } from './http-message.js';
import { InFlightBodyBudget, readBody } from './request-body.js';

/** How much the HTTP edge accepts, and for how long it waits (see docs/SECURITY.md, "HTTP edge"). */
export interface EdgeLimits {
  /** Largest request body; a larger one is refused with 413 RequestEntityTooLargeException. */
  maxBodyBytes: number;
  /** Body bytes all requests in flight may hold together; past it a request is refused with ThrottlingException. */
  maxInFlightBodyBytes: number;
  /** Open connections; further ones are closed as they arrive. */
  maxConnections: number;
  /** Time to receive a request's headers. */
  headersTimeoutMs: number;
  /** Time to receive a whole request (headers and body). */
  requestTimeoutMs: number;
}

/** What the server needs from the rest of the program. */
export interface HttpServerDeps extends Omit<ApiHandlerDeps, 'maxBodyBytes'> {
  limits: EdgeLimits;
  /** Serve HTTPS with this certificate and key (PEM); plain HTTP when absent. */
  tls?: { cert: string; key: string };
}

/** A running server with a graceful stop. */
export interface HttpServer {
  server: Server | TlsServer;
  /** The API as a function of plain requests (what the server serves, callable in-process). */
  handler: ApiHandler;
  /** Serves `tls` to new connections from now on (a reloaded certificate); only for an HTTPS server. */
  setTlsCredentials(tls: { cert: string; key: string }): void;
  /** Stops accepting connections and resolves when in-flight requests have finished. */
  close(): Promise<void>;
}

/** How long, and for how many bytes, a refused body is still drained so the client can read the error. */
const drainAfterRefusalMs = 2_000;

/** Creates (not yet listening) the API server. */
export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const { limits } = deps;
  const handler = new ApiHandler({
    ...deps,
    maxBodyBytes: limits.maxBodyBytes,
    secure: deps.tls !== undefined,
  });
  const budget = new InFlightBodyBudget(limits.maxInFlightBodyBytes);
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const options = {
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    requestTimeout: limits.requestTimeoutMs,
    // How often the timeouts above are checked (Node's default, 30 s, would let them overrun that much).
    connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
  };
  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    inFlight += 1;
    serveOne(handler, budget, limits.maxBodyBytes, request, response)
      .catch((error: unknown) => deps.logger.error({ err: error }, 'request handler crashed'))
      .finally(() => {
        inFlight -= 1;
        if (inFlight === 0) drained?.();
      });
  };
  const tls = deps.tls;
  const server =
    tls === undefined ? createServer(options, onRequest) : createTlsServer({ ...options, ...tls }, onRequest);
  server.keepAliveTimeout = 5_000;
  server.maxConnections = limits.maxConnections;

  return {
    server,
    handler,
    setTlsCredentials(credentials) {
      if (!('setSecureContext' in server)) throw new Error('this server does not serve TLS');
      server.setSecureContext({ cert: credentials.cert, key: credentials.key });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        if (inFlight === 0) return;
        drained = () => server.closeIdleConnections();
      }),
  };
}

/** The plain request head of a node request. */
function headOf(request: IncomingMessage): RequestHead {
  return {
    method: request.method ?? 'GET',
    url: request.url ?? '/',
    headers: request.headersDistinct,
    remoteAddress: request.socket.remoteAddress ?? '',
  };
}

/** Serves one node request: the body is read within the per-request limit and the server-wide budget. */
async function serveOne(
  handler: ApiHandler,
  budget: InFlightBodyBudget,
  maxBodyBytes: number,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const lease = budget.lease();
  try {
    const answer = await handler.serve(headOf(request), () => readBody(request, maxBodyBytes, lease));
    if (!response.headersSent) send(response, answer);
    // An error may answer before the body was read: drain it so the client reads the error.
    if (answer.status >= 400) drainRefusedBody(request, maxBodyBytes);
  } finally {
    lease.release();
  }
}

function send(response: ServerResponse, answer: HttpResponse): void {
  response.writeHead(answer.status, { 'content-length': Buffer.byteLength(answer.body), ...answer.headers });
  response.end(answer.body);
}

/**
 * After an error answered a request whose body is still arriving, the rest is read and dropped for a short while
 * (closing at once could reset the connection before the client reads the error); then the connection closes.
 * Up to four times the body limit is drained, so a client that sent a body just over the limit finishes sending
 * and reads the error; the timer bounds how long anyone may keep sending.
 */
function drainRefusedBody(request: IncomingMessage, limit: number): void {
  if (request.complete || request.destroyed) return;
  let drainedBytes = 0;
  const timer = setTimeout(() => request.socket.destroy(), drainAfterRefusalMs);
  timer.unref();
  request.on('data', (chunk: Buffer) => {
    drainedBytes += chunk.length;
    if (drainedBytes > 4 * limit) request.socket.destroy();
  });
  request.once('end', () => clearTimeout(timer));
  request.once('close', () => clearTimeout(timer));
  request.resume();
}
