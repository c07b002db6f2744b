#!/usr/bin/env node
// Fails when package-lock.json would make `npm ci` refuse to install on some platform:
//  - a package's optional dependency is not recorded (npm 11 can drop other platforms' binaries, e.g. rollup's,
//    when a lock is rewritten from an installed node_modules; npm ci then reports "Missing: … from lock file");
//  - the lock's root entry disagrees with package.json (a dependency added without updating the lock).
// Repair: `npm run lock` (re-resolves the lock in an empty folder, keeping every locked version).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(process.argv[2] ?? '.');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8'));
const packages = lock.packages ?? {};
const problems = [];

/** Node's resolution: look for node_modules/<dep> in the package's folder, then each parent folder. */
function resolves(from, dep) {
  let base = from;
  for (;;) {
    if (packages[(base ? base + '/' : '') + 'node_modules/' + dep]) return true;
    if (!base) return false;
    const i = base.lastIndexOf('/node_modules/');
    base = i < 0 ? '' : base.slice(0, i);
  }
}

for (const [path, entry] of Object.entries(packages)) {
  for (const dep of Object.keys(entry.optionalDependencies ?? {})) {
    if (!resolves(path, dep)) problems.push(`${path || '(root)'} lists optional dependency ${dep}, which the lock does not record`);
  }
}
const top = packages[''] ?? {};
for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
  const want = pkg[field] ?? {};
  const have = top[field] ?? {};
  for (const name of new Set([...Object.keys(want), ...Object.keys(have)])) {
    if (want[name] !== have[name]) {
      problems.push(`${field}.${name}: package.json has ${want[name] ?? 'nothing'}, the lock has ${have[name] ?? 'nothing'}`);
    }
  }
}
if (problems.length) {
  const shown = problems.slice(0, 10);
  process.stderr.write(
    `package-lock.json would fail \`npm ci\` (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
      shown.map((p) => `  - ${p}\n`).join('') +
      (problems.length > shown.length ? `  - … and ${problems.length - shown.length} more\n` : '') +
      'Fix: npm run lock   (re-resolves the lock in an empty folder so every platform is recorded)\n',
  );
  process.exit(1);
}
