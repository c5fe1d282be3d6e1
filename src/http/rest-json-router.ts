/** restJson1 routing: method + path template (with `{Label}` and greedy `{Label+}`) to an operation. */
import type { Operation } from '../protocols/operation.js';
import type { RestRoute } from '../protocols/rest-json-route.js';
import { decodePathLabel } from './request-body.js';

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

  /** A router of the routes `keep` selects. */
  only(keep: (route: RestRoute) => boolean): RestJsonRouter {
    return new RestJsonRouter(this.table.filter(keep));
  }

  /** The route table. */
  get table(): RestRoute[] {
    return this.routes.map((compiled) => compiled.route);
  }

  /** The operation for `method rawPath`, or undefined; InvalidInput when a label is not valid percent-encoding. */
  match(method: string, rawPath: string): RestMatch | undefined {
    for (const compiled of this.routes) {
      if (compiled.route.method !== method) continue;
      const found = compiled.pattern.exec(rawPath);
      if (found === null) continue;
      const labels = new Map<string, string>();
      compiled.labels.forEach((name, index) => {
        labels.set(name, decodePathLabel(found[index + 1] ?? ''));
      });
      return { operation: compiled.route.operation, labels: Object.fromEntries(labels) };
    }
    return undefined;
  }

  /**
   * The leading path (e.g. `/securityhub`) whose removal would make `rawPath` match a route: the sign of an
   * endpoint URL configured with a path. Undefined when no such prefix exists.
   */
  endpointPathOf(method: string, rawPath: string): string | undefined {
    const segments = rawPath.split('/');
    for (let cut = 2; cut < segments.length; cut += 1) {
      const rest = `/${segments.slice(cut).join('/')}`;
      const matches = this.routes.some(
        (compiled) => compiled.route.method === method && compiled.pattern.test(rest),
      );
      if (matches) return segments.slice(0, cut).join('/');
    }
    return undefined;
  }
}
