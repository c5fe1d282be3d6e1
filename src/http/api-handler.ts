/**
 * The API as a function: a plain request (method, target, headers, body bytes, peer address) in, a plain response
 * out. Routes to the AWS protocol adapters, runs the call through the pipeline and maps every failure with the
 * one error mapper; node:http glue (server.ts) and in-process callers both go through here.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ApiError } from '../kernel/index.js';
import type { Operation } from '../protocols/operation.js';
import type { AwsJsonRouter } from './aws-json-router.js';
import {
  declaredLengthOf,
  firstHeader,
  splitTarget,
  type HttpRequest,
  type HttpResponse,
  type RequestHead,
} from './http-message.js';
import type { Metrics } from './metrics.js';
import type { CallEnvelope, RequestPipeline } from './pipeline.js';
import { isQueryRequest, QueryRouter } from './query-router.js';
import { decodeUtf8, parseForm, parseJsonBody, tooLarge } from './request-body.js';
import type { RestJsonRouter } from './rest-json-router.js';
import { createConsoleApp, isConsoleRoute, type ConsoleApp, type ConsoleCall } from './console-app.js';
import { consoleSurfaceOf, type ConsoleSettings } from './console/console-settings.js';
import { contentTypes, errorResponse, wireErrorOf, type WireProtocol } from './wire-errors.js';

/** What the handler needs from the rest of the program. */
export interface ApiHandlerDeps {
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
  /** Largest request body; a larger one is refused with 413 RequestEntityTooLargeException. */
  maxBodyBytes: number;
  /** The web console (its API and pages); without it, `/console/` is not served. */
  console?: ConsoleSettings;
  /** Whether requests arrive over TLS (the console's cookie is then Secure). */
  secure?: boolean;
}

/** Reads the body once the request's head has been routed (and, for a large body, authenticated). */
export type BodyReader = () => Promise<Buffer>;

/** Bodies above this size (or chunked) are read only once the signature's headers check out. */
const admitBeforeBodyBytes = 64 * 1024;

/** What the handler learns about one call as it goes, for the response, the audit trail and the metrics. */
interface Call {
  requestId: string;
  protocol: WireProtocol;
  envelope: Omit<CallEnvelope, 'body'>;
  /** What a refusal before the pipeline is audited as; refined as the request is understood. */
  event: { name: string; eventSource: string | undefined };
  /** Whether the failure, if any, is already audited (by the pipeline) or is no API call (health). */
  audited: boolean;
  operationName: string;
}

/** A routed AWS request: its operation (undefined for a query-protocol action, known once the body is read). */
interface Routed {
  operation: Operation | undefined;
  labels: Record<string, string>;
}

/** The origin console requests are addressed to (only their path matters). */
const consoleOrigin = 'http://bulwark.invalid';

/** The methods the console app is asked about (HEAD and the rest are unmatched, as for the AWS adapters). */
const consoleMethods = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** Answers API requests given as plain values. */
export class ApiHandler {
  /** The restJson1 routes of AWS services (Bulwark's own `/bulwark/…` operations are the console app's). */
  private readonly awsRest: RestJsonRouter;
  private readonly console: ConsoleApp;

  constructor(private readonly deps: ApiHandlerDeps) {
    this.awsRest = deps.restJson.only((route) => !isConsoleRoute(route));
    const settings = deps.console;
    const { pipeline, restJson, awsJson, logger } = deps;
    this.console = createConsoleApp(
      restJson.table.filter(isConsoleRoute),
      deps.checkHealth,
      settings === undefined
        ? undefined
        : consoleSurfaceOf(settings, { pipeline, restJson, awsJson, logger, secure: deps.secure ?? false }),
    );
  }

  /** Answers a request whose body is already in hand (in-process callers and tests). */
  handle(request: HttpRequest): Promise<HttpResponse> {
    return this.serve(request, () => {
      if (request.body.length > this.deps.maxBodyBytes) {
        return Promise.reject(tooLarge(this.deps.maxBodyBytes, declaredLengthOf(request)));
      }
      return Promise.resolve(request.body);
    });
  }

