import { existsSync, lstatSync, statSync } from 'node:fs';
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
    // Something named .fractary that is not a folder (a file, a link to nothing): walking past it would pick a
    // parent's project, or say there is none, while this one is broken.
    if (present(candidate)) {
      throw new HelmError('config', `${candidate} is not a folder`, {
        fix: 'it must be the project folder helm-cloud and faber-cloud keep their files in: move the file away and run `helm-cloud init`, or fix the link',
      });
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new HelmError('config', `no .fractary folder in ${resolve(cwd)} or any parent`, {
    fix: 'run helm-cloud from inside your project, pass --root DIR, or run `helm-cloud init` to create one',
  });
}

function present(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}
