/**
 * Test support for the rpm/dnf path with the real tools (Debian's rpm, rpmbuild, createrepo_c, modifyrepo_c,
 * dnf): small noarch rpms built with rpmbuild, a repository with an updateinfo.xml, and a scratch rpm root
 * (`rpm --root`, `dnf --installroot`) in a temporary directory, never the host's own package database.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The tools the rpm path needs, and which of them this host lacks. */
export function missingRpmTools(): string[] {
  const tools = ['rpm', 'rpmbuild', 'createrepo_c', 'modifyrepo_c', 'dnf'];
  return tools.filter(
    (tool) => !['/usr/bin', '/bin', '/usr/local/bin'].some((dir) => existsSync(path.join(dir, tool))),
  );
}

/** One package to build: `name-version-1.noarch`, holding one file. */
export interface RpmSpec {
  name: string;
  version: string;
}

/** One updateinfo `<update>`. */
export interface Advisory {
  id: string;
  type: 'security' | 'bugfix' | 'enhancement';
  severity: string;
  title: string;
  issued: string;
  cves: string[];
  packages: RpmSpec[];
}

/** Builds the packages with rpmbuild into `<work>/rpms`; returns the path of each `name-version`. */
export async function buildRpms(work: string, specs: readonly RpmSpec[]): Promise<Map<string, string>> {
  const top = path.join(work, 'rpmbuild');
  for (const dir of ['SPECS', 'BUILD', 'RPMS', 'SOURCES', 'SRPMS', 'BUILDROOT'])
    await mkdir(path.join(top, dir), { recursive: true });
  const built = new Map<string, string>();
  for (const spec of specs) {
    const file = path.join(top, 'SPECS', `${spec.name}-${spec.version}.spec`);
    await writeFile(
      file,
      [
        `Name: ${spec.name}`,
        `Version: ${spec.version}`,
        'Release: 1',
        `Summary: Bulwark test package ${spec.name}`,
        'License: MIT',
        'URL: https://example.com/bulwark-test',
        'Vendor: Bulwark tests',
        'BuildArch: noarch',
        'AutoReqProv: no',
        '%description',
        'A package for the agent rpm tests.',
        '%install',
        `mkdir -p %{buildroot}/usr/share/${spec.name}`,
        `echo ${spec.version} > %{buildroot}/usr/share/${spec.name}/version`,
        '%files',
        `/usr/share/${spec.name}/version`,
        '',
      ].join('\n'),
    );
    await run('rpmbuild', ['--define', `_topdir ${top}`, '--define', '_build_id_links none', '-bb', file]);
    built.set(
      `${spec.name}-${spec.version}`,
      path.join(top, 'RPMS', 'noarch', `${spec.name}-${spec.version}-1.noarch.rpm`),
    );
  }
  return built;
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The updateinfo.xml of the advisories. */
export function updateInfoXml(advisories: readonly Advisory[]): string {
  const updates = advisories.map(
    (advisory) => `  <update from="bulwark-tests" status="final" type="${advisory.type}" version="1">
    <id>${escapeXml(advisory.id)}</id>
    <title>${escapeXml(advisory.title)}</title>
    <severity>${escapeXml(advisory.severity)}</severity>
    <issued date="${advisory.issued}"/>
    <references>
${advisory.cves.map((cve) => `      <reference href="https://example.com/${cve}" id="${cve}" type="cve" title="${cve}"/>`).join('\n')}
    </references>
    <description>${escapeXml(advisory.title)}</description>
    <pkglist>
      <collection short="tests">
        <name>tests</name>
${advisory.packages
  .map(
    (pkg) =>
      `        <package name="${pkg.name}" version="${pkg.version}" release="1" epoch="0" arch="noarch"><filename>${pkg.name}-${pkg.version}-1.noarch.rpm</filename></package>`,
  )
  .join('\n')}
      </collection>
    </pkglist>
  </update>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<updates>\n${updates.join('\n')}\n</updates>\n`;
}

/** A repository at `dir` with the rpms, their metadata (createrepo_c) and the updateinfo (modifyrepo_c). */
export async function createRepository(
  dir: string,
  rpms: readonly string[],
  advisories: readonly Advisory[],
): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const rpm of rpms) await run('cp', [rpm, dir]);
  await run('createrepo_c', ['-q', dir]);
  const updateinfo = path.join(path.dirname(dir), `${path.basename(dir)}-updateinfo.xml`);
  await writeFile(updateinfo, updateInfoXml(advisories));
  await run('modifyrepo_c', ['--mdtype=updateinfo', updateinfo, path.join(dir, 'repodata')]);
}

/**
 * A scratch rpm root: an rpm database with `installed` (rpm -i --nodeps: these packages need nothing), a
 * RHEL 9 os-release, and dnf configuration naming one repository at `baseurl`.
 */
export async function createRpmRoot(
  root: string,
  installed: readonly string[],
  baseurl: string,
): Promise<void> {
  await mkdir(path.join(root, 'etc/yum.repos.d'), { recursive: true });
  await mkdir(path.join(root, 'etc/dnf'), { recursive: true });
  await writeFile(
    path.join(root, 'etc/os-release'),
    'NAME="Red Hat Enterprise Linux"\nVERSION_ID="9.3"\nID="rhel"\n',
  );
  await writeFile(path.join(root, 'etc/dnf/dnf.conf'), '[main]\ngpgcheck=0\n');
  await setRepositoryUrl(root, baseurl);
  await run('rpm', ['--root', root, '--initdb']);
  await run('rpm', ['--root', root, '-i', '--nodeps', ...installed]);
}

/** Points the root's one repository at `baseurl`. */
export async function setRepositoryUrl(root: string, baseurl: string): Promise<void> {
  await writeFile(
    path.join(root, 'etc/yum.repos.d/tests.repo'),
    `[tests]\nname=Bulwark tests\nbaseurl=${baseurl}\ngpgcheck=0\nenabled=1\n`,
  );
}

/** `name-version-release` of the installed packages of the root, sorted. */
export async function installedRpms(root: string): Promise<string[]> {
  const { stdout } = await run('rpm', ['--root', root, '-qa', '--qf', '%{NAME}-%{VERSION}-%{RELEASE}\\n']);
  return stdout
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('gpg-pubkey'))
    .sort();
}
