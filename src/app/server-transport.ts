/** How a node's API listener is secured: the operator's certificate files, a self-signed one, or plain HTTP. */
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { isLoopbackHost } from '../kernel/index.js';
import {
  ensureSelfSignedCertificate,
  readTlsCredentials,
  selfSignedFiles,
  type TlsCredentials,
} from '../http/tls.js';
import type { Config } from './config.js';

/** The certificate files a TLS node serves; `load()` reads them again (start and SIGHUP). */
export interface ServerTls {
  certFile: string;
  keyFile: string;
  selfSigned: boolean;
  load(): TlsCredentials;
}

/** The node's TLS files (making the self-signed pair on first start), or undefined for plain HTTP. */
export function serverTlsFor(config: Config): ServerTls | undefined {
  if (config.tlsCert !== undefined && config.tlsKey !== undefined) {
    const { tlsCert, tlsKey } = config;
    return {
      certFile: tlsCert,
      keyFile: tlsKey,
      selfSigned: false,
      load: () => readTlsCredentials(tlsCert, tlsKey),
    };
  }
  if (config.tls !== 'self-signed') return undefined;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const wildcard = config.host === '0.0.0.0' || config.host === '::' || config.host === '';
  ensureSelfSignedCertificate(config.dataDir, [
    ...(wildcard ? [] : [config.host]),
    hostname(),
    'localhost',
    '127.0.0.1',
    '::1',
  ]);
  const { certFile, keyFile } = selfSignedFiles(config.dataDir);
  return { certFile, keyFile, selfSigned: true, load: () => readTlsCredentials(certFile, keyFile) };
}

/**
 * Refuses plain HTTP on an address other than loopback unless `--insecure-http` says so: activation codes,
 * issued secret keys and findings would otherwise cross the network in clear.
 */
export function assertTransportAllowed(config: Config): void {
  const tls = config.tls !== undefined || config.tlsCert !== undefined;
  if (tls || config.insecureHttp || isLoopbackHost(config.host)) return;
  throw new Error(
    `refusing to serve plain HTTP on ${config.host}, which is not a loopback address: use --tls-cert/--tls-key ` +
      'or --tls self-signed, or pass --insecure-http to accept credentials crossing the network unencrypted',
  );
}
