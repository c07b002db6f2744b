/**
 * A validating PagerDuty mock: Prism (@stoplight/prism-cli, a devDependency) serving PagerDuty's own OpenAPI
 * description from shared/ (never copied into the repo) with `--errors`, so a request that breaks the schema is
 * answered with an error instead of a mocked success. Started on a free loopback port; stop() ends it, and a
 * process-exit hook does so if a test crashes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '../goalert/goalert.js';

const REPO = resolve(import.meta.dirname, '..', '..', '..');

/** Where PagerDuty's descriptions are: $HELM_CLOUD_PAGERDUTY_SPECS, ../shared/data/pagerduty beside the clone (CI), or two levels up (worktrees). */
export function pagerdutySpecDir(): string | undefined {
  const candidates = [process.env.HELM_CLOUD_PAGERDUTY_SPECS, join(REPO, '..', 'shared', 'data', 'pagerduty'), join(REPO, '..', '..', 'shared', 'data', 'pagerduty')].filter((c): c is string => Boolean(c));
  return candidates.find((c) => existsSync(join(c, 'rest-openapiv3.json')));
}

export interface PrismServer {
  url: string;
  stop(): Promise<void>;
}

export async function startPrism(spec: string, timeoutMs = 90_000): Promise<PrismServer> {
  const port = await freePort();
  const bin = join(REPO, 'node_modules', '.bin', 'prism');
  if (!existsSync(bin)) throw new Error(`prism is not installed at ${bin}: run npm install`);
  let log = '';
  const proc: ChildProcess = spawn(bin, ['mock', spec, '-h', '127.0.0.1', '-p', String(port), '--errors'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const kill = () => proc.exitCode === null && proc.kill('SIGKILL');
  process.once('exit', kill);
  proc.stdout!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  proc.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  const until = Date.now() + timeoutMs;
  while (!/listening on/i.test(log)) {
    if (proc.exitCode !== null) throw new Error(`prism exited (${proc.exitCode}): ${log.slice(-1500)}`);
    if (Date.now() > until) {
      kill();
      throw new Error(`prism did not start in ${timeoutMs} ms: ${log.slice(-1500)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      process.removeListener('exit', kill);
      if (proc.exitCode !== null) return;
      await new Promise<void>((r) => {
        const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
        proc.once('exit', () => (clearTimeout(t), r()));
        proc.kill('SIGTERM');
      });
    },
  };
}
