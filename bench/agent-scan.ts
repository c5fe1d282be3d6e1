/**
 * Agent patch scan vs `apt-get -s dist-upgrade` on this host (DESIGN.md: scan ≤ 1.5 × apt's wall time).
 * Both run as fresh processes, interleaved: the scan child is `node dist/bench/agent-scan.js --child`, which
 * does what `bulwark agent scan --once` does before the HTTP report (read dpkg status and every apt index,
 * evaluate against the default Debian baseline). Prints medians and their ratio.
 *
 *   node dist/bench/agent-scan.js [--runs 5] [--root /]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { evaluateHostPackages, readHostPackages, rootPlatformOf } from '../src/agent/patch/index.js';
import { predefinedBaseline } from '../src/patching/index.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : (args[index + 1] ?? fallback);
};
const root = flag('root', '/');

if (args.includes('--child')) {
  const platform = await rootPlatformOf(root);
  const baseline = predefinedBaseline('us-east-1', platform?.operatingSystem ?? 'DEBIAN');
  const data = await readHostPackages(root, 'apt');
  const scan = await evaluateHostPackages(root, data, baseline, platform?.product ?? 'Debian12', new Date());
  process.stdout.write(`${scan.rows.filter((row) => row.state === 'Missing').length}\n`);
} else {
  const runs = Number(flag('runs', '5'));
  const time = (command: string, commandArgs: string[]): number => {
    const started = performance.now();
    const result = spawnSync(command, commandArgs, {
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr.toString()}`);
    return performance.now() - started;
  };
  const median = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
  };
  const self = fileURLToPath(import.meta.url);
  const apt: number[] = [];
  const scan: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    apt.push(time('apt-get', ['-s', 'dist-upgrade', '-o', 'Debug::NoLocking=1', '-o', `Dir=${root}`]));
    scan.push(time(process.execPath, [self, '--child', '--root', root]));
  }
  const ratio = median(scan) / median(apt);
  process.stdout.write(
    `apt-get -s dist-upgrade: median ${median(apt).toFixed(0)} ms (${apt.map((v) => v.toFixed(0)).join(', ')})\n` +
      `agent scan (scan part):  median ${median(scan).toFixed(0)} ms (${scan.map((v) => v.toFixed(0)).join(', ')})\n` +
      `ratio scan / apt: ${ratio.toFixed(2)} (budget 1.5)\n`,
  );
}
