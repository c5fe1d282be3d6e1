/**
 * Request bodies at the edge: read within a per-request limit and a server-wide budget of in-flight bytes, then
 * decoded strictly (UTF-8, JSON nesting depth, no NUL characters) before any handler sees them.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError, invalidInput } from '../kernel/index.js';

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

const tooLarge = (limit: number, declared?: number): ApiError =>
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

/** How deep JSON may nest (objects and arrays); AWS shapes stay far below this. */
export const maxJsonDepth = 64;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The body as text; InvalidInput unless it is valid UTF-8 (nothing is replaced by U+FFFD). */
export function decodeUtf8(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch {
    throw invalidInput('The request body is not valid UTF-8');
  }
}

const nulMessage = 'The request contains a NUL character (U+0000), which no field accepts';

/** Rejects NUL characters in a decoded string (ids, names, labels, query values). */
export function rejectNul(text: string): string {
  if (text.includes('\u0000')) throw invalidInput(nulMessage);
  return text;
}

/**
 * One pass over JSON text: whether objects and arrays nest deeper than `maxDepth`, and whether a string holds a
 * `\u0000` escape or a lone surrogate escape (no Unicode character; stored, it would become U+FFFD). Iterative,
 * so no input can exhaust the call stack.
 */
function scanJson(text: string, maxDepth: number): 'too-deep' | 'nul' | 'lone-surrogate' | undefined {
  let depth = 0;
  let inString = false;
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (inString) {
      if (code === 0x5c /* \ */) {
        const escaped = unicodeEscape(text, at);
        if (escaped === 0) return 'nul';
        if (escaped !== undefined && escaped >= 0xd800 && escaped <= 0xdfff) {
          // A surrogate escape must be a high one followed at once by a low one.
          const low = escaped <= 0xdbff ? unicodeEscape(text, at + 6) : undefined;
          if (low === undefined || low < 0xdc00 || low > 0xdfff) return 'lone-surrogate';
          at += 6;
        }
        at += 1;
      } else if (code === 0x22 /* " */) {
        inString = false;
      }
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      depth += 1;
      if (depth > maxDepth) return 'too-deep';
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      depth -= 1;
    }
  }
  return undefined;
}

/** The code unit of a `\uXXXX` escape starting at `at`, or undefined when there is none. */
function unicodeEscape(text: string, at: number): number | undefined {
  if (text.charCodeAt(at) !== 0x5c || text.charCodeAt(at + 1) !== 0x75) return undefined;
  const hex = text.slice(at + 2, at + 6);
  return /^[0-9a-fA-F]{4}$/.test(hex) ? parseInt(hex, 16) : undefined;
}

/** Whether JSON text nests objects and arrays deeper than `maxDepth` (for JSON carried inside a field). */
export function jsonNestingExceeds(text: string, maxDepth: number): boolean {
  return scanJson(text, maxDepth) === 'too-deep';
}

/**
 * Parses a JSON body after one iterative scan that bounds nesting at `maxDepth` and rejects `\u0000` escapes,
 * so nothing downstream ever walks a deeply nested value or stores a NUL. An empty body is `{}`.
 */
export function parseJsonBody(body: Buffer, maxDepth = maxJsonDepth): unknown {
  if (body.length === 0) return {};
  const text = decodeUtf8(body);
  const problem = scanJson(text, maxDepth);
  if (problem === 'too-deep')
    throw invalidInput(`The request body nests JSON deeper than ${maxDepth} levels`);
  if (problem === 'nul') throw invalidInput(nulMessage);
  if (problem === 'lone-surrogate') {
    throw invalidInput('The request body is not valid UTF-8: it escapes a lone UTF-16 surrogate');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidInput('The request body is not valid JSON');
  }
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
