/**
 * Signed awsJson1_1 calls from the agent to the hub (`X-Amz-Target: AmazonSSM.<Operation>`, SigV4 service
 * `ssm`), on node:http/https so the agent needs no SDK and stays small.
 */
import http from 'node:http';
import https from 'node:https';
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
}

/** Tuning for a HubClient. */
export interface HubClientOptions {
  /** Per-request timeout (connect + response), default 30 s. */
  timeoutMs?: number;
  /** Extra trusted CA certificates (PEM) for a hub with a private CA; NODE_EXTRA_CA_CERTS works too. */
  ca?: string | Buffer;
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
  options: { timeoutMs: number; ca?: string | Buffer; maxResponseBytes: number; signal?: AbortSignal },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: options.timeoutMs,
        // A fresh connection per call: the agent talks every few minutes, and an idle keep-alive socket
        // would only cost memory and a timer.
        agent: false,
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

function endpointOf(hub: string): URL {
  const url = new URL(hub);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`hub URL must be http(s), got ${url.protocol}`);
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
  /** When the hub last answered a call with success (epoch ms), so the agent can tell a retired key. */
  lastAcceptedAt: number | undefined;

  constructor(
    readonly identity: AgentIdentity,
    private readonly options: HubClientOptions = {},
  ) {
    this.endpoint = endpointOf(identity.hub);
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
  const endpoint = endpointOf(hub);
  const text = JSON.stringify(body);
  const response = await post(
    endpoint,
    { 'content-type': CONTENT_TYPE, 'x-amz-target': 'AmazonSSM.RegisterManagedInstance' },
    text,
    {
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
    },
  );
  return parseResponse<RegistrationResult>(response);
}
