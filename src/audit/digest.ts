/** Audit digests: the signed statement that records start..end form an unbroken chain ending in a given hash. */
import { createHash, sign, verify } from 'node:crypto';
import type { AuditPublicKey } from './signing-key.js';
import type { KeyObject } from 'node:crypto';

/** What a digest states; serialized as canonical JSON (members in this order) and signed as is. */
export interface DigestBody {
  version: 1;
  digestSequence: number;
  startSequence: number;
  endSequence: number;
  recordCount: number;
  /** The hash of record `endSequence`: by the chain it commits to every record before it. */
  lastRecordHash: string;
  oldestEventTime: string | null;
  newestEventTime: string | null;
  digestTime: string;
  /** Hex SHA-256 of the previous digest's body, or null for the first digest. */
  previousDigestHash: string | null;
  /** The previous digest's signature (hex), or null for the first digest. */
  previousDigestSignature: string | null;
  publicKeyFingerprint: string;
  signatureAlgorithm: 'Ed25519';
}

/** The exact text that is signed and stored. */
export function serializeDigest(body: DigestBody): string {
  return JSON.stringify({
    version: body.version,
    digestSequence: body.digestSequence,
    startSequence: body.startSequence,
    endSequence: body.endSequence,
    recordCount: body.recordCount,
    lastRecordHash: body.lastRecordHash,
    oldestEventTime: body.oldestEventTime,
    newestEventTime: body.newestEventTime,
    digestTime: body.digestTime,
    previousDigestHash: body.previousDigestHash,
    previousDigestSignature: body.previousDigestSignature,
    publicKeyFingerprint: body.publicKeyFingerprint,
    signatureAlgorithm: body.signatureAlgorithm,
  });
}

/** Hex SHA-256 of a digest's stored text. */
export function digestHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Signs a digest's text with Ed25519; the signature is hex. */
export function signDigest(text: string, privateKey: KeyObject): string {
  return sign(null, Buffer.from(text, 'utf8'), privateKey).toString('hex');
}

/** Whether `signature` (hex) is `key`'s signature of `text`. */
export function verifyDigestSignature(text: string, signature: string, key: AuditPublicKey): boolean {
  if (!/^[0-9a-f]+$/.test(signature)) return false;
  return verify(null, Buffer.from(text, 'utf8'), key.key, Buffer.from(signature, 'hex'));
}

/** Parses a stored digest text, or undefined when it is not a digest. */
export function parseDigest(text: string): DigestBody | undefined {
  try {
    const value = JSON.parse(text) as Partial<DigestBody>;
    if (
      value.version !== 1 ||
      typeof value.digestSequence !== 'number' ||
      typeof value.startSequence !== 'number' ||
      typeof value.endSequence !== 'number' ||
      typeof value.lastRecordHash !== 'string'
    ) {
      return undefined;
    }
    return value as DigestBody;
  } catch {
    return undefined;
  }
}
