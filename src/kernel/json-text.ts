/** Strict JSON text: valid UTF-8, no NUL, no lone surrogate escapes, bounded nesting — for request bodies and JSON carried inside fields. */
import { invalidInput } from './api-error.js';

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
