// The test files of a run and which of them depend on the database engine.
//
// Files are listed explicitly (node's own discovery given a directory also runs every .js file under a folder
// named `test`, e.g. the support modules, each in a process of its own). A file depends on the engine when it,
// or a module it imports (relative imports, followed transitively), reads BULWARK_TEST_DATABASE_URL: only
// those have anything to do in the PostgreSQL pass; every other file would run the same test twice.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const testFile = /\.test\.[cm]?js$/;
const relativeImport = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

function walk(dir, out) {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (testFile.test(entry)) out.push(path);
  }
  return out;
}

/** The test files under `roots`, end-to-end files first (they take longest, so none is left running alone at the end). */
export function listTestFiles(roots) {
  const files = roots.flatMap((root) => walk(root, []));
  const e2e = (file) => (/\.e2e\.test\.[cm]?js$/.test(file) ? 0 : 1);
  return files.sort((a, b) => e2e(a) - e2e(b));
}

/** The files among `files` that, or whose imports (followed transitively), read the test database URL. */
export function engineDependentFiles(files) {
  const imports = new Map();
  const reads = new Set();
  const pending = files.map((file) => resolve(file));
  while (pending.length > 0) {
    const path = pending.pop();
    if (imports.has(path)) continue;
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      // An import this scan cannot read (a package, a missing file) reads nothing of ours.
    }
    if (text.includes('BULWARK_TEST_DATABASE_URL')) reads.add(path);
    const targets = [...text.matchAll(relativeImport)].map((match) => join(dirname(path), match[1]));
    imports.set(path, targets);
    pending.push(...targets);
  }
  // Whatever imports a reader reads too: spread the mark until nothing changes.
  for (let changed = true; changed;) {
    changed = false;
    for (const [path, targets] of imports) {
      if (!reads.has(path) && targets.some((target) => reads.has(target))) {
        reads.add(path);
        changed = true;
      }
    }
  }
  return files.filter((file) => reads.has(resolve(file)));
}
