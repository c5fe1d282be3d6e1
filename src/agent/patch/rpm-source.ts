/**
 * RHEL-family package data: updateinfo.xml advisories (type, severity, issued/updated date, references,
 * package NEVRAs) and the `rpm -qa` listing of what is installed, read under a root directory.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { RpmEvr } from './rpm-version.js';

const execFileAsync = promisify(execFile);
const gunzipAsync = promisify(gunzip);

/** A package NEVRA. */
export interface RpmPackage extends RpmEvr {
  name: string;
  arch: string;
}

/** One updateinfo `<update>` notice. */
export interface UpdateNotice {
  /** Advisory id, e.g. `RHSA-2024:1234`. */
  id: string;
  /** `security`, `bugfix`, `enhancement`, `newpackage` as written. */
  type: string;
  /** Capitalized type (`Security`, `Bugfix`, …): the CLASSIFICATION value. */
  classification: string;
  /** `Critical`, `Important`, `Moderate`, `Low`, or empty. */
  severity: string;
  title: string;
  /** Issued date (epoch 0 when absent or unparseable). */
  issued: Date;
  updated?: Date;
  cveIds: string[];
  bugzillaIds: string[];
  packages: RpmPackage[];
}

/** One installed rpm. */
export interface InstalledRpm extends RpmPackage {
  /** Install time, `YYYY-MM-DDTHH:MM:SSZ` (empty when unknown). */
  installedTime: string;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_match, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return entities[entity.toLowerCase()] ?? '';
  });
}

