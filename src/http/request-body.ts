/**
 * Request bodies at the edge: read within a per-request limit and a server-wide budget of in-flight bytes, then
 * decoded strictly (UTF-8, JSON nesting depth, no NUL characters) before any handler sees them.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError, invalidInput } from '../kernel/index.js';
import { rejectNul } from '../kernel/json-text.js';

export { decodeUtf8, maxJsonDepth, parseJsonBody, rejectNul } from '../kernel/json-text.js';

/** The server-wide budget of body bytes held in memory by requests in flight. */
export class InFlightBodyBudget {
  private used = 0;
  constructor(readonly limit: number) {}

  /** A claim on the budget for one request; release it once the request is done with its body. */
  lease(): BodyLease {
    let held = 0;
    return {
      take: (bytes) => {
        if (this.used + bytes > this.limit) return false;
        this.used += bytes;
        held += bytes;
        return true;
      },
      release: () => {
        this.used -= held;
        held = 0;
      },
    };
  }

  /** Bytes currently claimed (for tests and metrics). */
  get inUse(): number {
    return this.used;
  }
}

/** One request's share of the in-flight budget. */
export interface BodyLease {
  /** Claims `bytes` more; false (claiming nothing) when the budget cannot hold them. */
  take(bytes: number): boolean;
  /** Gives back everything claimed. */
  release(): void;
}

/** RequestTooLarge for a body over `limit` (naming the declared size when the client declared one). */
export const tooLarge = (limit: number, declared?: number): ApiError =>
  new ApiError(
    'RequestTooLarge',
    declared === undefined
      ? `Request body exceeds the limit of ${limit} bytes`
      : `Request size ${declared} bytes exceeds the limit of ${limit} bytes`,
  );

const busy = (): ApiError =>
  new ApiError(
    'Throttled',
    'The server is receiving too many request bytes at once; retry the request later',
  );

/** The body length the client declared, or undefined for a chunked body. */
export function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}

/**
 * Reads the whole body: RequestTooLarge past `limit` (a declared Content-Length is refused before reading),
 * Throttled when the in-flight budget cannot hold it. On refusal the rest of the body is discarded as it arrives,
 * so the connection can still carry the error response.
 */
export function readBody(request: IncomingMessage, limit: number, lease: BodyLease): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = declaredLength(request);
    if (declared !== undefined && declared > limit) {
      discardRest(request);
      reject(tooLarge(limit, declared));
      return;
    }
    if (declared !== undefined && !lease.take(declared)) {
      discardRest(request);
      reject(busy());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const fail = (error: ApiError): void => {
      failed = true;
      chunks.length = 0;
      reject(error);
    };
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) return fail(tooLarge(limit));
      if (declared === undefined && !lease.take(chunk.length)) return fail(busy());
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks, size));
    });
    request.on('error', (error) => {
      if (!failed) reject(error);
    });
  });
}

/** Reads and drops whatever body is still coming (nothing is kept). */
function discardRest(request: IncomingMessage): void {
  request.on('data', () => undefined);
  request.on('error', () => undefined);
}

/**
 * Decodes `application/x-www-form-urlencoded` text (query strings and query-protocol bodies) strictly: malformed
 * percent-encoding, invalid UTF-8 and NUL characters are InvalidInput rather than U+FFFD or a stored NUL.
 */
export function parseForm(text: string, what: string): URLSearchParams {
  const form = new URLSearchParams();
  if (text === '') return form;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = equals === -1 ? pair : pair.slice(0, equals);
    const value = equals === -1 ? '' : pair.slice(equals + 1);
    form.append(decodeFormComponent(name, what), decodeFormComponent(value, what));
  }
  return form;
}

function decodeFormComponent(raw: string, what: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw invalidInput(`The ${what} is not valid percent-encoded UTF-8`);
  }
  return rejectNul(decoded);
}

/** Decodes one percent-encoded path segment; InvalidInput for malformed encoding or a NUL. */
export function decodePathLabel(raw: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw invalidInput('The request path is not valid percent-encoded UTF-8');
  }
  return rejectNul(decoded);
}
