/** HTTP requests and responses as plain values, so the API can be served by node:http or called in-process. */

/** One request as it arrived: nothing decoded or normalised yet. */
export interface HttpRequest {
  method: string;
  /** The request target as on the wire: path and query, still percent-encoded. */
  url: string;
  /** Values by lower-case name, every occurrence in order (node's `headersDistinct`). */
  headers: Readonly<Record<string, string[] | undefined>>;
  body: Buffer;
  /** The peer's address, as the audit trail records it. */
  remoteAddress: string;
}

/** A request before its body is read. */
export type RequestHead = Omit<HttpRequest, 'body'>;

/** A response ready for any transport: status, headers and body text. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Text, or bytes (console assets). */
  body: string | Buffer;
}

/** The first value of a header, as node's `request.headers` gives it for single-valued headers. */
export function firstHeader(head: Pick<RequestHead, 'headers'>, name: string): string | undefined {
  return head.headers[name]?.[0];
}

/** The body length the client declared, or undefined for a chunked body. */
export function declaredLengthOf(head: Pick<RequestHead, 'headers'>): number | undefined {
  const header = firstHeader(head, 'content-length');
  return header === undefined ? undefined : Number(header);
}

/** The raw path and the raw query (after '?', '' if none) of a request target. */
export function splitTarget(url: string): { rawPath: string; rawQuery: string } {
  const queryAt = url.indexOf('?');
  return queryAt === -1
    ? { rawPath: url, rawQuery: '' }
    : { rawPath: url.slice(0, queryAt), rawQuery: url.slice(queryAt + 1) };
}
