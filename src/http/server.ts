/** The HTTP server: reads bodies within limits, dispatches to protocol adapters, writes AWS-shaped responses. */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import type { Logger } from 'pino';
import { awsJson11ContentType, type AwsJsonRouter } from './aws-json-router.js';
import { ApiError, toWireError, type WireProtocol } from './errors.js';
import type { Metrics } from './metrics.js';
import type { CallEnvelope, RequestPipeline } from './pipeline.js';
import { isQueryRequest, QueryRouter } from './query-router.js';
import type { RestJsonRouter } from './rest-json-router.js';

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
  maxBodyBytes: number;
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

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? '0');
    if (declared > limit) {
      reject(
        new ApiError('InvalidInput', `Request size ${declared} bytes exceeds the limit of ${limit} bytes`),
      );
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new ApiError('InvalidInput', `Request size exceeds the limit of ${limit} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new ApiError('InvalidInput', 'The request body is not valid JSON');
  }
}

function send(response: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  response.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
}

/** Creates (not yet listening) the API server. */
export function createHttpServer(deps: HttpServerDeps): HttpServer {
  let inFlight = 0;
  let drained: (() => void) | undefined;

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
    const protocol: WireProtocol = target === undefined ? 'restJson1' : 'awsJson1_1';
    const contentType = target === undefined ? 'application/json' : awsJson11ContentType;
    try {
      if (method === 'GET' && rawPath === '/healthz') {
        await deps.checkHealth();
        send(response, 200, '{"status":"ok"}', { 'content-type': 'application/json' });
        return;
      }
      if (
        target === undefined &&
        deps.query !== undefined &&
        isQueryRequest(method, rawPath, request.headers['content-type'])
      ) {
        outcome = await handleQuery(
          deps.query,
          request,
          response,
          { requestId, method, rawPath, rawQuery },
          (name) => {
            operationName = name;
          },
        );
        return;
      }
      const body = await readBody(request, deps.maxBodyBytes);
      const match =
        target === undefined
          ? deps.restJson.match(method, rawPath)
          : { operation: deps.awsJson.match(method, target), labels: {} };
      if (match === undefined) {
        throw new ApiError('UnknownOperation', `No operation matches ${method} ${rawPath}`);
      }
      operationName = match.operation.name;
      const envelope: CallEnvelope = {
        requestId,
        method,
        rawPath,
        rawQuery,
        headers: request.headersDistinct,
        body,
        sourceIp: request.socket.remoteAddress ?? '',
        userAgent: request.headers['user-agent'] ?? '',
      };
      const result = await deps.pipeline.execute(envelope, match.operation, () => ({
        labels: match.labels,
        query: new URLSearchParams(rawQuery),
        body: parseJsonBody(body),
      }));
      send(response, 200, JSON.stringify(result ?? {}), {
        'content-type': contentType,
        'x-amzn-requestid': requestId,
      });
    } catch (error) {
      const wire = toWireError(error, protocol);
      outcome = wire.exceptionName;
      if (!(error instanceof ApiError)) deps.logger.error({ err: error, requestId }, 'unhandled error');
      if (!response.headersSent) {
        send(response, wire.status, JSON.stringify(wire.body), {
          'content-type': contentType,
          'x-amzn-errortype': wire.exceptionName,
          'x-amzn-requestid': requestId,
        });
      }
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      deps.metrics.observeRequest(operationName, outcome, seconds);
      deps.logger.debug(
        { requestId, method, path: rawPath, operation: operationName, outcome, seconds },
        'request',
      );
    }
  }

  /** A query-protocol call (STS): form body in, XML out; resolves to the outcome for metrics. */
  async function handleQuery(
    router: QueryRouter,
    request: IncomingMessage,
    response: ServerResponse,
    call: { requestId: string; method: string; rawPath: string; rawQuery: string },
    named: (operation: string) => void,
  ): Promise<string> {
    const xml = { 'content-type': 'text/xml', 'x-amzn-requestid': call.requestId };
    try {
      const body = await readBody(request, deps.maxBodyBytes);
      const form = new URLSearchParams(body.toString('utf8'));
      const route = router.match(form);
      named(route.operation.name);
      const envelope: CallEnvelope = {
        ...call,
        headers: request.headersDistinct,
        body,
        sourceIp: request.socket.remoteAddress ?? '',
        userAgent: request.headers['user-agent'] ?? '',
      };
      const result = await deps.pipeline.execute(envelope, route.operation, () => ({
        labels: {},
        query: new URLSearchParams(call.rawQuery),
        body: Object.fromEntries(form),
      }));
      send(response, 200, QueryRouter.response(route, result, call.requestId), xml);
      return 'success';
    } catch (error) {
      if (!(error instanceof ApiError))
        deps.logger.error({ err: error, requestId: call.requestId }, 'unhandled error');
      const wire = QueryRouter.error(error, call.requestId);
      if (!response.headersSent) send(response, wire.status, wire.body, xml);
      return wire.code;
    }
  }

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
  const server = tls === undefined ? createServer(onRequest) : createTlsServer({ ...tls }, onRequest);
  server.keepAliveTimeout = 5_000;

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
