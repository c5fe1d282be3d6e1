/** RPM version ordering: `rpmvercmp()` of rpm 4.x (with `~` and `^`) and epoch:version-release comparison. */

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const isAlpha = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isAlnum = (code: number): boolean => isDigit(code) || isAlpha(code);
const TILDE = 126;
const CARET = 94;

/** rpm's `rpmvercmp()`: negative when `a` is older, 0 when equal, positive when newer. */
export function compareRpmVersions(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (
      i < a.length &&
      !isAlnum(a.charCodeAt(i)) &&
      a.charCodeAt(i) !== TILDE &&
      a.charCodeAt(i) !== CARET
    )
      i += 1;
    while (
      j < b.length &&
      !isAlnum(b.charCodeAt(j)) &&
      b.charCodeAt(j) !== TILDE &&
      b.charCodeAt(j) !== CARET
    )
      j += 1;
    const ca = a.charCodeAt(i); // NaN at the end
    const cb = b.charCodeAt(j);
    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i += 1;
      j += 1;
      continue;
    }
    if (ca === CARET || cb === CARET) {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      i += 1;
      j += 1;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;
    const numeric = isDigit(ca);
    const test = numeric ? isDigit : isAlpha;
    let endA = i;
    let endB = j;
    while (endA < a.length && test(a.charCodeAt(endA))) endA += 1;
    while (endB < b.length && test(b.charCodeAt(endB))) endB += 1;
    if (endB === j) return numeric ? 1 : -1; // segments of different types: numeric is newer
    let segA = a.slice(i, endA);
    let segB = b.slice(j, endB);
    if (numeric) {
      segA = segA.replace(/^0+/, '');
      segB = segB.replace(/^0+/, '');
      if (segA.length !== segB.length) return segA.length > segB.length ? 1 : -1;
    }
    if (segA !== segB) return segA < segB ? -1 : 1;
    i = endA;
    j = endB;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/** An rpm epoch:version-release. */
export interface RpmEvr {
  epoch?: string;
  version: string;
  release: string;
}

/** Compares two EVRs: epoch (absent = 0) numerically, then version, then release with rpmvercmp. */
export function compareRpmEvr(a: RpmEvr, b: RpmEvr): number {
  const epochA = Number.parseInt(a.epoch ?? '0', 10) || 0;
  const epochB = Number.parseInt(b.epoch ?? '0', 10) || 0;
  if (epochA !== epochB) return epochA > epochB ? 1 : -1;
  return compareRpmVersions(a.version, b.version) || compareRpmVersions(a.release, b.release);
}
