/**
 * The AWS query protocol (STS, IAM): `POST /` with a form-encoded body `Action=…&Version=…&…`, answered in XML
 * (`<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…` or `<ErrorResponse>`).
 */
import { ApiError } from '../kernel/index.js';
import { escapeXml } from './wire-errors.js';
import type { QueryRoute } from '../protocols/query-route.js';

/** The content type of query requests. */
export const queryContentType = 'application/x-www-form-urlencoded';

/** Whether a request without X-Amz-Target is a query-protocol call. */
export function isQueryRequest(method: string, path: string, contentType: string | undefined): boolean {
  return method === 'POST' && path === '/' && (contentType ?? '').toLowerCase().startsWith(queryContentType);
}

/** Scalars become elements, nested objects nested elements; lists are not needed by any route yet. */
function toXml(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return escapeXml(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'object') return '';
  return Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .map(([key, member]) => `<${key}>${toXml(member)}</${key}>`)
    .join('');
}

/** Maps `Action` (and `Version`) to operations and writes XML responses. */
export class QueryRouter {
  private readonly routes: Map<string, QueryRoute>;

  constructor(routes: readonly QueryRoute[]) {
    this.routes = new Map(routes.map((route) => [route.action, route]));
  }

  /** The route for a form body; InvalidAction for an unknown Action or Version. */
  match(form: URLSearchParams): QueryRoute {
    const action = form.get('Action') ?? '';
    const route = this.routes.get(action);
    if (route === undefined || (form.has('Version') && form.get('Version') !== route.version)) {
      throw new ApiError(
        'UnknownOperation',
        `Could not find operation ${action} for version ${form.get('Version') ?? 'NO_VERSION_SPECIFIED'}`,
      );
    }
    return route;
  }

  /** The XML of a successful call. */
  static response(route: QueryRoute, result: unknown, requestId: string): string {
    const name = route.action;
    return (
      `<${name}Response xmlns="${route.xmlNamespace}">` +
      `<${name}Result>${toXml(result)}</${name}Result>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
      `</${name}Response>`
    );
  }
}
