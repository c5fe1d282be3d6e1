/** What a route of the console app gets from the API handler for each request. */
import type { Hono } from 'hono';
import type { HttpResponse, RequestHead } from '../http-message.js';
import type { CallEnvelope } from '../pipeline.js';
import type { RestMatch } from '../rest-json-router.js';

/** What a console route can do with the call in hand (provided by the API handler for each request). */
export interface ConsoleCall {
  /** Runs a signed operation through the request pipeline, as the restJson1 adapter does. */
  execute(match: RestMatch): Promise<HttpResponse>;
  /** Marks the call as no API call: its failure is answered but not audited (health, pages, console API). */
  exempt(): void;
  /** The raw path, still percent-encoded, as SigV4 signed it. */
  rawPath: string;
  /** The error for a request no operation serves. */
  unmatched(): Error;
  /** The request as it arrived (headers, peer address). */
  head: RequestHead;
  /** The transport facts the pipeline and the audit trail record. */
  envelope: Omit<CallEnvelope, 'body'>;
  /** Reads the body within the edge limits (once). */
  readBody(): Promise<Buffer>;
  /** Names the operation for the request metrics. */
  named(operationName: string): void;
}

/** The per-request bindings of the console app. */
export interface ConsoleEnv {
  Bindings: { call: ConsoleCall };
}

/** The console app: standard fetch over Request/Response, with the call's bindings. */
export type ConsoleApp = Hono<ConsoleEnv>;
