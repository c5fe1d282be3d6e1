import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, parseListenAddress } from './config.js';
import { assertTransportAllowed } from './server-transport.js';

describe('config: transport', () => {
  it('defaults to plain HTTP on loopback with metrics on 127.0.0.1:9440', () => {
    const config = loadConfig({}, {}, undefined);
    assert.equal(config.tls, undefined);
    assert.equal(config.insecureHttp, false);
    assert.equal(config.metricsListen, '127.0.0.1:9440');
    assert.doesNotThrow(() => assertTransportAllowed(config));
  });

  it('refuses plain HTTP off loopback unless TLS or --insecure-http is configured', () => {
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'hub.example.com']) {
      assert.throws(() => assertTransportAllowed(loadConfig({ host }, {}, undefined)), /--insecure-http/);
      assert.doesNotThrow(() =>
        assertTransportAllowed(loadConfig({ host, insecureHttp: true }, {}, undefined)),
      );
      assert.doesNotThrow(() =>
        assertTransportAllowed(loadConfig({ host, tls: 'self-signed' }, {}, undefined)),
      );
    }
    for (const host of ['127.0.0.1', '127.8.9.10', '::1', 'localhost']) {
      assert.doesNotThrow(() => assertTransportAllowed(loadConfig({ host }, {}, undefined)));
    }
    const fromEnvironment = loadConfig(
      {},
      { BULWARK_HOST: '0.0.0.0', BULWARK_INSECURE_HTTP: '1' },
      undefined,
    );
    assert.equal(fromEnvironment.insecureHttp, true);
  });

  it('rejects half a certificate pair, both TLS modes at once, and a malformed metrics address', () => {
    assert.throws(() => loadConfig({ tlsCert: 'cert.pem' }, {}, undefined), /go together/);
    assert.throws(
      () => loadConfig({ tls: 'self-signed', tlsCert: 'c.pem', tlsKey: 'k.pem' }, {}, undefined),
      /exclude each other/,
    );
    assert.throws(() => loadConfig({ tls: 'acme' }, {}, undefined), /tls/);
    assert.throws(() => loadConfig({ metricsListen: '9440' }, {}, undefined), /metricsListen/);
    assert.equal(loadConfig({ metricsListen: 'off' }, {}, undefined).metricsListen, 'off');
  });

  it('splits listen addresses, IPv6 in brackets', () => {
    assert.deepEqual(parseListenAddress('127.0.0.1:9440'), { host: '127.0.0.1', port: 9440 });
    assert.deepEqual(parseListenAddress('[::1]:0'), { host: '::1', port: 0 });
    assert.throws(() => parseListenAddress(':80'), /invalid listen address/);
  });
});
