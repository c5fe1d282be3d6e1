#!/usr/bin/env node
// Checks the folder-level shape of src/ (part of `npm run lint`; madge checks file-level cycles):
// - no two folders depend on each other, directly or through others (no folder-level cycle);
// - layers point one way: kernel ← protocols ← capabilities ← http ← app ← cli. A capability imports neither
//   http/ nor app/ nor cli/; http/ never imports app/ or cli/; app/ never imports cli/.
// Test files (*.test.ts) are left out: a test may reach across layers to build what it checks.
import madge from 'madge';

const layerOf = (folder) => ({ storage: 0, kernel: 1, protocols: 2, http: 4, app: 5, cli: 6 })[folder] ?? 3; // 3: a capability

const result = await madge('src', {
  fileExtensions: ['ts'],
  tsConfig: 'tsconfig.json',
  excludeRegExp: [/\.test\.ts$/],
});
const graph = result.obj();
const folderOf = (file) => (file.includes('/') ? file.split('/')[0] : '.');

const edges = new Map();
const problems = [];
for (const [file, imports] of Object.entries(graph)) {
  const from = folderOf(file);
  for (const imported of imports) {
    if (imported.startsWith('..')) continue; // outside src/
    const to = folderOf(imported);
    if (from === to) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from).add(to);
    const [fromLayer, toLayer] = [layerOf(from), layerOf(to)];
    if (toLayer > fromLayer)
      problems.push(`${file} imports ${imported}: ${from}/ may not import ${to}/ (a higher layer)`);
  }
}

// Folder-level cycles: Tarjan's strongly connected components.
let index = 0;
const indexOf = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
function visit(folder) {
  indexOf.set(folder, index);
  low.set(folder, index);
  index += 1;
  stack.push(folder);
  onStack.add(folder);
  for (const next of edges.get(folder) ?? []) {
    if (!indexOf.has(next)) {
      visit(next);
      low.set(folder, Math.min(low.get(folder), low.get(next)));
    } else if (onStack.has(next)) {
      low.set(folder, Math.min(low.get(folder), indexOf.get(next)));
    }
  }
  if (low.get(folder) === indexOf.get(folder)) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== folder);
    if (component.length > 1) problems.push(`folder-level import cycle: ${component.sort().join(' ↔ ')}`);
  }
}
for (const folder of edges.keys()) if (!indexOf.has(folder)) visit(folder);

if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  process.exit(1);
}
console.log(`layers: ${edges.size} folders, no folder-level cycle, every import points down`);
