/** The Ed25519 key that signs audit digests: kept in a file outside the database, created on first use. */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The signing key pair with the public half's PEM and fingerprint. */
export interface AuditSigningKey {
  privateKey: KeyObject;
  publicKey: AuditPublicKey;
}

/** A digest-verification key. */
export interface AuditPublicKey {
  key: KeyObject;
  /** SPKI PEM, what `bulwark audit public-key` prints. */
  pem: string;
  /** First 32 hex digits of SHA-256 over the DER SPKI (CloudTrail fingerprints are 32 hex digits too). */
  fingerprint: string;
}

/** Where the signing key lives: `BULWARK_AUDIT_SIGNING_KEY_FILE`, else `audit-signing.key` in the data dir. */
export function auditSigningKeyFile(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env['BULWARK_AUDIT_SIGNING_KEY_FILE'];
  return configured !== undefined && configured !== '' ? configured : join(dataDir, 'audit-signing.key');
}

/** Wraps a public key object. */
export function toAuditPublicKey(key: KeyObject): AuditPublicKey {
  const der = key.export({ type: 'spki', format: 'der' });
  return {
    key,
    pem: key.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: createHash('sha256').update(der).digest('hex').slice(0, 32),
  };
}

/** Parses a PEM public key (SPKI), or derives it from a PEM private key. */
export function parseAuditPublicKey(pem: string): AuditPublicKey {
  const key = pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the audit public key is not an Ed25519 key');
  return toAuditPublicKey(key);
}

/** Reads the signing key from `file`; with `create`, makes a new one (mode 0600) when the file is absent. */
export function loadAuditSigningKey(file: string, options: { create: boolean }): AuditSigningKey {
  if (!existsSync(file)) {
    if (!options.create) throw new Error(`the audit signing key ${file} does not exist`);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${file} is not an Ed25519 private key`);
  return { privateKey, publicKey: toAuditPublicKey(createPublicKey(privateKey)) };
}

/**
 * The key verification trusts, always from outside the database: the PEM file given (`--public-key`), else the
 * public half of the local signing key file. Throws when there is neither.
 */
export function trustedAuditPublicKey(
  publicKeyFile: string | undefined,
  signingKeyFile: string,
): AuditPublicKey {
  if (publicKeyFile !== undefined) return parseAuditPublicKey(readFileSync(publicKeyFile, 'utf8'));
  if (existsSync(signingKeyFile)) return loadAuditSigningKey(signingKeyFile, { create: false }).publicKey;
  throw new Error(
    `no trusted public key: ${signingKeyFile} does not exist; give --public-key <file> (the output of \`bulwark audit public-key\` on the server). The key stored in the database is never trusted.`,
  );
}
