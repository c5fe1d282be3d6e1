/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA-1, 6 digits, 30-second steps, with the
 * secret shared as RFC 4648 base32 through an `otpauth://totp/…` URI (what authenticator apps scan).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Seconds per TOTP step. */
export const totpStepSeconds = 30;
/** Digits of a console TOTP code. */
export const totpDigits = 6;
/** Steps accepted either side of the current one (clock drift between the phone and the server). */
export const totpDriftSteps = 1;

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding. */
export function base32Encode(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** RFC 4648 base32 (case, spaces and padding ignored); throws on any other character. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error('not a base32 secret');
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A new random 20-byte (160-bit, RFC 4226's recommendation) secret, base32. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** The RFC 4226 HOTP value of `counter` under `key`, as `digits` decimal digits. */
export function hotp(key: Buffer, counter: number, digits: number = totpDigits): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The TOTP step of `at` (seconds since the epoch, in 30-second steps). */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / totpStepSeconds);
}

/** The code an authenticator shows at `at` for the base32 `secret`. */
export function totpCode(secret: string, at: Date, digits: number = totpDigits): string {
  return hotp(base32Decode(secret), totpStep(at), digits);
}

/** A code that matched a step: `replayed` when that step (or a later one) was already used. */
export interface TotpMatch {
  step: number;
  replayed: boolean;
}

/**
 * Which step `code` belongs to at `now` (±{@link totpDriftSteps}), or undefined when it matches none. A step at
 * or before `lastUsedStep` is a replay: a code, or an older one, is never accepted twice. Codes are compared in
 * constant time.
 */
export function matchTotp(
  secret: string,
  code: string,
  now: Date,
  lastUsedStep: number | undefined,
): TotpMatch | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const key = base32Decode(secret);
  const presented = Buffer.from(code);
  const current = totpStep(now);
  const matches: number[] = [];
  for (let step = current - totpDriftSteps; step <= current + totpDriftSteps; step += 1) {
    if (timingSafeEqual(Buffer.from(hotp(key, step)), presented)) matches.push(step);
  }
  const fresh = matches.find((step) => lastUsedStep === undefined || step > lastUsedStep);
  if (fresh !== undefined) return { step: fresh, replayed: false };
  const first = matches[0];
  return first === undefined ? undefined : { step: first, replayed: true };
}

/** The `otpauth://` URI an authenticator app scans (issuer Bulwark, label `Bulwark:USER@ACCOUNT`). */
export function otpauthUri(secret: string, userName: string, accountId: string): string {
  const label = `${encodeURIComponent('Bulwark')}:${encodeURIComponent(`${userName}@${accountId}`)}`;
  const query = new URLSearchParams({
    secret,
    issuer: 'Bulwark',
    algorithm: 'SHA1',
    digits: String(totpDigits),
    period: String(totpStepSeconds),
  });
  return `otpauth://totp/${label}?${query.toString()}`;
}
