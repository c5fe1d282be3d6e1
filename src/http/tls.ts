/**
 * The server's TLS material: PEM files named by the operator, or a self-signed certificate Bulwark makes
 * once and keeps in the data dir. node-forge builds the X.509 structure (Node has no certificate generator);
 * node:crypto makes the key and checks the result.
 */
import { X509Certificate, createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import forge from 'node-forge';

/** A certificate chain and its private key (PEM), with the leaf's SHA-256 fingerprint. */
export interface TlsCredentials {
  cert: string;
  key: string;
  /** `AB:CD:…`, 32 colon-separated bytes, as `openssl x509 -fingerprint -sha256` prints it. */
  fingerprint: string;
}

/** The self-signed certificate's files in the data dir. */
export function selfSignedFiles(dataDir: string): { certFile: string; keyFile: string } {
  return { certFile: join(dataDir, 'tls-cert.pem'), keyFile: join(dataDir, 'tls-key.pem') };
}

/** The SHA-256 fingerprint of the first certificate in `pem`. */
export function certificateFingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

/**
 * A new RSA-2048 key and a certificate for `names` (host names and IP addresses, the first one the subject),
 * valid from a minute ago for 825 days (the longest lifetime clients accept for a server certificate).
 */
export function generateSelfSignedCertificate(
  names: readonly string[],
  now: Date = new Date(),
): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  // A positive 128-bit serial: the leading 00 keeps the DER integer from reading as negative.
  certificate.serialNumber = `00${randomBytes(16).toString('hex')}`;
  certificate.validity.notBefore = new Date(now.getTime() - 60_000);
  certificate.validity.notAfter = new Date(now.getTime() + 825 * 86_400_000);
  const subject = [
    { name: 'commonName', value: names[0] ?? 'bulwark' },
    { name: 'organizationName', value: 'Bulwark' },
  ];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    // A trust anchor for the clients that pin it (AWS_CA_BUNDLE, --ca-file), so it is its own CA.
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [...new Set(names)].map((name) =>
        isIP(name) === 0 ? { type: 2, value: name } : { type: 7, ip: name },
      ),
    },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(forge.pki.privateKeyFromPem(key), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(certificate), key };
}

/**
 * Makes the self-signed certificate in `dataDir` unless it is already there (key mode 0600, created
 * exclusively so two nodes starting together keep one pair).
 */
export function ensureSelfSignedCertificate(dataDir: string, names: readonly string[]): void {
  const { certFile, keyFile } = selfSignedFiles(dataDir);
  if (existsSync(certFile) && existsSync(keyFile)) return;
  const { cert, key } = generateSelfSignedCertificate(names);
  try {
    writeFileSync(keyFile, key, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  writeFileSync(certFile, cert, { mode: 0o644 });
}

/** Reads and checks a certificate (chain) and key file pair; the message names the file at fault. */
export function readTlsCredentials(certFile: string, keyFile: string): TlsCredentials {
  const cert = readPem(certFile, 'TLS certificate');
  const key = readPem(keyFile, 'TLS key');
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch {
    throw new Error(`${certFile} holds no PEM certificate`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new Error(`${keyFile} holds no PEM private key`);
  }
  if (!leaf.checkPrivateKey(privateKey))
    throw new Error(`${keyFile} is not the key of the certificate ${certFile}`);
  return { cert, key, fingerprint: leaf.fingerprint256 };
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(`cannot read the ${what} ${file} (${code})`);
  }
}
