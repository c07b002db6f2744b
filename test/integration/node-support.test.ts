/**
 * Node versions: the AWS SDK's NodeVersionSupportWarning stays off the terminal of every command while other
 * warnings still print; doctor states the Node version's support instead.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';
import { environmentsFor, makeProject, moto, registryWith, runCli, Seeder } from '../support/index.js';

const major = Number(process.versions.node.split('.')[0]);

describe('Node version support', () => {
  it('health builds SDK clients without printing NodeVersionSupportWarning (the SDK switch is not set by the caller)', async () => {
    const seeder = new Seeder({ endpoint: moto() });
    await seeder.createFunction('nv-fn');
    const project = makeProject({
      'shared/environments.json': environmentsFor(moto()),
      'registry/deployments.json': registryWith([{ resources: [{ type: 'lambda', name: 'nv-fn' }] }]),
    });
    const r = await runCli(['health', '--env', 'test', '--output', 'json'], { cwd: project, env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined } });
    expect(r.json<{ resources: unknown[] }>().resources).toHaveLength(1);
    expect(r.stderr).not.toMatch(/NodeVersionSupportWarning/);
    seeder.destroy();
  });

  it('other process warnings still reach stderr', () => {
    // The CLI's entry runs, then the same process emits an unrelated warning: it must print.
    const script = `process.argv.splice(2, Infinity, '--version'); await import(${JSON.stringify(CLI)}).catch(() => {}); process.emitWarning('a real warning');`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `process.exit = () => {}; ${script}`], { encoding: 'utf8', env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined } });
    expect(r.stderr).toMatch(/a real warning/);
  });

  it('doctor reports the Node version and, below 22, the SDK requirement', async () => {
    const r = await runCli(['doctor', '--root', '/nonexistent-helm-cloud', '--output', 'json']);
    const check = r.json<{ checks: { check: string; status: string; detail: string }[] }>().checks.find((c) => c.check === 'Node.js version')!;
    expect(check.status).toBe('PASS');
    expect(check.detail).toContain(process.version);
    if (major < 22) expect(check.detail).toMatch(/require Node 22/);
  });
});
