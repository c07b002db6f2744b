/**
 * The import directions of .dependency-cruiser.cjs hold for src/, and the check fails on a wrong import (it is
 * not a rule set that matches nothing). Runs in `npm test` and `npm run test:unit`.
 */
import { mkdirSync, mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

/** Violations as "rule: from → to", cruising `dirs` from `cwd` with the project's rules. */
async function violations(cwd: string, dirs: string[]): Promise<string[]> {
  const here = process.cwd();
  process.chdir(cwd);
  try {
    const options = await extractDepcruiseOptions(CONFIG);
    const out = await cruise(dirs, { ...options, validate: true }, undefined, { tsConfig: extractTSConfig(join(cwd, 'tsconfig.json')) });
    const result = out.output as ICruiseResult;
    return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
  } finally {
    process.chdir(here);
  }
}

describe('layering (import directions)', () => {
  it('src/ breaks no rule', async () => {
    expect(await violations(ROOT, ['src'])).toEqual([]);
  });

  it('fails on deliberately wrong imports, one rule each', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'helm-layers-'));
    copyFileSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    const files: Record<string, string> = {
      'src/errors.ts': 'export class HelmError extends Error {}\n',
      'src/aws/lambda.ts': "import { LambdaClient } from '@aws-sdk/client-lambda';\nexport const client = () => new LambdaClient({});\n",
      'src/core/reads-files.ts': "import { readFileSync } from 'node:fs';\nexport const f = () => readFileSync('x');\n",
      'src/core/calls-aws.ts': "import { client } from '../aws/lambda.js';\nexport const g = client;\n",
      'src/report/render.ts': "import { client } from '../aws/lambda.js';\nexport const h = client;\n",
      'src/commands/health.ts': 'export const run = 1;\n',
      'src/skills/ops-monitor/monitor.ts': "import { run } from '../../commands/health.js';\nexport const m = run;\n",
      'src/resources/lambda/index.ts': "import { LambdaClient } from '@aws-sdk/client-lambda';\nexport const r = LambdaClient;\n",
      'src/core/ok.ts': "import { HelmError } from '../errors.js';\nexport const ok = HelmError;\n",
      'src/sandbox/moto.ts': 'export const startMoto = 1;\n',
      'src/ops-manager/health.ts': "import { startMoto } from '../sandbox/moto.js';\nexport const h = startMoto;\n",
      'test/support/seed.ts': 'export const seed = 1;\n',
      'src/audit/inventory.ts': "import { seed } from '../../test/support/seed.js';\nexport const i = seed;\n",
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
    // Resolve @aws-sdk from the project's node_modules.
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    const found = await violations(dir, ['src']);
    expect(found).toEqual(
      expect.arrayContaining([
        'core-is-pure: src/core/calls-aws.ts → src/aws/lambda.ts',
        'core-no-node-builtins: src/core/reads-files.ts → fs',
        'report-config-no-aws: src/report/render.ts → src/aws/lambda.ts',
        'only-cli-imports-commands: src/skills/ops-monitor/monitor.ts → src/commands/health.ts',
        'skills-below-ops-manager: src/skills/ops-monitor/monitor.ts → src/commands/health.ts',
        'sandbox-only-for-the-demo: src/ops-manager/health.ts → src/sandbox/moto.ts',
        'product-never-imports-tests: src/audit/inventory.ts → test/support/seed.ts',
      ]),
    );
    expect(found.some((v) => v.startsWith('only-adapters-import-clients: src/resources/lambda/index.ts'))).toBe(true);
    expect(found.filter((v) => v.includes('src/core/ok.ts') || v.startsWith('only-adapters-import-clients: src/aws/'))).toEqual([]);
  });
});

describe('purity of src/core beyond imports', () => {
  it('reads no environment variable and no wall clock', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const core = join(ROOT, 'src', 'core');
    const bad: string[] = [];
    for (const f of readdirSync(core).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
      const text = readFileSync(join(core, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      if (/\bprocess\.env\b/.test(text)) bad.push(`${f}: process.env`);
      if (/\bDate\.now\(\)|new Date\(\)|performance\.now\(\)/.test(text)) bad.push(`${f}: wall clock`);
      if (/\bprocess\.(exit|stdout|stderr|argv|cwd)\b/.test(text)) bad.push(`${f}: process`);
    }
    expect(bad).toEqual([]);
  });
});
