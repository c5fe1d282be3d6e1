#!/usr/bin/env node
// Fails when the console's built JavaScript (dist/web/assets/*.js, gzipped) is over its budget; prints the figure.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const budgetBytes = 250 * 1024;
const dir = join(process.argv[2] ?? 'dist/web', 'assets');
let files;
try {
  files = readdirSync(dir).filter((name) => name.endsWith('.js'));
} catch {
  console.error(`console budget: ${dir} is missing; run npm run build first`);
  process.exit(1);
}
if (files.length === 0) {
  console.error(`console budget: no JavaScript in ${dir}`);
  process.exit(1);
}
let raw = 0;
let gzipped = 0;
for (const name of files) {
  const bytes = readFileSync(join(dir, name));
  raw += bytes.length;
  gzipped += gzipSync(bytes, { level: 9 }).length;
}
const kb = (n) => (n / 1024).toFixed(1);
console.log(
  `console JavaScript: ${files.length} file(s), ${kb(raw)} KB, ${kb(gzipped)} KB gzipped (budget ${kb(budgetBytes)} KB)`,
);
if (gzipped > budgetBytes) {
  console.error('console budget: over budget');
  process.exit(1);
}
