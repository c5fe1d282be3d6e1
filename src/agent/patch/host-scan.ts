/** Reads a root's package data and evaluates it: the scan half of a patch run, with no network and no changes. */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { nodePlatformOf, type BaselineRules, type NodePlatform } from '../../patching/index.js';
import { listAptIndexes, readAptAvailability, type AptAvailability } from './apt-source.js';
import { compareDebianVersions } from './debian-version.js';
import { dpkgInstalledTime, readDpkgStatus, type InstalledDeb } from './dpkg-status.js';
import { nativeDebArch, rpmEvrString, scanAptPatches, scanRpmPatches, type PatchScan } from './patch-scan.js';
import {
  findRepoMetadataDirectories,
  readInstalledRpms,
  readUpdateNotices,
  type InstalledRpm,
  type UpdateNotice,
} from './rpm-source.js';
import { compareRpmEvr } from './rpm-version.js';

/** The package manager family of a root. */
export type PackageFamily = 'apt' | 'rpm';

/** Which family manages `root`: apt when a dpkg status file exists, else rpm. */
export async function packageFamilyOf(root: string): Promise<PackageFamily> {
  return access(path.join(root, 'var/lib/dpkg/status')).then(
    () => 'apt' as const,
    () => 'rpm' as const,
  );
}

/** The node platform of a root from its os-release (NAME and VERSION_ID). */
export async function rootPlatformOf(root: string): Promise<NodePlatform | undefined> {
  for (const file of ['etc/os-release', 'usr/lib/os-release']) {
    const text = await readFile(path.join(root, file), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const field = (name: string): string =>
      new RegExp(`^${name}=(.*)$`, 'm')
        .exec(text)?.[1]
        ?.trim()
        .replace(/^(["'])(.*)\1$/, '$2') ?? '';
    return nodePlatformOf(field('NAME'), field('VERSION_ID'));
  }
  return undefined;
}

/** Everything one scan read, kept for the install step. */
export type HostPackageData =
  | { family: 'apt'; installed: InstalledDeb[]; available: AptAvailability; native: string }
  | { family: 'rpm'; installed: InstalledRpm[]; notices: UpdateNotice[] };

/** The root has no repository metadata to scan against: a scan would read it as "nothing missing". */
export class PackageMetadataUnavailable extends Error {
  override readonly name = 'PackageMetadataUnavailable';
}

/**
 * Reads the root's installed packages and what its repositories offer; throws PackageMetadataUnavailable
 * when there is no repository metadata at all (absent apt lists, no dnf cache).
 */
export async function readHostPackages(root: string, family: PackageFamily): Promise<HostPackageData> {
  if (family === 'apt') {
    if ((await listAptIndexes(root)).length === 0)
      throw new PackageMetadataUnavailable(
        `no package lists under ${path.join(root, 'var/lib/apt/lists')} (apt-get update has not run or failed)`,
      );
    const [installed, available] = await Promise.all([readDpkgStatus(root), readAptAvailability(root)]);
    return { family, installed, available, native: nativeDebArch(installed) };
  }
  if ((await findRepoMetadataDirectories(root)).length === 0)
    throw new PackageMetadataUnavailable(
      `no repository metadata under ${path.join(root, 'var/cache/dnf')} (dnf makecache has not run or failed)`,
    );
  const [installed, notices] = await Promise.all([readInstalledRpms(root), readUpdateNotices(root)]);
  return { family, installed, notices };
}

/** Evaluates read package data against a baseline. */
export async function evaluateHostPackages(
  root: string,
  data: HostPackageData,
  baseline: BaselineRules,
  product: string,
  now: Date,
): Promise<PatchScan> {
  if (data.family === 'rpm')
    return scanRpmPatches({ baseline, product, installed: data.installed, notices: data.notices, now });
  const times = new Map<string, string>();
  await Promise.all(
    data.installed.map(async (pkg) => {
      times.set(`${pkg.name}:${pkg.arch}`, await dpkgInstalledTime(root, pkg.name, pkg.arch));
    }),
  );
  return scanAptPatches({
    baseline,
    product,
    installed: data.installed,
    available: data.available,
    installedTimes: times,
    now,
  });
}

/** The newest version the repositories offer for an installed `name.arch` (InstallOverrideList entries without a title). */
export function newestAvailableVersion(
  data: HostPackageData,
  name: string,
  arch: string,
): string | undefined {
  if (data.family === 'apt') {
    const key = (value: string): string => (value === 'all' ? data.native : value);
    let best: string | undefined;
    for (const version of data.available.get(name) ?? []) {
      if (key(version.arch) !== key(arch)) continue;
      if (best === undefined || compareDebianVersions(version.version, best) > 0) best = version.version;
    }
    return best;
  }
  let best: UpdateNotice['packages'][number] | undefined;
  for (const notice of data.notices)
    for (const pkg of notice.packages)
      if (pkg.name === name && pkg.arch === arch && (best === undefined || compareRpmEvr(pkg, best) > 0))
        best = pkg;
  return best === undefined ? undefined : rpmEvrString(best);
}

/** The installed `name.arch` packages with their versions (apt version / rpm `epoch:version-release`). */
export function installedVersions(
  data: HostPackageData,
): Map<string, { name: string; arch: string; version: string }> {
  const map = new Map<string, { name: string; arch: string; version: string }>();
  if (data.family === 'apt') for (const pkg of data.installed) map.set(`${pkg.name}.${pkg.arch}`, pkg);
  else
    for (const pkg of data.installed)
      map.set(`${pkg.name}.${pkg.arch}`, { name: pkg.name, arch: pkg.arch, version: rpmEvrString(pkg) });
  return map;
}
