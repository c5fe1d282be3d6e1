/**
 * Streams ASFF findings out of a file: a JSON array, a `{"Findings":[…]}` object (`aws securityhub
 * get-findings`, Trivy's ASFF template), JSON lines, or concatenated finding objects. Only one finding's
 * text is held at a time; each is parsed with JSON.parse once it is complete.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** One finding read from a source, with where it started. */
export interface SourcedFinding {
  finding: Record<string, unknown>;
  source: string;
  line: number;
}

/** A file (or stdin) that is not a readable list of findings; the message names the source and line. */
export class FindingFileError extends Error {
  constructor(
    readonly source: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${source}:${line}: ${detail}`);
    this.name = 'FindingFileError';
  }
}

interface Capture {
  parts: string[];
  from: number;
  line: number;
}

type Container = '[' | '{';

/**
 * An incremental scanner over JSON text: `push` chunks, `end` at EOF. Findings are the elements of a
 * top-level array, the elements of a top-level object's `Findings` array, or top-level objects themselves.
 */
export class FindingScanner {
  private readonly stack: Container[] = [];
  private line = 1;
  private inString = false;
  private escaped = false;
  private started = false;
  // The stack depth whose array elements are findings (1: top-level array, 2: a wrapper's Findings array).
  private itemDepth = -1;
  // Inside a findings array: what may come next.
  private itemState: 'first' | 'separator' | 'item' = 'first';
  private capture: Capture | undefined;
  // Top-level object bookkeeping: whether it is a `{"Findings":[…]}` wrapper, and its keys as they pass.
  private wrapper = false;
  private expectKey = false;
  private keyParts: string[] | undefined;
  private keyFrom = 0;
  private lastKey: string | undefined;
  private afterFindingsColon = false;
  private pending: FindingFileError | undefined;

  constructor(private readonly source: string) {}

  /**
   * Scans one chunk and returns the findings it completed. A syntax error is thrown once the findings
   * before it have been returned: at once when there are none, else by the next `push` or `end`.
   */
  push(chunk: string): SourcedFinding[] {
    if (this.pending !== undefined) throw this.pending;
    const found: SourcedFinding[] = [];
    try {
      this.scan(chunk, found);
    } catch (error) {
      if (found.length === 0 || !(error instanceof FindingFileError)) throw error;
      this.pending = error;
    }
    return found;
  }

  private scan(chunk: string, found: SourcedFinding[]): void {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') {
          this.inString = false;
          if (this.keyParts !== undefined) {
            this.keyParts.push(text.slice(this.keyFrom, i));
            this.lastKey = this.keyParts.join('');
            this.keyParts = undefined;
          }
        } else if (c === '\n') throw this.fail('invalid JSON: unterminated string');
        continue;
      }
      if (c === '\n') {
        this.line++;
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r') continue;
      const depth = this.stack.length;
      if (depth === this.itemDepth && this.capture === undefined) {
        // Between findings: only separators, the closing bracket, or the next finding.
        if (c === ',') {
          if (this.itemState !== 'separator') throw this.fail('invalid JSON: unexpected ","');
          this.itemState = 'item';
          continue;
        }
        if (c === ']') {
          if (this.itemState === 'item') throw this.fail('invalid JSON: unexpected "]" after ","');
        } else {
          if (this.itemState === 'separator')
            throw this.fail(`invalid JSON: expected "," or "]", found ${quote(c)}`);
          if (c !== '{') throw this.fail(`expected a finding (a JSON object), found ${quote(c)}`);
          this.capture = { parts: [], from: i, line: this.line };
        }
      }
      if (depth === 0) {
        if (c === '[') {
          this.itemDepth = 1;
          this.itemState = 'first';
        } else if (c === '{') {
          this.wrapper = false;
          this.expectKey = true;
          this.lastKey = undefined;
          this.capture = { parts: [], from: i, line: this.line };
        } else {
          throw this.fail(
            `expected a JSON array of findings, an object with "Findings", or one finding per line; found ${quote(c)}`,
          );
        }
      }
      if (depth === 1 && this.stack[0] === '{') this.trackWrapperKeys(c, i);
      switch (c) {
        case '"':
          this.inString = true;
          break;
        case '[':
        case '{':
          this.stack.push(c);
          break;
        case ']':
        case '}': {
          const open = this.stack.pop();
          if (open === undefined || (open === '[') !== (c === ']'))
            throw this.fail(`invalid JSON: unexpected ${quote(c)}`);
          this.closed(text, i, found);
          break;
        }
        default:
          break;
      }
    }
    if (this.capture !== undefined) {
      this.capture.parts.push(text.slice(this.capture.from));
      this.capture.from = 0;
    }
    if (this.keyParts !== undefined) {
      this.keyParts.push(text.slice(this.keyFrom));
      this.keyFrom = 0;
    }
  }

  /** Checks that the input ended between values. */
  end(): void {
    if (this.pending !== undefined) throw this.pending;
    if (this.inString || this.stack.length > 0) {
      const line = this.capture?.line ?? this.line;
      throw new FindingFileError(this.source, line, 'invalid JSON: unexpected end of input');
    }
  }

  // Top-level object, depth 1: notices the `Findings` key and turns the object into a wrapper.
  private trackWrapperKeys(c: string, i: number): void {
    if (c === '"' && this.expectKey) {
      this.expectKey = false;
      this.keyParts = [];
      this.keyFrom = i + 1;
    } else if (c === ',') {
      this.expectKey = true;
    } else if (c === ':') {
      this.afterFindingsColon = this.lastKey === 'Findings';
    } else if (this.afterFindingsColon) {
      this.afterFindingsColon = false;
      if (c === '[') {
        this.wrapper = true;
        this.capture = undefined;
        this.itemDepth = 2;
        this.itemState = 'first';
      }
    }
  }

  // A container closed at index i: completes a finding, a wrapper's Findings array or a top-level value.
  private closed(text: string, i: number, found: SourcedFinding[]): void {
    const depth = this.stack.length;
    if (depth === this.itemDepth && this.capture !== undefined) {
      found.push(this.finish(text, i));
      this.itemState = 'separator';
    } else if (depth === this.itemDepth - 1) {
      this.itemDepth = -1;
    } else if (depth === 0 && this.capture !== undefined && !this.wrapper) {
      found.push(this.finish(text, i));
    }
  }

  private finish(text: string, i: number): SourcedFinding {
    const capture = this.capture as Capture;
    this.capture = undefined;
    capture.parts.push(text.slice(capture.from, i + 1));
    const json = capture.parts.join('');
    try {
      return {
        finding: JSON.parse(json) as Record<string, unknown>,
        source: this.source,
        line: capture.line,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const position = /at position (\d+)/.exec(message)?.[1];
      const offset = position === undefined ? 0 : countNewlines(json, Number(position));
      throw new FindingFileError(this.source, capture.line + offset, `invalid JSON: ${message}`);
    }
  }

  private fail(detail: string): FindingFileError {
    return new FindingFileError(this.source, this.line, detail);
  }
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let i = 0; i < end && i < text.length; i++) if (text.charCodeAt(i) === 10) count++;
  return count;
}

function quote(c: string): string {
  return JSON.stringify(c);
}

/** A place findings are read from: a file path, or `-` for stdin. */
export interface FindingSource {
  /** The name used in messages (`-` reads as `stdin`). */
  readonly name: string;
  /** File size in bytes, when known (not for stdin). */
  readonly size: number | undefined;
  /** Bytes read so far. */
  bytesRead(): number;
  /** The findings, in file order. */
  findings(): AsyncGenerator<SourcedFinding>;
}

/** Opens a file (or `-` for stdin) as a stream of findings. */
export async function openFindingSource(
  path: string,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<FindingSource> {
  if (path === '-') {
    let read = 0;
    return {
      name: 'stdin',
      size: undefined,
      bytesRead: () => read,
      findings: () =>
        scanFindings(
          (async function* () {
            const decoder = new TextDecoder('utf-8');
            for await (const chunk of stdin) {
              const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
              read += bytes.length;
              yield decoder.decode(bytes, { stream: true });
            }
            yield decoder.decode();
          })(),
          'stdin',
        ),
    };
  }
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path}: not a file`);
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  return {
    name: path,
    size: info.size,
    bytesRead: () => stream.bytesRead,
    findings: () => scanFindings(stream as AsyncIterable<string>, path),
  };
}

/** Scans text chunks into findings (see FindingScanner). */
export async function* scanFindings(
  chunks: AsyncIterable<string>,
  source: string,
): AsyncGenerator<SourcedFinding> {
  const scanner = new FindingScanner(source);
  for await (const chunk of chunks) yield* scanner.push(chunk);
  scanner.end();
}
