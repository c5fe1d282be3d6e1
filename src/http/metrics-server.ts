/**
 * The Prometheus endpoint on a listener of its own (`--metrics-listen`, loopback by default): the metrics add
 * up every tenant's traffic and findings, so they are not served on the API port that every account reaches.
 */
import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';

/** Creates (not yet listening) a server that answers `GET /metrics` and 404 to everything else. */
export function createMetricsServer(metrics: Metrics, logger: Logger): Server {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try GET /metrics\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (error: unknown) => {
        logger.error({ err: error }, 'metrics collection failed');
        response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n');
      },
    );
  });
  server.keepAliveTimeout = 5_000;
  return server;
}
