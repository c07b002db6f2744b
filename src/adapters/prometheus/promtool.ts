/** `promtool check rules`: the Prometheus project's own validator for rule files. */
import { spawnSync } from 'node:child_process';
import { HelmError } from '../../errors.js';

export interface RuleCheck {
  file: string;
  ok: boolean;
  output: string;
}

export function promtoolBinary(): string {
  return process.env.HELM_CLOUD_PROMTOOL || 'promtool';
}

export function checkRules(files: string[]): RuleCheck[] {
  return files.map((file) => {
    const r = spawnSync(promtoolBinary(), ['check', 'rules', file], { encoding: 'utf8', timeout: 60_000 });
    if (r.error) {
      throw new HelmError('config', `cannot run promtool: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`, { fix: 'install it (Debian package prometheus: bash scripts/substrates/prometheus.sh test), or set HELM_CLOUD_PROMTOOL' });
    }
    return { file, ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
  });
}
