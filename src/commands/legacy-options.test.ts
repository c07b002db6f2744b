import { describe, expect, it } from 'vitest';
import { bufferIo } from '../io.js';
import { normalizeArgv } from './dispatch.js';

/** [legacy call (after the slash command), argv it becomes, the deprecation lines for its options] */
const CASES: [string[], string[], string | string[]][] = [
  [['check-health', '--env=prod', '--service=orders-worker'], ['health', '--env=prod', '--resource', 'orders-worker'], 'deprecated: --service=orders-worker is now --resource orders-worker; see MIGRATION.md'],
  [['check-health', '--env=prod', '--timeframe=24h'], ['health', '--env=prod', '--window', '24h'], 'deprecated: --timeframe=24h is now --window 24h; see MIGRATION.md'],
  [['check-health', '--env=prod', '--since=6h'], ['health', '--env=prod', '--window', '6h'], 'deprecated: --since=6h is now --window 6h; see MIGRATION.md'],
  [['check-health', '--env=prod', '--metric=Errors'], ['health', '--env=prod'], 'deprecated: --metric=Errors has no replacement (health evaluates every SLO of the resource type) and is ignored; see MIGRATION.md'],
  [['query-logs', '--env=test', '--filter=timeout'], ['investigate', '--env=test', 'timeout'], 'deprecated: --filter=timeout is now part of the symptom text ("timeout"); see MIGRATION.md'],
  [['query-logs', 'errors', '--env=test', '--service', 'api'], ['investigate', 'errors', '--env=test', 'api'], 'deprecated: --service=api is now part of the symptom text ("api"); see MIGRATION.md'],
  [['investigate', '--env=test', '--timeframe=2h'], ['investigate', '--env=test', '--since', '2h'], 'deprecated: --timeframe=2h is now --since 2h; see MIGRATION.md'],
  [['remediate', '--env=test', '--service=api', '--action=restart'], ['remediate', '--env=test', '--target', 'api', '--action', 'restart_lambda'], ['deprecated: --service=api is now --target api; see MIGRATION.md', 'deprecated: --action=restart is now --action restart_lambda; see MIGRATION.md']],
  [['remediate', '--env=test', '--action=scale', '--target=api'], ['remediate', '--env=test', '--action', 'scale_resources', '--target=api'], 'deprecated: --action=scale is now --action scale_resources; see MIGRATION.md'],
  [['audit', '--env=test', '--focus=cost'], ['audit', '--env=test', '--type', 'cost'], 'deprecated: --focus=cost is now --type cost; see MIGRATION.md'],
];

describe('legacy ops-manage options', () => {
  it.each(CASES)('%j maps to the new options with one deprecation line per option', (legacy, expected, line) => {
    const io = bufferIo();
    expect(normalizeArgv(['/fractary-faber-cloud:ops-manage', ...legacy], io)).toEqual(expected);
    const lines = io.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^deprecated: \/fractary-faber-cloud:ops-manage \S+ is now `helm-cloud /);
    expect(lines.slice(1)).toEqual(typeof line === 'string' ? [line] : line);
  });

  it('leaves new-style options and new action ids alone', () => {
    const io = bufferIo();
    expect(normalizeArgv(['/fractary-faber-cloud:ops-manage', 'remediate', '--env=test', '--action=restart_lambda', '--target=api'], io)).toEqual(['remediate', '--env=test', '--action=restart_lambda', '--target=api']);
    expect(io.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('does not map options on the new commands', () => {
    const io = bufferIo();
    expect(normalizeArgv(['health', '--service=api'], io)).toEqual(['health', '--service=api']);
    expect(io.stderr).toBe('');
  });
});

describe('ops-manage --help', () => {
  it('lists the operations and what each became, then the CLI help', () => {
    const io = bufferIo();
    expect(normalizeArgv(['/fractary-faber-cloud:ops-manage', '--help'], io)).toEqual(['--help']);
    expect(io.stderr).toMatch(/check-health → helm-cloud health, query-logs → helm-cloud investigate/);
  });
});
