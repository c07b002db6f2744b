import type { Command } from 'commander';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exampleConfigPath, PATHS } from '../config/load.js';
import { writeJsonAtomic } from '../store/atomic.js';
import type { RunState } from './program.js';

export function defineInit(program: Command, state: RunState): void {
  program
    .command('init')
    .description('create the .fractary skeleton and copy the example monitoring config (never overwrites)')
    .option('--root <dir>', 'project folder (default: the current folder)')
    .action(async (raw: Record<string, unknown>) => {
      const base = resolve(state.cwd, (raw.root as string | undefined) ?? '.');
      const fractary = base.endsWith('.fractary') ? base : join(base, '.fractary');
      const files: [string, () => void][] = [
        [PATHS.registry, () => writeJsonAtomic(join(fractary, PATHS.registry), { version: 1, deployments: [] })],
        [PATHS.environments, () => writeJsonAtomic(join(fractary, PATHS.environments), { environments: { test: { region: 'us-east-1', protected: false }, prod: { region: 'us-east-1', protected: true } } })],
        [PATHS.credentials, () => writeJsonAtomic(join(fractary, PATHS.credentials), { profiles: {} })],
        [PATHS.monitoring, () => {
          mkdirSync(join(fractary, PATHS.pluginDir), { recursive: true });
          copyFileSync(exampleConfigPath(), join(fractary, PATHS.monitoring));
        }],
      ];
      for (const [rel, make] of files) {
        const abs = join(fractary, rel);
        if (existsSync(abs)) state.io.err(`kept     ${abs} (exists)`);
        else {
          make();
          state.io.err(`created  ${abs}`);
        }
      }
      state.io.out(fractary);
      state.exitCode = 0;
    });
}
