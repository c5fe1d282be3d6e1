/**
 * Inventory the agent reports with PutInventory: AWS:Application (dpkg or rpm), AWS:Network (the
 * interfaces) and custom types from `<state-dir>/inventory/custom/*.json`. AWS:InstanceInformation is
 * synthesized by the hub from registration and heartbeats (spec §3.1), so it is not sent.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** One entry of an inventory item: attribute → string (all values are strings on the wire). */
export type InventoryEntry = Record<string, string>;

/** One PutInventory item, always with its full Content (the sender decides whether to omit it). */
export interface InventoryItem {
  TypeName: string;
  SchemaVersion: string;
  CaptureTime: string;
  ContentHash: string;
  Content: InventoryEntry[];
}

/** `2024-05-01T10:00:00Z`: UTC, seconds precision, as PutInventory requires. */
export function captureTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Hex SHA-256 of the JSON of the content, the hash the hub compares for unchanged content. */
export function contentHash(content: readonly InventoryEntry[]): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } },
      (error, stdout) =>
        error === null
          ? resolve(stdout)
          : reject(Object.assign(new Error(error.message), { code: error.code })),
    );
  });
}

/** amd64 → x86_64, 386 → i386, as the SSM agent normalizes Architecture. */
export function normalizeArchitecture(architecture: string): string {
  if (architecture === 'amd64') return 'x86_64';
  if (architecture === '386' || architecture === 'i686') return 'i386';
  if (architecture === 'arm64') return 'aarch64';
  return architecture;
}

function rfc3339FromEpochSeconds(text: string | undefined): string | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const seconds = Number(text);
  return seconds > 0 ? captureTime(new Date(seconds * 1000)) : undefined;
}

const trimmed = (value: string | undefined, max = 4096): string => (value ?? '').slice(0, max);

/** The dpkg-query format: one tab-separated line per package. */
export const DPKG_FORMAT =
  '${Package}\\t${Version}\\t${Architecture}\\t${Maintainer}\\t${binary:Summary}\\t${Status}\\t${Homepage}\\t${db-fsys:Last-Modified}\\n';

/** Parses `dpkg-query -W -f=DPKG_FORMAT` output into AWS:Application entries (installed packages only). */
export function parseDpkgQuery(output: string): InventoryEntry[] {
  const entries: InventoryEntry[] = [];
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const [name, version, architecture, maintainer, summary, status, homepage, modified] = line.split('\t');
    if (name === undefined || version === undefined || !(status ?? '').endsWith(' installed')) continue;
    const arch = normalizeArchitecture(architecture ?? '');
    const installed = rfc3339FromEpochSeconds(modified);
    entries.push({
      Name: trimmed(name),
      Version: trimmed(version),
      Architecture: arch,
      Publisher: trimmed(maintainer),
      Summary: trimmed(summary),
      ApplicationType: 'dpkg',
      PackageId: trimmed(`${name}_${version}_${architecture ?? ''}.deb`),
      ...(homepage ? { URL: trimmed(homepage) } : {}),
      ...(installed === undefined ? {} : { InstalledTime: installed }),
    });
  }
  return sortEntries(entries);
}

/** The rpm query format: one tab-separated line per package. */
export const RPM_FORMAT =
  '%{NAME}\\t%{VERSION}\\t%{RELEASE}\\t%{EPOCH}\\t%{ARCH}\\t%{VENDOR}\\t%{SUMMARY}\\t%{INSTALLTIME}\\t%{URL}\\n';

/** Parses `rpm -qa --queryformat RPM_FORMAT` output into AWS:Application entries. */
export function parseRpmQuery(output: string): InventoryEntry[] {
  const entries: InventoryEntry[] = [];
  const none = (value: string | undefined): string =>
    value === undefined || value === '(none)' ? '' : value;
  for (const line of output.split('\n')) {
    if (line === '') continue;
    const [name, version, release, epoch, arch, vendor, summary, installTime, url] = line.split('\t');
    if (name === undefined || name === '' || version === undefined) continue;
    const installed = rfc3339FromEpochSeconds(installTime);
    entries.push({
      Name: trimmed(name),
      Version: trimmed(version),
      Release: trimmed(none(release)),
      Epoch: trimmed(none(epoch)),
      Architecture: normalizeArchitecture(none(arch)),
      Publisher: trimmed(none(vendor)),
      Summary: trimmed(none(summary)),
      ApplicationType: 'rpm',
      PackageId: trimmed(`${name}-${version}-${none(release)}.${none(arch)}.rpm`),
      ...(none(url) ? { URL: trimmed(none(url)) } : {}),
      ...(installed === undefined ? {} : { InstalledTime: installed }),
    });
  }
  return sortEntries(entries);
}

