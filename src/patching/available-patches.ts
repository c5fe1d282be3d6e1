/**
 * DescribeAvailablePatches over what the fleet's package sources know: every package version the agents' scans
 * reported (missing, failed or installed) in the account's Patch compliance, once per product. Bulwark keeps no
 * vendor catalogue, so a patch no node's repositories offer is not listed. Pure.
 */

/** One patch as DescribeAvailablePatches returns it (Linux fields; the Windows-only ones are never set). */
export interface AvailablePatch {
  /** `name.arch:version`, as the scan reported it (the compliance row's title). */
  id: string;
  title: string;
  name: string;
  arch: string;
  epoch: number;
  version: string;
  release: string;
  product: string;
  productFamily: string;
  classification: string;
  /** The vendor's severity (Debian priority, updateinfo severity). */
  severity: string;
  cveIds: string[];
}

/** The filter keys Bulwark answers; AWS documents more (REPOSITORY, ADVISORY_ID, BUGZILLA_ID, SECURITY), which no scan reports. */
export const availablePatchFilterKeys = [
  'PATCH_SET',
  'PRODUCT',
  'PRODUCT_FAMILY',
  'CLASSIFICATION',
  'SEVERITY',
  'MSRC_SEVERITY',
  'PATCH_ID',
  'NAME',
  'ARCH',
  'EPOCH',
  'VERSION',
  'RELEASE',
  'CVE_ID',
] as const;

/** A DescribeAvailablePatches filter key. */
export type AvailablePatchFilterKey = (typeof availablePatchFilterKeys)[number];

/** A node's product and one of its Patch compliance rows (flat string map, see PatchStateSource.patchRows). */
export interface ReportedPatchRow {
  product: string;
  row: Readonly<Record<string, string>>;
}

const knownArchitectures = new Set([
  'all',
  'amd64',
  'arm64',
  'armel',
  'armhf',
  'i386',
  'ppc64el',
  's390x',
  'riscv64',
  'noarch',
  'x86_64',
  'i686',
  'aarch64',
  'ppc64le',
  'src',
]);

/** `name.arch` → name and arch (a suffix that is not an architecture stays part of the name). */
function splitNameArch(id: string): { name: string; arch: string } {
  const dot = id.lastIndexOf('.');
  const arch = dot === -1 ? '' : id.slice(dot + 1);
  return knownArchitectures.has(arch) ? { name: id.slice(0, dot), arch } : { name: id, arch: '' };
}

/** `[epoch:]version[-release]`, the shape of both rpm EVRs and Debian versions (upstream-revision). */
function splitVersion(full: string): { epoch: number; version: string; release: string } {
  const epochMatch = /^(\d+):(.*)$/.exec(full);
  const epoch = epochMatch === null ? 0 : Number(epochMatch[1]);
  const rest = epochMatch === null ? full : (epochMatch[2] ?? '');
  const dash = rest.lastIndexOf('-');
  return dash === -1
    ? { epoch, version: rest, release: '' }
    : { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) };
}

/** The product without its version: `Ubuntu22.04` → `Ubuntu`. */
const productFamilyOf = (product: string): string => product.replace(/[\d.]+$/, '') || product;

/** One patch per product and package version, sorted by Id then product. */
export function availablePatchesOf(reported: readonly ReportedPatchRow[]): AvailablePatch[] {
  const byKey = new Map<string, AvailablePatch>();
  for (const { product, row } of reported) {
    const id = row['Id'] ?? '';
    const title = row['Title'] ?? '';
    if (id === '' || title === '') continue;
    const key = `${product}\u0000${title}`;
    const cveIds = (row['CVEIds'] ?? '').split(',').filter((cve) => cve !== '');
    const seen = byKey.get(key);
    if (seen !== undefined) {
      for (const cve of cveIds) if (!seen.cveIds.includes(cve)) seen.cveIds.push(cve);
      continue;
    }
    const versionText = title.startsWith(`${id}:`) ? title.slice(id.length + 1) : '';
    byKey.set(key, {
      id: title,
      title,
      ...splitNameArch(id),
      ...splitVersion(versionText),
      product,
      productFamily: productFamilyOf(product),
      classification: row['Classification'] ?? '',
      severity: row['PatchSeverity'] ?? '',
      cveIds,
    });
  }
  return [...byKey.values()].sort((a, b) =>
    a.id === b.id ? a.product.localeCompare(b.product) : a.id < b.id ? -1 : 1,
  );
}

function valuesOf(patch: AvailablePatch, key: AvailablePatchFilterKey): string[] {
  switch (key) {
    case 'PATCH_SET':
      return ['OS'];
    case 'PRODUCT':
      return [patch.product];
    case 'PRODUCT_FAMILY':
      return [patch.productFamily];
    case 'CLASSIFICATION':
      return [patch.classification];
    case 'SEVERITY':
    case 'MSRC_SEVERITY':
      return [patch.severity];
    case 'PATCH_ID':
      return [patch.id];
    case 'NAME':
      return [patch.name];
    case 'ARCH':
      return [patch.arch];
    case 'EPOCH':
      return [String(patch.epoch)];
    case 'VERSION':
      return [patch.version];
    case 'RELEASE':
      return [patch.release];
    case 'CVE_ID':
      return patch.cveIds;
  }
}

/** Keys AND, values OR; case-insensitive; `*` matches any value the patch has. */
export function matchesAvailablePatchFilters(
  patch: AvailablePatch,
  filters: readonly { key: AvailablePatchFilterKey; values: readonly string[] }[],
): boolean {
  return filters.every((filter) => {
    const actual = valuesOf(patch, filter.key).map((value) => value.toLowerCase());
    return filter.values.some((value) =>
      value === '*' ? actual.length > 0 : actual.includes(value.toLowerCase()),
    );
  });
}
