/** Reads a Security Hub restJson1 request's raw input from its path labels, query string and JSON body. */
import type { OperationRequest } from '../index.js';

/** Reads an integer query parameter, leaving a non-number for the schema to reject. */
export function queryInteger(query: URLSearchParams, name: string): number | string | undefined {
  const text = query.get(name);
  if (text === null) return undefined;
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

/** Reads an optional string query parameter. */
export function queryString(query: URLSearchParams, name: string): string | undefined {
  return query.get(name) ?? undefined;
}

/** The JSON body with the path labels added as members (a non-object body is left for the schema to reject). */
export function bodyWithLabels(request: OperationRequest): unknown {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return { ...body, ...request.labels };
}

/** The NextToken and MaxResults query parameters of a list operation sent as GET. */
export function pagingQuery(request: { query: URLSearchParams }): {
  NextToken: string | undefined;
  MaxResults: number | string | undefined;
} {
  return {
    NextToken: queryString(request.query, 'NextToken'),
    MaxResults: queryInteger(request.query, 'MaxResults'),
  };
}
