/**
 * The api role's start: listen (API and metrics), and only then make the bootstrap key, so a start that
 * cannot listen leaves the key to the next start; the banner lines; TLS reload on SIGHUP.
 */
import type { App } from '../app/compose.js';
import { parseListenAddress, type Config } from '../app/config.js';
import { listenOn } from '../http/listen.js';
import { isLoopbackHost } from '../kernel/index.js';
import { createMetricsServer } from '../http/metrics-server.js';

/** A listening API node: what to print, and how to stop the metrics listener. */
export interface StartedApi {
  banner: string[];
  closeMetrics(): void;
}

/** Listens, bootstraps the first account when there is none, and returns the banner. */
export async function startApi(
  app: App,
  config: Config,
  node: { close(): Promise<void> },
): Promise<StartedApi> {
  const metricsServer =
    config.metricsListen === 'off' ? undefined : createMetricsServer(app.metrics, app.logger);
  try {
    await listenOn(app.http.server, config.port, config.host, '--port');
    if (metricsServer !== undefined) {
      const metricsAt = parseListenAddress(config.metricsListen);
      await listenOn(metricsServer, metricsAt.port, metricsAt.host, '--metrics-listen');
    }
  } catch (error) {
    metricsServer?.close();
    await node.close();
    throw error;
  }
  const credentials = await app.access.bootstrap(new Date());
  const banner: string[] = [];
  const address = app.http.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const endpoint = `${app.tls === undefined ? 'http' : 'https'}://${urlHost(config.host)}:${port}`;
  const metricsAddress = metricsServer?.address();
  if (typeof metricsAddress === 'object' && metricsAddress !== null) {
    banner.push(
      `Metrics are served on http://${urlHost(metricsAddress.address)}:${metricsAddress.port}/metrics`,
    );
  }
  banner.push(`Bulwark is listening on ${endpoint} (database: ${config.database})`);
  const tls = app.tls;
  if (tls !== undefined) {
    const served = tls.load();
    banner.push(
      `TLS certificate ${tls.certFile}${tls.selfSigned ? ' (self-signed)' : ''}, SHA-256 fingerprint ${served.fingerprint}`,
    );
    // SIGHUP: serve the certificate files as they are now (a renewed certificate) without a restart.
    process.on('SIGHUP', () => {
      try {
        const reloaded = tls.load();
        app.http.setTlsCredentials(reloaded);
        process.stdout.write(`TLS certificate reloaded, SHA-256 fingerprint ${reloaded.fingerprint}\n`);
      } catch (error) {
        process.stderr.write(
          `bulwark: TLS certificate not reloaded, still serving the previous one: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      }
    });
  } else if (!isLoopbackHost(config.host)) {
    process.stderr.write(
      `warning: serving plain HTTP on ${config.host} (--insecure-http): keys and findings cross the network unencrypted\n`,
    );
  }
  if (credentials !== undefined) {
    const caBundle = tls?.selfSigned === true ? `AWS_CA_BUNDLE=${tls.certFile} ` : '';
    banner.push(
      'Bootstrap credentials for the first account (shown once; `bulwark admin create-key` makes more):',
      `  account:               ${credentials.accountId}`,
      `  aws_access_key_id:     ${credentials.accessKeyId}`,
      `  aws_secret_access_key: ${credentials.secretAccessKey}`,
      `Try: ${caBundle}AWS_ACCESS_KEY_ID=${credentials.accessKeyId} AWS_SECRET_ACCESS_KEY=… aws securityhub enable-security-hub --endpoint-url ${endpoint} --region us-east-1`,
    );
  }
  return { banner, closeMetrics: () => metricsServer?.close() };
}

/** `host` as it goes in a URL (IPv6 in brackets). */
function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
