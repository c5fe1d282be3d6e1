/**
 * Console e2e support: Debian's chromium driven by playwright-core, axe-core on a page, screenshots under
 * test-artifacts/console/, CSP violations collected from the browser console.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../support/server-harness.js';

/** Where the chromium package installs the browser (`.ci/run` installs it). */
export const chromiumPath = process.env['BULWARK_CHROMIUM'] ?? '/usr/bin/chromium';

/** Launches headless chromium; fails (never skips) when it is missing. */
export async function launchChromium(): Promise<Browser> {
  assert.ok(
    existsSync(chromiumPath),
    `the console tests need chromium at ${chromiumPath} (Debian: apt-get install chromium; .ci/run installs it)`,
  );
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
}

const artifacts = join(repoRoot, 'test-artifacts', 'console');

/** Saves a full-page screenshot as test-artifacts/console/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

let axeSource: string | undefined;

/** Runs axe-core on the page and asserts no serious or critical violation. */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  // Evaluated through the DevTools protocol, not a <script> tag, so the console's strict CSP stays in force.
  axeSource ??= readFileSync(join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: () => Promise<unknown> } }).axe;
    return axe.run();
  });
  const serious = (result as AxeResult).violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  assert.deepEqual(
    serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`),
    [],
    `axe-core on ${what}`,
  );
}

/** Collects the browser console's CSP violation reports of a page. */
export function cspViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(message.text());
  });
  return seen;
}
