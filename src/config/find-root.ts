import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import { HelmError } from '../errors.js';

/** Finds the `.fractary` folder: `--root DIR` (DIR itself or DIR/.fractary), else walk up from cwd. */
export function findFractary(cwd: string, root?: string): string {
  if (root) {
    const abs = resolve(cwd, root);
    if (basename(abs) === '.fractary' && isDir(abs)) return abs;
    if (isDir(join(abs, '.fractary'))) return join(abs, '.fractary');
    throw new HelmError('config', `no .fractary folder at ${abs}`, {
      keyPath: '--root',
      fix: `point --root at a project folder holding .fractary/, or run \`helm-cloud init --root ${root}\``,
    });
  }
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, '.fractary');
    if (isDir(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new HelmError('config', `no .fractary folder in ${resolve(cwd)} or any parent`, {
    fix: 'run helm-cloud from inside your project, pass --root DIR, or run `helm-cloud init` to create one',
  });
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}