  /**
   * Answers a request whose body is read by `readBody` only after routing and, for a body too large to hold
   * before knowing who sends it, after the signature's headers check out. Never throws: every failure becomes
   * the protocol's error response (audited unless the pipeline already did).
   */
  async serve(head: RequestHead, readBody: BodyReader): Promise<HttpResponse> {
    const started = process.hrtime.bigint();
    const call = this.begin(head);
    let response: HttpResponse;
    let outcome = 'success';
    try {
      response = await this.dispatch(head, call, readBody);
    } catch (error) {
      if (!(error instanceof ApiError)) {
        this.deps.logger.error({ err: error, requestId: call.requestId }, 'unhandled error');
      }
      if (!call.audited) {
        await this.deps.pipeline.refuse({ ...call.envelope, body: Buffer.alloc(0) }, call.event, error);
      }
      const wire = wireErrorOf(error, call.protocol);
      outcome = wire.exceptionName;
      response = errorResponse(wire, call.protocol, call.requestId);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.deps.metrics.observeRequest(call.operationName, outcome, seconds);
    const { requestId, method, rawPath } = call.envelope;
    this.deps.logger.debug(
      { requestId, method, path: rawPath, operation: call.operationName, outcome, seconds },
      'request',
    );
    return response;
  }

  /** The call's identity and protocol, known from the head alone. */
  private begin(head: RequestHead): Call {
    const requestId = randomUUID();
    const { rawPath, rawQuery } = splitTarget(head.url);
    const contentType = firstHeader(head, 'content-type');
    const protocol: WireProtocol =
      firstHeader(head, 'x-amz-target') !== undefined
        ? 'awsJson1_1'
        : this.deps.query !== undefined && isQueryRequest(head.method, rawPath, contentType)
          ? 'query'
          : 'restJson1';
    const eventSource =
      protocol === 'query'
        ? 'sts.amazonaws.com'
        : protocol === 'restJson1'
          ? 'securityhub.amazonaws.com'
          : undefined;
    return {
      requestId,
      protocol,
      envelope: {
        requestId,
        method: head.method,
        rawPath,
        rawQuery,
        headers: head.headers,
        sourceIp: head.remoteAddress,
        userAgent: firstHeader(head, 'user-agent') ?? '',
      },
      event: { name: 'UnknownOperation', eventSource },
      audited: false,
      operationName: 'unknown',
    };
  }

  /** Routes, admits, reads the body and executes; throws what the caller maps to the error response. */
  private async dispatch(head: RequestHead, call: Call, readBody: BodyReader): Promise<HttpResponse> {
    const routed = this.route(head, call);
    if (routed === undefined) return this.serveConsole(head, call, readBody);
    return this.execute(head, call, readBody, routed);
  }

  /**
   * The AWS protocols' operation (none yet for the query protocol, whose action is in the body); undefined for
   * a request no AWS adapter serves, which goes to the console app.
   */
  private route(head: RequestHead, call: Call): Routed | undefined {
    const target = firstHeader(head, 'x-amz-target');
    const { method, rawPath } = call.envelope;
    if (method === 'GET' && rawPath === '/healthz') return undefined;
    if (target !== undefined) {
      call.event.eventSource = this.deps.awsJson.eventSourceOf(target);
      return { operation: this.deps.awsJson.match(method, target, rawPath), labels: {} };
    }
    if (call.protocol !== 'restJson1') return { operation: undefined, labels: {} };
    return this.awsRest.match(method, rawPath);
  }

  /** Admits, reads the body and runs the routed operation (or the query protocol's action). */
  private async execute(
    head: RequestHead,
    call: Call,
    readBody: BodyReader,
    { operation, labels }: Routed,
  ): Promise<HttpResponse> {
    if (operation !== undefined) {
      call.event.name = call.operationName = operation.name;
      call.event.eventSource = operation.eventSource;
    }
    const query = parseForm(call.envelope.rawQuery, 'query string');
    if (admitsFirst(head)) {
      await this.deps.pipeline.admit(call.envelope, operation, call.event.eventSource ?? 'unknown');
    }
    const body = await readBody();
    if (call.protocol === 'query' && this.deps.query !== undefined) {
      return this.executeQuery(this.deps.query, call, body, query);
    }
    if (operation === undefined) throw this.unmatched(head, call.envelope.rawPath);
    call.audited = true;
    const result = await this.deps.pipeline.execute({ ...call.envelope, body }, operation, () => ({
      labels,
      query,
      body: parseJsonBody(body),
    }));
    return this.success(call, JSON.stringify(result ?? {}));
  }

  /**
   * Hands a request no AWS adapter serves to the console app, with the call's bindings; a path the URL parser
   * would rewrite, or a method outside the console's, is unmatched without asking it.
   */
  private async serveConsole(head: RequestHead, call: Call, readBody: BodyReader): Promise<HttpResponse> {
    const { method, rawPath } = call.envelope;
    const url = consoleMethods.has(method) ? consoleUrl(rawPath) : undefined;
    if (url === undefined) throw this.unmatched(head, rawPath);
    const bindings: ConsoleCall = {
      rawPath,
      head,
      envelope: call.envelope,
      readBody,
      unmatched: () => this.unmatched(head, rawPath),
      exempt: () => {
        call.audited = true;
      },
      named: (name) => {
        call.operationName = name;
      },
      execute: (match) => this.execute(head, call, readBody, match),
    };
    const response = await this.console.fetch(new Request(url, { method }), { call: bindings });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const text = /^(text\/|application\/json)/.test(headers['content-type'] ?? 'text/');
    const body = text ? await response.text() : Buffer.from(await response.arrayBuffer());
    return { status: response.status, headers, body };
  }

  /** A query-protocol call: the form body names the action; the result is answered in XML. */
  private async executeQuery(
    router: QueryRouter,
    call: Call,
    body: Buffer,
    query: URLSearchParams,
  ): Promise<HttpResponse> {
    const form = parseForm(decodeUtf8(body), 'request body');
    const route = router.match(form);
    call.event.name = call.operationName = route.operation.name;
    call.audited = true;
    const result = await this.deps.pipeline.execute({ ...call.envelope, body }, route.operation, () => ({
      labels: {},
      query,
      body: Object.fromEntries(form),
    }));
    return this.success(call, QueryRouter.response(route, result, call.requestId));
  }

  private success(call: Call, body: string): HttpResponse {
    return {
      status: 200,
      headers: { 'content-type': contentTypes[call.protocol], 'x-amzn-requestid': call.requestId },
      body,
    };
  }

  /** Why no operation matched, naming the fix when the endpoint URL evidently carries a path. */
  private unmatched(head: RequestHead, rawPath: string): ApiError {
    const { method } = head;
    const base = `No operation matches ${method} ${rawPath}`;
    const prefix =
      this.deps.restJson.endpointPathOf(method, rawPath) ??
      (isQueryRequest(method, '/', firstHeader(head, 'content-type')) && rawPath !== '/'
        ? rawPath
        : undefined);
    if (prefix === undefined) return new ApiError('UnknownOperation', base);
    return new ApiError(
      'UnknownOperation',
      `${base}: the endpoint URL must have no path (use http://host:port, not http://host:port${prefix})`,
    );
  }
}

/** Whether the body is large (or of unknown size) enough to authenticate before reading it. */
function admitsFirst(head: RequestHead): boolean {
  const declared = declaredLengthOf(head);
  return declared === undefined
    ? firstHeader(head, 'transfer-encoding') !== undefined
    : declared > admitBeforeBodyBytes;
}

/** The console URL of a raw path, or undefined when the URL parser would read the path differently. */
function consoleUrl(rawPath: string): URL | undefined {
  if (!rawPath.startsWith('/')) return undefined;
  try {
    const url = new URL(rawPath, consoleOrigin);
    return url.origin === consoleOrigin && url.pathname === rawPath ? url : undefined;
  } catch {
    return undefined;
  }
}
