/** The HTTP server: reads bodies within the edge limits, dispatches to protocol adapters, writes AWS-shaped responses. */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import type { Logger } from 'pino';
import type { AwsJsonRouter } from './aws-json-router.js';
import { awsJson11ContentType } from '../protocols/aws-json-route.js';
import { ApiError } from '../kernel/index.js';
import { toWireError, type WireProtocol } from './errors.js';
import type { Metrics } from './metrics.js';
import type { Operation } from '../protocols/operation.js';
import type { CallEnvelope, RequestPipeline } from './pipeline.js';
import { isQueryRequest, QueryRouter } from './query-router.js';
import {
  declaredLength,
  decodeUtf8,
  InFlightBodyBudget,
  parseForm,
  parseJsonBody,
  readBody,
} from './request-body.js';
import type { RestJsonRouter } from './rest-json-router.js';

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
export interface HttpServerDeps {
  logger: Logger;
  metrics: Metrics;
  pipeline: RequestPipeline;
  restJson: RestJsonRouter;
  /** Requests carrying `X-Amz-Target` (awsJson1_1 services). */
  awsJson: AwsJsonRouter;
  /** Form-encoded `POST /` without `X-Amz-Target` (query-protocol services: STS). */
  query?: QueryRouter;
  /** Throws when the node cannot serve (e.g. the database is unreachable). */
  checkHealth: () => Promise<void>;
  limits: EdgeLimits;
  /** Serve HTTPS with this certificate and key (PEM); plain HTTP when absent. */
  tls?: { cert: string; key: string };
}

/** A running server with a graceful stop. */
export interface HttpServer {
  server: Server | TlsServer;
  /** Serves `tls` to new connections from now on (a reloaded certificate); only for an HTTPS server. */
  setTlsCredentials(tls: { cert: string; key: string }): void;
  /** Stops accepting connections and resolves when in-flight requests have finished. */
  close(): Promise<void>;
}

/** Bodies above this size (or chunked) are read only once the signature's headers check out. */
const admitBeforeBodyBytes = 64 * 1024;

/** How long, and for how many bytes, a refused body is still drained so the client can read the error. */
const drainAfterRefusalMs = 2_000;

function send(response: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  response.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
}

type Protocol = WireProtocol | 'query';

const contentTypes: Record<Protocol, string> = {
  restJson1: 'application/json',
  awsJson1_1: awsJson11ContentType,
  query: 'text/xml',
};