function sortEntries(entries: InventoryEntry[]): InventoryEntry[] {
  const key = (entry: InventoryEntry) =>
    `${entry['Name']}\u0000${entry['Publisher']}\u0000${entry['Version']}`;
  return entries.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Installed packages of the system at `root` (`/` outside tests): dpkg-query when it has a dpkg database,
 * else rpm. Undefined when there is neither, or when the package manager failed: the failure goes to `warn`
 * and AWS:Application is left out of this report (the hub keeps the last good list) rather than sent empty.
 */
export async function collectApplications(
  options: { root?: string; warn?: (message: string) => void } = {},
): Promise<InventoryEntry[] | undefined> {
  const root = path.resolve(options.root ?? '/');
  const warn = options.warn ?? (() => undefined);
  const isDpkg = await access(path.join(root, 'var/lib/dpkg/status')).then(
    () => true,
    () => false,
  );
  if (isDpkg) {
    const admindir = root === '/' ? [] : [`--admindir=${path.join(root, 'var/lib/dpkg')}`];
    try {
      return parseDpkgQuery(await run('dpkg-query', [...admindir, '-W', `-f=${DPKG_FORMAT}`]));
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') {
        warn('a dpkg database but no dpkg-query: AWS:Application is not reported');
        return undefined;
      }
      // An old dpkg without db-fsys:Last-Modified: ask again without InstalledTime.
      try {
        return parseDpkgQuery(
          await run('dpkg-query', [
            ...admindir,
            '-W',
            `-f=${DPKG_FORMAT.replace('\\t${db-fsys:Last-Modified}', '')}`,
          ]),
        );
      } catch {
        warn(`dpkg-query failed, AWS:Application is not reported this time: ${messageOf(error)}`);
        return undefined;
      }
    }
  }
  try {
    const rootArgs = root === '/' ? [] : ['--root', root];
    return parseRpmQuery(await run('rpm', [...rootArgs, '-qa', '--queryformat', RPM_FORMAT]));
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT')
      warn(`rpm -qa failed, AWS:Application is not reported this time: ${messageOf(error)}`);
    return undefined; // ENOENT: neither dpkg nor rpm, no package inventory
  }
}

function prefixLengthToMask(cidr: string | null, family: string): string {
  if (cidr === null || family !== 'IPv4') return '';
  const bits = Number(cidr.split('/')[1] ?? '0');
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (mask >>> shift) & 0xff).join('.');
}

/** AWS:Network entries: one per non-loopback interface, addresses comma-joined. */
export function networkEntries(
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces(),
): InventoryEntry[] {
  const entries: InventoryEntry[] = [];
  for (const [name, addresses] of Object.entries(interfaces)) {
    if (addresses === undefined || addresses.every((address) => address.internal)) continue;
    const ipv4 = addresses.filter((address) => address.family === 'IPv4');
    const ipv6 = addresses.filter((address) => address.family === 'IPv6');
    const firstV4 = ipv4[0];
    entries.push({
      Name: name,
      MacAddress: addresses[0]?.mac ?? '',
      IPV4: ipv4.map((address) => address.address).join(','),
      IPV6: ipv6.map((address) => address.address).join(','),
      SubnetMask: firstV4 === undefined ? '' : prefixLengthToMask(firstV4.cidr, firstV4.family),
    });
  }
  return entries.sort((a, b) => ((a['Name'] ?? '') < (b['Name'] ?? '') ? -1 : 1));
}

/**
 * Custom inventory, as the SSM agent reads it: each `*.json` file holds `{SchemaVersion, TypeName:
 * "Custom:…", Content}` where Content is one object or a list of objects of string values.
 */
export async function collectCustomInventory(
  directory: string,
  warn: (message: string) => void = () => undefined,
): Promise<{ typeName: string; schemaVersion: string; content: InventoryEntry[] }[]> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const items: { typeName: string; schemaVersion: string; content: InventoryEntry[] }[] = [];
  for (const name of names) {
    try {
      const parsed = JSON.parse(await readFile(path.join(directory, name), 'utf8')) as Record<
        string,
        unknown
      >;
      const typeName = parsed['TypeName'];
      const schemaVersion = parsed['SchemaVersion'] ?? '1.0';
      const raw = parsed['Content'];
      if (
        typeof typeName !== 'string' ||
        !typeName.startsWith('Custom:') ||
        typeof schemaVersion !== 'string'
      ) {
        warn(`custom inventory ${name}: TypeName must be Custom:<Name> and SchemaVersion a string`);
        continue;
      }
      const rows = (Array.isArray(raw) ? raw : [raw]).filter(
        (row): row is Record<string, unknown> => typeof row === 'object' && row !== null,
      );
      items.push({
        typeName,
        schemaVersion,
        content: rows.map((row) =>
          Object.fromEntries(Object.entries(row).map(([key, value]) => [key, String(value)])),
        ),
      });
    } catch (error) {
      warn(`custom inventory ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return items;
}

/** Everything the agent reports as inventory now, with content hashes. */
export async function collectInventory(options: {
  customDirectory?: string;
  now?: Date;
  warn?: (message: string) => void;
  /** The system whose packages are listed (`/` unless a test points at a chroot or scratch root). */
  root?: string;
}): Promise<InventoryItem[]> {
  const time = captureTime(options.now ?? new Date());
  const item = (typeName: string, schemaVersion: string, content: InventoryEntry[]): InventoryItem => ({
    TypeName: typeName,
    SchemaVersion: schemaVersion,
    CaptureTime: time,
    ContentHash: contentHash(content),
    Content: content,
  });
  const items: InventoryItem[] = [];
  const applications = await collectApplications({
    ...(options.root === undefined ? {} : { root: options.root }),
    ...(options.warn === undefined ? {} : { warn: options.warn }),
  });
  if (applications !== undefined) items.push(item('AWS:Application', '1.1', applications));
  items.push(item('AWS:Network', '1.0', networkEntries()));
  if (options.customDirectory !== undefined) {
    for (const custom of await collectCustomInventory(options.customDirectory, options.warn)) {
      items.push(item(custom.typeName, custom.schemaVersion, custom.content));
    }
  }
  return items;
}
