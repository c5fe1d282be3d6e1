/** Generation of AWS-shaped identifiers: account ids, access key ids and secrets. */
import { randomBytes, randomInt } from 'node:crypto';

const keyAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A random 12-digit account id that does not start with 0. */
export function newAccountId(): string {
  let id = String(randomInt(1, 10));
  while (id.length < 12) id += String(randomInt(0, 10));
  return id;
}

/** An access key id in AWS's shape: `AKIA` and 16 upper-case base32 characters. */
export function newAccessKeyId(): string {
  const bytes = randomBytes(16);
  let id = 'AKIA';
  for (const byte of bytes) id += keyAlphabet[byte % 32];
  return id;
}

/** A 40-character secret access key. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64').replace(/\+/g, 'A').replace(/\//g, 'B');
}

/** A principal id in AWS's shape (`AIDA…`). */
export function newPrincipalId(): string {
  return 'AIDA' + newAccessKeyId().slice(4);
}