/** Creates (not yet listening) the API server. */
export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const { limits } = deps;
  const budget = new InFlightBodyBudget(limits.maxInFlightBodyBytes);
  let inFlight = 0;
  let drained: (() => void) | undefined;

  /** Why no operation matched, naming the fix when the endpoint URL evidently carries a path. */
  function unmatched(method: string, rawPath: string, contentType: string | undefined): ApiError {
    const base = `No operation matches ${method} ${rawPath}`;
    const prefix =
      deps.restJson.endpointPathOf(method, rawPath) ??
      (isQueryRequest(method, '/', contentType) && rawPath !== '/' ? rawPath : undefined);
    if (prefix === undefined) return new ApiError('UnknownOperation', base);
    return new ApiError(
      'UnknownOperation',
      `${base}: the endpoint URL must have no path (use http://host:port, not http://host:port${prefix})`,
    );
  }

  /** Whether the body is large (or of unknown size) enough to authenticate before reading it. */
  function admitsFirst(request: IncomingMessage): boolean {
    const declared = declaredLength(request);
    return declared === undefined
      ? request.headers['transfer-encoding'] !== undefined
      : declared > admitBeforeBodyBytes;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    const url = request.url ?? '/';
    const queryAt = url.indexOf('?');
    const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
    const rawQuery = queryAt === -1 ? '' : url.slice(queryAt + 1);
    const method = request.method ?? 'GET';
    let operationName = 'unknown';
    let outcome = 'success';
    const target = request.headersDistinct['x-amz-target']?.[0];
    const protocol: Protocol =
      target !== undefined
        ? 'awsJson1_1'
        : deps.query !== undefined && isQueryRequest(method, rawPath, request.headers['content-type'])
          ? 'query'
          : 'restJson1';
    const head: Omit<CallEnvelope, 'body'> = {
      requestId,
      method,
      rawPath,
      rawQuery,
      headers: request.headersDistinct,
      sourceIp: request.socket.remoteAddress ?? '',
      userAgent: request.headers['user-agent'] ?? '',
    };
    // What a refusal before the pipeline is audited as; refined as the request is understood.
    const event: { name: string; eventSource: string | undefined } = {
      name: 'UnknownOperation',
      eventSource:
        protocol === 'query'
          ? 'sts.amazonaws.com'
          : protocol === 'restJson1'
            ? 'securityhub.amazonaws.com'
            : undefined,
    };
    const lease = budget.lease();
    // Failures the pipeline audits itself, or that are not API calls (health), are not refusals.
    let audited = false;
    try {
      if (method === 'GET' && rawPath === '/healthz') audited = true;
      if (method === 'GET' && rawPath === '/healthz') {
        await deps.checkHealth();
        send(response, 200, '{"status":"ok"}', { 'content-type': 'application/json' });
        return;
      }
      let operation: Operation | undefined;
      let labels: Record<string, string> = {};
      if (target !== undefined) {
        event.eventSource = deps.awsJson.eventSourceOf(target);
        operation = deps.awsJson.match(method, target, rawPath);
      } else if (protocol === 'restJson1') {
        const match = deps.restJson.match(method, rawPath);
        if (match === undefined) throw unmatched(method, rawPath, request.headers['content-type']);
        operation = match.operation;
        labels = match.labels;
      }
      if (operation !== undefined) {
        event.name = operationName = operation.name;
        event.eventSource = operation.eventSource;
      }
      const query = parseForm(rawQuery, 'query string');
      if (admitsFirst(request)) {
        await deps.pipeline.admit(head, operation, event.eventSource ?? 'unknown');
      }
      const body = await readBody(request, limits.maxBodyBytes, lease);
      if (protocol === 'query' && deps.query !== undefined) {
        const form = parseForm(decodeUtf8(body), 'request body');
        const route = deps.query.match(form);
        event.name = operationName = route.operation.name;
        audited = true;
        const result = await deps.pipeline.execute({ ...head, body }, route.operation, () => ({
          labels: {},
          query,
          body: Object.fromEntries(form),
        }));
        send(response, 200, QueryRouter.response(route, result, requestId), {
          'content-type': contentTypes.query,
          'x-amzn-requestid': requestId,
        });
        return;
      }
      if (operation === undefined) throw unmatched(method, rawPath, request.headers['content-type']);
      audited = true;
      const result = await deps.pipeline.execute({ ...head, body }, operation, () => ({
        labels,
        query,
        body: parseJsonBody(body),
      }));
      send(response, 200, JSON.stringify(result ?? {}), {
        'content-type': contentTypes[protocol],
        'x-amzn-requestid': requestId,
      });
    } catch (error) {
      if (!(error instanceof ApiError)) deps.logger.error({ err: error, requestId }, 'unhandled error');
      if (!audited) await deps.pipeline.refuse({ ...head, body: Buffer.alloc(0) }, event, error);
      if (protocol === 'query') {
        const wire = QueryRouter.error(error, requestId);
        outcome = wire.code;
        if (!response.headersSent)
          send(response, wire.status, wire.body, {
            'content-type': contentTypes.query,
            'x-amzn-requestid': requestId,
          });
      } else {
        const wire = toWireError(error, protocol);
        outcome = wire.exceptionName;
        if (!response.headersSent) {
          send(response, wire.status, JSON.stringify(wire.body), {
            'content-type': contentTypes[protocol],
            'x-amzn-errortype': wire.exceptionName,
            'x-amzn-requestid': requestId,
          });
        }
      }
      drainRefusedBody(request, limits.maxBodyBytes);
    } finally {
      lease.release();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      deps.metrics.observeRequest(operationName, outcome, seconds);
      deps.logger.debug(
        { requestId, method, path: rawPath, operation: operationName, outcome, seconds },
        'request',
      );
    }
  }

  const options = {
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    requestTimeout: limits.requestTimeoutMs,
    // How often the timeouts above are checked (Node's default, 30 s, would let them overrun that much).
    connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
  };
  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    inFlight += 1;
    handle(request, response)
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
