/**
 * `helm-cloud demo` / `npm run demo`: starts moto, seeds the sandbox fleet, writes a throw-away .fractary,
 * and runs `health --env test` against it, so a newcomer sees real output in one command.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { Seeder } from './seed.js';
import type { Io } from '../io.js';
import { seedSandbox } from './fleet.js';
import { startMoto } from './moto.js';
import { startDemoPrometheus } from './demo-prometheus.js';
import type { PromStack } from './prometheus.js';

export async function runDemo(opts: { dir: string; port?: number; keep: boolean; cwd: string }, io: Io): Promise<number> {
  const dir = resolve(opts.cwd, opts.dir);
  io.err(`starting the AWS emulator (moto)…`);
  const moto = await startMoto({ port: opts.port });
  let prom: PromStack | undefined;
  // The sandbox uses fake keys and the local endpoint only.
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_REGION = 'us-east-1';
  try {
    rmSync(dir, { recursive: true, force: true });
    const seeder = new Seeder({ endpoint: moto.endpoint });
    io.err(`seeding a sandbox fleet at ${moto.endpoint}…`);
    await seedSandbox(seeder, dir, Date.now());
    seeder.destroy();
    io.err('starting Prometheus with backfilled history (PromQL SLOs)…');
    prom = await startDemoPrometheus(dir, io, Date.now());
    io.err(`sandbox project: ${dir}/.fractary\n`);
    const { run } = await import('../commands/program.js');
    io.err('$ helm-cloud health --env test');
    const code = await run(['health', '--env', 'test', '--root', dir, '--output', io.stdoutIsTTY ? 'table' : 'markdown'], io, opts.cwd);
    io.err(`\n(health exited ${code}: 0 healthy, 1 degraded/unknown, 3 unhealthy — the sandbox has deliberate faults)`);
    if (opts.keep) {
      io.err(`\nThe emulator keeps running at ${moto.endpoint} (Ctrl-C to stop). Try, in another shell:`);
      io.err(`  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing`);
      for (const c of ['health --env prod', 'investigate "errors in orders worker" --env test', 'remediate --action restart_lambda --target orders-worker --env test --dry-run', 'audit --type all --env test', 'dashboard']) {
        io.err(`  npx helm-cloud ${c} --root ${dir}`);
      }
      await new Promise<void>((r) => process.once('SIGINT', () => r()));
    }
    return 0;
  } finally {
    await prom?.stop();
    await moto.stop();
  }
}
