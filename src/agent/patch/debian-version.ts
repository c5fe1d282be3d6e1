/** Debian version ordering (`dpkg --compare-versions`): epoch, upstream version and revision, `~` before everything. */

/** A Debian version split into its parts (`[epoch:]upstream[-revision]`). */
export interface DebianVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

/** Splits `1:2.3~rc1-4` into epoch 1, upstream `2.3~rc1`, revision `4` (dpkg's parseversion, without validation). */
export function parseDebianVersion(version: string): DebianVersion {
  const text = version.trim();
  const colon = text.indexOf(':');
  const epoch = colon === -1 ? 0 : Number.parseInt(text.slice(0, colon), 10);
  const rest = colon === -1 ? text : text.slice(colon + 1);
  const dash = rest.lastIndexOf('-');
  return {
    epoch: Number.isNaN(epoch) ? 0 : epoch,
    upstream: dash === -1 ? rest : rest.slice(0, dash),
    revision: dash === -1 ? '' : rest.slice(dash + 1),
  };
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const isAlpha = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/** dpkg's `order()`: letters sort before non-letters, `~` before the end of the string, the end before anything else. */
function order(code: number): number {
  if (Number.isNaN(code) || isDigit(code)) return 0;
  if (isAlpha(code)) return code;
  if (code === 126) return -1; // '~'
  return code + 256;
}

/** dpkg's `verrevcmp()` over one part (upstream or revision). */
function compareFragment(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a.charCodeAt(i))) || (j < b.length && !isDigit(b.charCodeAt(j)))) {
      const ac = order(i < a.length ? a.charCodeAt(i) : Number.NaN);
      const bc = order(j < b.length ? b.charCodeAt(j) : Number.NaN);
      if (ac !== bc) return ac - bc;
      i += 1;
      j += 1;
    }
    while (a.charCodeAt(i) === 48) i += 1;
    while (b.charCodeAt(j) === 48) j += 1;
    while (i < a.length && j < b.length && isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i += 1;
      j += 1;
    }
    if (i < a.length && isDigit(a.charCodeAt(i))) return 1;
    if (j < b.length && isDigit(b.charCodeAt(j))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

/** Compares two Debian versions: negative when `a` is older, 0 when equal, positive when newer. */
export function compareDebianVersions(a: string, b: string): number {
  if (a === b) return 0;
  const left = parseDebianVersion(a);
  const right = parseDebianVersion(b);
  if (left.epoch !== right.epoch) return left.epoch > right.epoch ? 1 : -1;
  const upstream = compareFragment(left.upstream, right.upstream);
  if (upstream !== 0) return Math.sign(upstream);
  return Math.sign(compareFragment(left.revision, right.revision));
}
