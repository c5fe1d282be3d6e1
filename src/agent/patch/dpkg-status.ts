/** What dpkg says is installed: `<root>/var/lib/dpkg/status`, and when each package was installed. */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseControlStanzas } from './control-file.js';

/** One installed Debian package. */
export interface InstalledDeb {
  name: string;
  /** dpkg arch: `amd64`, `all`, `i386`, … */
  arch: string;
  version: string;
  section: string;
  priority: string;
  /** Source package name (the binary name when the stanza has no Source field). */
  source: string;
}

/** Packages of a dpkg status text whose status is installed (`install ok installed`, `hold ok installed`). */
export function parseDpkgStatus(text: string): InstalledDeb[] {
  const stanzas = parseControlStanzas(text, [
    'Package',
    'Status',
    'Architecture',
    'Version',
    'Section',
    'Priority',
    'Source',
  ]);
  const installed: InstalledDeb[] = [];
  for (const stanza of stanzas) {
    const name = stanza['Package'];
    const version = stanza['Version'];
    const status = stanza['Status'] ?? '';
    if (name === undefined || version === undefined || !status.endsWith(' installed')) continue;
    installed.push({
      name,
      arch: stanza['Architecture'] ?? 'all',
      version,
      section: stanza['Section'] ?? '',
      priority: stanza['Priority'] ?? '',
      source: (stanza['Source'] ?? name).split(' ')[0] ?? name,
    });
  }
  return installed;
}

/** Reads `<root>/var/lib/dpkg/status`. */
export async function readDpkgStatus(root: string): Promise<InstalledDeb[]> {
  return parseDpkgStatus(await readFile(path.join(root, 'var/lib/dpkg/status'), 'latin1'));
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the time format of patch reports. */
export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * When a package was installed: the mtime of `var/lib/dpkg/info/<name>:<arch>.list` (multiarch) or
 * `<name>.list`, as `YYYY-MM-DDTHH:MM:SSZ`; empty when neither exists.
 */
export async function dpkgInstalledTime(root: string, name: string, arch: string): Promise<string> {
  const info = path.join(root, 'var/lib/dpkg/info');
  for (const file of [`${name}:${arch}.list`, `${name}.list`]) {
    try {
      return isoSeconds((await stat(path.join(info, file))).mtime);
    } catch {
      // try the next spelling
    }
  }
  return '';
}
