/**
 * Console passwords at rest: scrypt (node:crypto) with a 16-byte random salt, stored as one self-describing text
 * `$scrypt$ln=15,r=8,p=1$SALT$HASH` (base64) so the cost can be raised later: a hash made with weaker parameters
 * still verifies, and {@link needsRehash} tells the caller to store a fresh one after a successful sign-in.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt's cost: N = 2^logN, block size r, parallelism p. */
export interface ScryptParameters {
  logN: number;
  r: number;
  p: number;
}

/** The cost of new hashes: N = 2^15 (32 MiB of memory per hash), r = 8, p = 1. */
export const defaultScryptParameters: ScryptParameters = { logN: 15, r: 8, p: 1 };

/** Fewer characters than this are refused when a password is set. */
export const minPasswordLength = 12;
/** More characters than this are refused (set) or never match (sign-in): bounds the work a caller can ask for. */
export const maxPasswordLength = 1024;

const saltBytes = 16;
const keyBytes = 32;
const pattern =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

/** The same password typed on different systems (composed or decomposed accents) is the same password. */
const normalized = (password: string): string => password.normalize('NFC');

function derive(
  password: string,
  salt: Buffer,
  parameters: ScryptParameters,
  length: number,
): Promise<Buffer> {
  const N = 2 ** parameters.logN;
  const options: ScryptOptions = {
    N,
    r: parameters.r,
    p: parameters.p,
    // scrypt needs 128·N·r·p bytes; Node's default ceiling (32 MiB) is just below that for N = 2^15, r = 8.
    maxmem: 256 * N * parameters.r * parameters.p,
  };
  return new Promise((resolve, reject) => {
    scrypt(normalized(password), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Why a password cannot be set, or undefined when it can. */
export function passwordProblem(password: string): string | undefined {
  const length = [...normalized(password)].length;
  if (length < minPasswordLength) return `a console password needs at least ${minPasswordLength} characters`;
  if (length > maxPasswordLength) return `a console password has at most ${maxPasswordLength} characters`;
  return undefined;
}

/** A new hash of `password` under `parameters`. */
export async function hashPassword(
  password: string,
  parameters: ScryptParameters = defaultScryptParameters,
): Promise<string> {
  const salt = randomBytes(saltBytes);
  const key = await derive(password, salt, parameters, keyBytes);
  const { logN, r, p } = parameters;
  return `$scrypt$ln=${logN},r=${r},p=${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface ParsedHash {
  parameters: ScryptParameters;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const match = pattern.exec(stored);
  if (match === null) return undefined;
  const [logN, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (logN < 1 || logN > 22 || r < 1 || p < 1) return undefined;
  return {
    parameters: { logN, r, p },
    salt: Buffer.from(match[4] ?? '', 'base64'),
    key: Buffer.from(match[5] ?? '', 'base64'),
  };
}

/** Whether `password` matches `stored`; false for an unreadable hash or an over-long password. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (parsed === undefined || parsed.key.length === 0) return false;
  // An absurdly long input is not worth deriving from, but costs the same scrypt run before it is refused.
  const tooLong = password.length > maxPasswordLength * 4;
  const candidate = await derive(tooLong ? '' : password, parsed.salt, parsed.parameters, parsed.key.length);
  return timingSafeEqual(candidate, parsed.key) && !tooLong;
}

/** Whether `stored` was made with a lower cost than `wanted` (or cannot be read): store a fresh hash. */
export function needsRehash(stored: string, wanted: ScryptParameters = defaultScryptParameters): boolean {
  const parsed = parseHash(stored);
  if (parsed === undefined) return true;
  const { logN, r, p } = parsed.parameters;
  return logN < wanted.logN || r < wanted.r || p < wanted.p;
}

/**
 * A hash of a random password under `parameters`, to verify against when the user is unknown or has no password,
 * so that such a refusal costs the same scrypt work as a wrong password.
 */
export function dummyHash(parameters: ScryptParameters = defaultScryptParameters): Promise<string> {
  return hashPassword(randomBytes(24).toString('base64'), parameters);
}
