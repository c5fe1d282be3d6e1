/**
 * Signed awsJson1_1 calls from the agent to the hub (`X-Amz-Target: AmazonSSM.<Operation>`, SigV4 service
 * `ssm`), on node:http/https so the agent needs no SDK and stays small.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { isLoopbackHost } from '../kernel/index.js';
import { signRequest } from './sigv4-signer.js';

/** Who the agent is on the hub: issued by RegisterManagedInstance and kept by the identity store. */
export interface AgentIdentity {
  /** Hub base URL, e.g. `https://hub.example.com:8443`. */
  hub: string;
  region: string;
  instanceId: string;
  accessKeyId: string;
  secretAccessKey: string;
  accountId?: string;
  /** SHA-256 fingerprint of the hub's certificate: trusted instead of any CA (a self-signed hub). */
  hubFingerprint?: string;
  /** PEM file of the CA that signs the hub's certificate, trusted instead of the built-in CA list. */
  caFile?: string;
  /** Plain `http://` to a host other than loopback was allowed at registration. */
  insecureHttp?: boolean;
}

/** How the agent checks the hub it talks to. */
export interface HubTrust {
  /** Extra trusted CA certificates (PEM) for a hub with a private CA (replaces the built-in CA list). */
  ca?: string | Buffer;
  /** Accept exactly the certificate with this SHA-256 fingerprint (hex, colons optional). */
  fingerprint?: string;
  /** Allow plain `http://` to a host other than loopback. */
  insecureHttp?: boolean;
}

/** Tuning for a HubClient. */
export interface HubClientOptions extends HubTrust {
  /** Per-request timeout (connect + response), default 30 s. */
  timeoutMs?: number;
  /** Clock for the signature (tests). */
  now?: () => Date;
  /** Largest response body accepted, default 16 MiB. */
  maxResponseBytes?: number;
}

/** The hub answered with an AWS error (`__type`), or could not be reached. */
export class HubError extends Error {
  override readonly name = 'HubError';
  constructor(
    /** The AWS error code (the `__type` without its namespace), or `NetworkError` / `Timeout`. */
    readonly code: string,
    message: string,
    /** HTTP status; 0 when the hub was not reached. */
    readonly statusCode: number,
  ) {
    super(`${code}: ${message}`);
  }

  /** Worth retrying later: the hub was unreachable, overloaded or failed on its side. */
  get retryable(): boolean {
    return (
      this.statusCode === 0 ||
      this.statusCode >= 500 ||
      this.statusCode === 429 ||
      /Throttl|TooManyRequests|RequestTimeout|ServiceUnavailable/.test(this.code)
    );
  }
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** `com.amazonaws.ssm#InvalidInstanceId` or `InvalidInstanceId:http://...` → `InvalidInstanceId`. */
function errorCode(type: string): string {
  const hash = type.lastIndexOf('#');
  const trimmed = hash === -1 ? type : type.slice(hash + 1);
  const colon = trimmed.indexOf(':');
  return colon === -1 ? trimmed : trimmed.slice(0, colon);
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One POST with a hard timeout; rejects with a HubError(NetworkError|Timeout) when the hub is not reached. */
function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: {
    timeoutMs: number;
    ca?: string | Buffer;
    fingerprint?: string;
    maxResponseBytes: number;
    signal?: AbortSignal;
  },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const pin = url.protocol === 'https:' ? options.fingerprint : undefined;
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: options.timeoutMs,
        // A fresh connection per call: the agent talks every few minutes, and an idle keep-alive socket
        // would only cost memory and a timer. A pinned call brings its own, already checked, connection.
        ...(pin === undefined ? { agent: false } : { createConnection: pinnedConnection(url, pin) }),
        ...(options.ca !== undefined ? { ca: options.ca } : {}),
        ...(options.signal !== undefined ? { signal: options.signal } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxResponseBytes) {
            request.destroy(new HubError('ResponseTooLarge', 'hub response exceeds the limit', 0));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', (error) => reject(asNetworkError(error)));
      },
    );
    const deadline = setTimeout(
      () => request.destroy(new HubError('Timeout', `no answer within ${options.timeoutMs} ms`, 0)),
      options.timeoutMs,
    );
    request.on('timeout', () =>
      request.destroy(new HubError('Timeout', `socket idle for ${options.timeoutMs} ms`, 0)),
    );
    request.on('error', (error) => reject(asNetworkError(error)));
    request.on('close', () => clearTimeout(deadline));
    request.end(body);
  });
}