function attributesOf(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of tag.matchAll(/([\w:-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    const name = match[1];
    if (name !== undefined) attributes[name] = decodeXml(match[3] ?? match[4] ?? '');
  }
  return attributes;
}

function elementText(body: string, name: string): string {
  const match = new RegExp(`<${name}(\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(body);
  return match?.[2] === undefined ? '' : decodeXml(match[2]).trim();
}

/**
 * An updateinfo date (`YYYY-MM-DD[ HH[:MM[:SS]]][ TZ]`, or seconds since the epoch as some repos write);
 * epoch 0 when it cannot be read, which makes the notice old enough for any delay (what dnf's payload does).
 */
export function parseUpdateInfoDate(value: string | undefined): Date {
  const text = (value ?? '').trim();
  if (/^\d{9,}$/.test(text)) return new Date(Number(text) * 1000);
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2})(?::(\d{2})(?::(\d{2}))?)?)?/.exec(text);
  if (match === null) return new Date(0);
  const [, y, mo, d, h, mi, s] = match;
  const time = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h ?? 0),
    Number(mi ?? 0),
    Number(s ?? 0),
  );
  return Number.isNaN(time) ? new Date(0) : new Date(time);
}

const capitalize = (value: string): string =>
  value === '' ? '' : value.charAt(0).toUpperCase() + value.slice(1).toLowerCase();

/** The notices of one updateinfo.xml document. */
export function parseUpdateInfo(xml: string): UpdateNotice[] {
  const notices: UpdateNotice[] = [];
  for (const match of xml.matchAll(/<update(\s[^>]*)?>([\s\S]*?)<\/update>/g)) {
    const attributes = attributesOf(match[1] ?? '');
    const body = match[2] ?? '';
    const type = (attributes['type'] ?? '').trim();
    const issuedTag = /<issued\s[^>]*>/.exec(body)?.[0];
    const updatedTag = /<updated\s[^>]*>/.exec(body)?.[0];
    const cveIds: string[] = [];
    const bugzillaIds: string[] = [];
    for (const reference of body.matchAll(/<reference\s[^>]*\/?>/g)) {
      const fields = attributesOf(reference[0]);
      const id = fields['id'] ?? '';
      if (id === '') continue;
      if (fields['type'] === 'cve' && !cveIds.includes(id)) cveIds.push(id);
      if (fields['type'] === 'bugzilla' && !bugzillaIds.includes(id)) bugzillaIds.push(id);
    }
    const packages: RpmPackage[] = [];
    for (const pkg of body.matchAll(/<package\s[^>]*>/g)) {
      const fields = attributesOf(pkg[0]);
      const name = fields['name'];
      const version = fields['version'];
      if (name === undefined || version === undefined) continue;
      packages.push({
        name,
        epoch: fields['epoch'] ?? '0',
        version,
        release: fields['release'] ?? '',
        arch: fields['arch'] ?? 'noarch',
      });
    }
    const updated = updatedTag === undefined ? undefined : attributesOf(updatedTag)['date'];
    notices.push({
      id: elementText(body, 'id'),
      type,
      classification: capitalize(type),
      severity: elementText(body, 'severity').replace(/^none$/i, ''),
      title: elementText(body, 'title'),
      issued: parseUpdateInfoDate(issuedTag === undefined ? undefined : attributesOf(issuedTag)['date']),
      ...(updated === undefined || updated.trim() === '' ? {} : { updated: parseUpdateInfoDate(updated) }),
      cveIds,
      bugzillaIds,
      packages,
    });
  }
  return notices;
}

/** The `rpm -qa` query format `parseRpmQa` reads. */
export const rpmQueryFormat = '%{NAME}|%{EPOCH}|%{VERSION}|%{RELEASE}|%{ARCH}|%{INSTALLTIME}\\n';

/** Parses `rpm -qa --qf '%{NAME}|%{EPOCH}|%{VERSION}|%{RELEASE}|%{ARCH}|%{INSTALLTIME}\n'` output. */
export function parseRpmQa(text: string): InstalledRpm[] {
  const installed: InstalledRpm[] = [];
  for (const line of text.split('\n')) {
    const parts = line.trim().split('|');
    if (parts.length < 5) continue;
    const [name, epoch, version, release, arch, time] = parts;
    if (name === undefined || name === '' || name === 'gpg-pubkey' || version === undefined) continue;
    const seconds = Number(time);
    installed.push({
      name,
      epoch: epoch === undefined || epoch === '(none)' || epoch === '' ? '0' : epoch,
      version,
      release: release ?? '',
      arch: arch ?? 'noarch',
      installedTime:
        time === undefined || !Number.isFinite(seconds) || seconds <= 0
          ? ''
          : `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`,
    });
  }
  return installed;
}

/** The `repodata` directories of dnf's (or yum's) metadata cache under `root` that hold a repomd.xml. */
export async function findRepoMetadataDirectories(root: string): Promise<string[]> {
  const directories: string[] = [];
  for (const cache of ['var/cache/dnf', 'var/cache/yum']) {
    const base = path.join(root, cache);
    for (const repo of await readdir(base).catch(() => [] as string[])) {
      const repodata = path.join(base, repo, 'repodata');
      const names = await readdir(repodata).catch(() => [] as string[]);
      if (names.includes('repomd.xml')) directories.push(repodata);
    }
  }
  return directories.sort();
}

/** The updateinfo files of dnf's (or yum's) metadata cache under `root`. */
export async function findUpdateInfoFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  for (const repodata of await findRepoMetadataDirectories(root)) {
    for (const name of await readdir(repodata)) {
      if (/updateinfo\.xml(\.(gz|xz|bz2|zst))?$/.test(name)) files.push(path.join(repodata, name));
    }
  }
  return files.sort();
}

/** One updateinfo file's text (gzip in-process, xz/bzip2/zstd through their tools). */
export async function readUpdateInfoFile(file: string): Promise<string> {
  if (file.endsWith('.gz')) return (await gunzipAsync(await readFile(file))).toString('utf8');
  const tool = file.endsWith('.xz')
    ? 'xz'
    : file.endsWith('.bz2')
      ? 'bzip2'
      : file.endsWith('.zst')
        ? 'zstd'
        : '';
  if (tool === '') return readFile(file, 'utf8');
  const { stdout } = await execFileAsync(tool, ['-dc', file], { maxBuffer: 1024 * 1024 * 1024 });
  return stdout;
}

/** Installed rpms under `root` (`rpm -qa --root`). */
export async function readInstalledRpms(root: string): Promise<InstalledRpm[]> {
  const { stdout } = await execFileAsync('rpm', ['-qa', '--root', root, '--qf', rpmQueryFormat], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return parseRpmQa(stdout);
}

/** Every notice of every cached updateinfo under `root`. */
export async function readUpdateNotices(root: string): Promise<UpdateNotice[]> {
  const files = await findUpdateInfoFiles(root);
  const notices = await Promise.all(
    files.map(async (file) => parseUpdateInfo(await readUpdateInfoFile(file))),
  );
  return notices.flat();
}
