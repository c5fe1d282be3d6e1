/**
 * What apt could install: the Packages indexes under `<root>/var/lib/apt/lists` with the origin of each
 * (Origin/Suite/Codename of its Release file, the site from the file name, trusted when signed), read
 * directly rather than through apt so a scan does not rebuild apt's cache.
 */
import { execFile } from 'node:child_process';
import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { parseControlStanzas } from './control-file.js';

const execFileAsync = promisify(execFile);
const gunzipAsync = promisify(gunzip);

/** Where one index comes from (python-apt's `Version.origins`). */
export interface AptOrigin {
  origin: string;
  label: string;
  /** The archive, e.g. `oldstable-security`, `jammy-updates`. */
  suite: string;
  codename: string;
  /** Host of the repository URI, e.g. `security.debian.org`. */
  site: string;
  /** Signed (InRelease, or Release + Release.gpg). */
  trusted: boolean;
}

/** One version of one package that some index offers. */
export interface AvailableDeb {
  name: string;
  arch: string;
  version: string;
  section: string;
  priority: string;
  /** Published in a trusted security archive (§7.2). */
  security: boolean;
  /** The suites (archives) carrying this version, e.g. `["oldstable", "oldstable-security"]`. */
  suites: string[];
}

/** An index file found in the lists directory. */
export interface AptIndexFile {
  file: string;
  origin: AptOrigin;
}

/** The Release fields that identify an archive (works on InRelease: the clearsigned header is skipped). */
export function parseReleaseFile(text: string): Omit<AptOrigin, 'site' | 'trusted'> {
  const field = (name: string): string => new RegExp(`^${name}: *(.*)$`, 'm').exec(text)?.[1]?.trim() ?? '';
  return {
    origin: field('Origin'),
    label: field('Label'),
    suite: field('Suite'),
    codename: field('Codename'),
  };
}

/** Whether an origin is a security archive: trusted, and a `*security*` suite or a security.debian.org site. */
export function isSecurityOrigin(origin: AptOrigin): boolean {
  if (!origin.trusted) return false;
  return (
    /security/i.test(origin.suite) ||
    /security/i.test(origin.codename) ||
    origin.site.toLowerCase().includes('security.debian.org')
  );
}

const packagesIndexPattern = /_Packages(\.(gz|xz|lz4|zst|bz2|lzma))?$/;

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** The Packages indexes of `<root>/var/lib/apt/lists`, each with the origin of the Release file it belongs to. */
export async function listAptIndexes(root: string): Promise<AptIndexFile[]> {
  const directory = path.join(root, 'var/lib/apt/lists');
  const names = await readdir(directory).catch(() => [] as string[]);
  const releases = new Map<string, Omit<AptOrigin, 'site'>>();
  for (const name of names) {
    const match = /^(.*_)(InRelease|Release)$/.exec(name);
    if (match === null || match[1] === undefined) continue;
    const prefix = match[1];
    if (releases.has(prefix) && match[2] === 'Release') continue; // InRelease wins
    const text = await readFile(path.join(directory, name), 'utf8');
    const trusted = match[2] === 'InRelease' || (await exists(path.join(directory, `${prefix}Release.gpg`)));
    releases.set(prefix, { ...parseReleaseFile(text), trusted });
  }
  const indexes: AptIndexFile[] = [];
  for (const name of names) {
    if (!packagesIndexPattern.test(name)) continue;
    let best: string | undefined;
    for (const prefix of releases.keys()) {
      if (name.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
    }
    const release = best === undefined ? undefined : releases.get(best);
    const site = decodeURIComponent(name.split('_')[0] ?? '');
    indexes.push({
      file: path.join(directory, name),
      origin: {
        origin: release?.origin ?? '',
        label: release?.label ?? '',
        suite: release?.suite ?? '',
        codename: release?.codename ?? '',
        site,
        trusted: release?.trusted ?? false,
      },
    });
  }
  return indexes.sort((a, b) => a.file.localeCompare(b.file));
}

const aptHelper = '/usr/lib/apt/apt-helper';
const decompressors: Record<string, string> = {
  xz: 'xz',
  lz4: 'lz4',
  zst: 'zstd',
  bz2: 'bzip2',
  lzma: 'xz',
};

/** An index's text, decompressed: gzip in-process; other formats through `apt-helper cat-file` (or the tool). */
export async function readIndexText(file: string): Promise<string> {
  const extension = /\.(gz|xz|lz4|zst|bz2|lzma)$/.exec(file)?.[1];
  if (extension === undefined) return readFile(file, 'latin1');
  if (extension === 'gz') return (await gunzipAsync(await readFile(file))).toString('latin1');
  const options = { encoding: 'buffer' as const, maxBuffer: 1024 * 1024 * 1024 };
  const { stdout } = (await exists(aptHelper))
    ? await execFileAsync(aptHelper, ['cat-file', file], options)
    : await execFileAsync(decompressors[extension] ?? extension, ['-dc', file], options);
  return stdout.toString('latin1');
}

/** The package versions of one Packages index. */
export function parsePackagesIndex(text: string, origin: AptOrigin): AvailableDeb[] {
  const security = isSecurityOrigin(origin);
  const stanzas = parseControlStanzas(text, ['Package', 'Version', 'Architecture', 'Section', 'Priority']);
  const versions: AvailableDeb[] = [];
  for (const stanza of stanzas) {
    const name = stanza['Package'];
    const version = stanza['Version'];
    if (name === undefined || version === undefined) continue;
    versions.push({
      name,
      arch: stanza['Architecture'] ?? 'all',
      version,
      section: stanza['Section'] ?? '',
      priority: stanza['Priority'] ?? '',
      security,
      suites: [origin.suite || origin.codename],
    });
  }
  return versions;
}

/** Every available version by `name` (all architectures), versions offered by several indexes merged. */
export type AptAvailability = Map<string, AvailableDeb[]>;

/** Reads every Packages index under `<root>` (in parallel) and merges them per package name and version. */
export async function readAptAvailability(root: string): Promise<AptAvailability> {
  const indexes = await listAptIndexes(root);
  const parsed = await Promise.all(
    indexes.map(async (index) => parsePackagesIndex(await readIndexText(index.file), index.origin)),
  );
  const byName: AptAvailability = new Map();
  for (const list of parsed) {
    for (const version of list) {
      const known = byName.get(version.name);
      if (known === undefined) {
        byName.set(version.name, [version]);
        continue;
      }
      const same = known.find((other) => other.version === version.version && other.arch === version.arch);
      if (same === undefined) known.push(version);
      else {
        same.security ||= version.security;
        for (const suite of version.suites) if (!same.suites.includes(suite)) same.suites.push(suite);
      }
    }
  }
  return byName;
}