/**
 * A TLS connection that is handed to the request only after the hub's certificate matched `pin`, so not a
 * byte of the request (an activation code, a signed call) reaches a host that shows another certificate.
 */
function pinnedConnection(
  url: URL,
  pin: string,
): (options: http.ClientRequestArgs, done: (error: Error | null, socket: Duplex) => void) => undefined {
  return (_options, done) => {
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const socket = tls.connect({
      host,
      port: url.port === '' ? 443 : Number(url.port),
      ...(isIpLiteral(host) ? {} : { servername: host }),
      // The pin replaces CA and name checks: it names the one certificate this hub may show.
      rejectUnauthorized: false,
    });
    const onError = (error: Error): void => done(error, socket);
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      const shown = normalizeFingerprint(socket.getPeerCertificate().fingerprint256 ?? '');
      if (shown !== pin) {
        socket.destroy();
        done(
          new HubError(
            'CertificateMismatch',
            `the hub's certificate has SHA-256 fingerprint ${formatFingerprint(shown)}, not the pinned ${formatFingerprint(pin)}`,
            0,
          ),
          socket,
        );
        return;
      }
      socket.off('error', onError);
      done(null, socket);
    });
    return undefined;
  };
}

function isIpLiteral(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

/** `AB:CD:…`, `abcd…` or `sha256:AB:CD…` → 64 lower-case hex digits; throws on anything else. */
export function normalizeFingerprint(text: string): string {
  const hex = text
    .trim()
    .replace(/^sha256[:=]/i, '')
    .replace(/[:\s]/g, '')
    .toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new Error(`'${text}' is not a SHA-256 fingerprint (64 hex digits, colons allowed)`);
  }
  return hex;
}

function formatFingerprint(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

function asNetworkError(error: unknown): HubError {
  if (error instanceof HubError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  return new HubError('NetworkError', typeof code === 'string' ? `${code} ${message}` : message, 0);
}

function parseResponse<T>(response: RawResponse): T {
  let parsed: unknown = {};
  if (response.body.trim() !== '') {
    try {
      parsed = JSON.parse(response.body);
    } catch {
      if (response.status >= 200 && response.status < 300) {
        throw new HubError('InvalidResponse', 'hub answered with a body that is not JSON', response.status);
      }
    }
  }
  if (response.status >= 200 && response.status < 300) return parsed as T;
  const object = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const headerType = response.headers['x-amzn-errortype'];
  const type =
    typeof object['__type'] === 'string'
      ? object['__type']
      : typeof headerType === 'string'
        ? headerType
        : `Http${response.status}`;
  const message =
    typeof object['message'] === 'string'
      ? object['message']
      : typeof object['Message'] === 'string'
        ? object['Message']
        : `HTTP ${response.status}`;
  throw new HubError(errorCode(type), message, response.status);
}

function endpointOf(hub: string, insecureHttp: boolean): URL {
  const url = new URL(hub);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`hub URL must be http(s), got ${url.protocol}`);
  }
  if (url.protocol === 'http:' && !insecureHttp && !isLoopbackHost(url.hostname)) {
    throw new Error(
      `refusing plain http:// to ${url.hostname}, which is not a loopback address: the activation code and the ` +
        `instance's secret key would cross the network unencrypted; use https:// or pass --insecure-http`,
    );
  }
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}

/** Whether the hub refused the instance's credentials (unknown or retired key, access denied). */
export function isCredentialError(error: unknown): boolean {
  return (
    error instanceof HubError &&
    /UnrecognizedClient|InvalidClientTokenId|AccessDenied|ExpiredToken|Unauthorized/.test(error.code)
  );
}

