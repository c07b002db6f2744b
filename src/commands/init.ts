import type { Command } from 'commander';
import type { RunState } from './program.js';
import { describeCommand } from './summary.js';

export function defineInit(program: Command, state: RunState): void {
  program
    .command('init')
    .description(describeCommand('init'))
    .option('--root <dir>', 'project folder (default: the current folder)')
    .action(async (raw: Record<string, unknown>) => {
      const { copyFileSync, existsSync, mkdirSync } = await import('node:fs');
      const { join, resolve } = await import('node:path');
      const { exampleConfigPath, PATHS } = await import('../config/load.js');
      const { writeJsonAtomic } = await import('../store/atomic.js');
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
