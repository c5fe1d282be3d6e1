/** restJson1 routing: method + path template (with `{Label}` and greedy `{Label+}`) to an operation. */
import type { Operation } from './operation.js';

/** One row of a restJson1 route table. */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  operation: Operation;
}

interface CompiledRoute {
  route: RestRoute;
  pattern: RegExp;
  labels: string[];
}

/** A matched route with its decoded path labels. */
export interface RestMatch {
  operation: Operation;
  labels: Record<string, string>;
}

/** Matches raw (still percent-encoded) paths against a route table. */
export class RestJsonRouter {
  private readonly routes: CompiledRoute[];

  constructor(routes: readonly RestRoute[]) {
    this.routes = routes.map((route) => {
      const labels: string[] = [];
      const source = route.path
        .split('/')
        .map((segment) => {
          const label = /^\{(\w+)(\+?)\}$/.exec(segment);
          if (label === null) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          labels.push(label[1] ?? '');
          return label[2] === '+' ? '(.+)' : '([^/]+)';
        })
        .join('/');
      return { route, pattern: new RegExp(`^${source}/?$`), labels };
    });
  }

  /** The operation for `method rawPath`, or undefined. `pathPrefix` is stripped first (endpoint URLs with a path). */
  match(method: string, rawPath: string): RestMatch | undefined {
    for (const compiled of this.routes) {
      if (compiled.route.method !== method) continue;
      const found = compiled.pattern.exec(rawPath);
      if (found === null) continue;
      const labels: Record<string, string> = {};
      compiled.labels.forEach((name, index) => {
        labels[name] = decodeURIComponent(found[index + 1] ?? '');
      });
      return { operation: compiled.route.operation, labels };
    }
    return undefined;
  }
}