/** Signed calls to the hub as one registered instance. */
export class HubClient {
  private readonly endpoint: URL;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly options: HubClientOptions;
  /** When the hub last answered a call with success (epoch ms), so the agent can tell a retired key. */
  lastAcceptedAt: number | undefined;

  /** `options` override the trust settings stored with the identity (fingerprint, CA file, plain HTTP). */
  constructor(
    readonly identity: AgentIdentity,
    options: HubClientOptions = {},
  ) {
    this.options = { ...trustOf(identity), ...options };
    this.endpoint = endpointOf(identity.hub, this.options.insecureHttp === true);
    if (this.options.fingerprint !== undefined) {
      this.options.fingerprint = normalizeFingerprint(this.options.fingerprint);
    }
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  /**
   * Calls `target` (`AmazonSSM.PutInventory`, or a bare `PutInventory`, which gets the `AmazonSSM.` prefix)
   * with `body`; resolves with the parsed answer, rejects with a HubError.
   */
  async call<T = Record<string, unknown>>(
    target: string,
    body: object,
    callOptions: { signal?: AbortSignal } = {},
  ): Promise<T> {
    const fullTarget = target.includes('.') ? target : `AmazonSSM.${target}`;
    const text = JSON.stringify(body);
    const headers = signRequest({
      method: 'POST',
      url: this.endpoint,
      headers: { 'content-type': CONTENT_TYPE, 'x-amz-target': fullTarget },
      body: text,
      region: this.identity.region,
      service: 'ssm',
      accessKeyId: this.identity.accessKeyId,
      secretAccessKey: this.identity.secretAccessKey,
      now: (this.options.now ?? (() => new Date()))(),
    });
    delete headers['host']; // node sets Host from the URL; the signed value is the same
    const response = await post(this.endpoint, headers, text, {
      timeoutMs: this.timeoutMs,
      maxResponseBytes: this.maxResponseBytes,
      ...(this.options.ca !== undefined ? { ca: this.options.ca } : {}),
      ...(this.options.fingerprint !== undefined ? { fingerprint: this.options.fingerprint } : {}),
      ...(callOptions.signal !== undefined ? { signal: callOptions.signal } : {}),
    });
    const parsed = parseResponse<T>(response);
    this.lastAcceptedAt = Date.now();
    return parsed;
  }
}

/** What RegisterManagedInstance answers. */
export interface RegistrationResult {
  InstanceId: string;
  AccountId?: string;
  Region?: string;
  AccessKeyId: string;
  SecretAccessKey: string;
}

/**
 * The one unsigned call: RegisterManagedInstance, where the activation id and code are the credential.
 * `body` carries ActivationId, ActivationCode and the host facts.
 */
export async function registerWithHub(
  hub: string,
  body: Record<string, unknown>,
  options: HubClientOptions = {},
): Promise<RegistrationResult> {
  const endpoint = endpointOf(hub, options.insecureHttp === true);
  const fingerprint =
    options.fingerprint === undefined ? undefined : normalizeFingerprint(options.fingerprint);
  const text = JSON.stringify(body);
  const response = await post(
    endpoint,
    { 'content-type': CONTENT_TYPE, 'x-amz-target': 'AmazonSSM.RegisterManagedInstance' },
    text,
    {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
      ...(fingerprint !== undefined ? { fingerprint } : {}),
    },
  );
  return parseResponse<RegistrationResult>(response);
}

/** The trust settings stored with an identity, with its CA file read. */
export function trustOf(identity: AgentIdentity): HubTrust {
  let ca: string | undefined;
  if (identity.caFile !== undefined) {
    try {
      ca = readFileSync(identity.caFile, 'utf8');
    } catch (error) {
      throw new Error(
        `cannot read the hub CA file ${identity.caFile}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(identity.hubFingerprint === undefined ? {} : { fingerprint: identity.hubFingerprint }),
    ...(identity.insecureHttp === true ? { insecureHttp: true } : {}),
  };
}
