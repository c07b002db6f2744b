/**
 * The demo's Prometheus part (a few seconds): a real Prometheus with 3 days of backfilled history for two
 * services — checkout burning its error budget, search quiet — and a PromQL SLO in the sandbox's monitoring.toml,
 * so `health` shows `prometheus/*` resources beside the AWS ones. Skipped, with a note, when Prometheus is not installed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Io } from '../io.js';
import { countersOpenMetrics, serviceCounters } from './prometheus-history.js';
import { startPromStack, type PromStack } from './prometheus.js';

export const DEMO_SLO = `[[slos.prometheus]]
name = "availability"
error_ratio = 'sum by (service) (rate(http_requests_total{code="500"}[{{window}}])) / sum by (service) (rate(http_requests_total[{{window}}]))'
objective = 99.9
project = "storefront"
`;

export async function startDemoPrometheus(dir: string, io: Io, now: number): Promise<PromStack | undefined> {
  try {
    const end = Math.floor(now / 60_000) * 60;
    const stack = await startPromStack({
      openmetrics: countersOpenMetrics(
        serviceCounters([
          { service: 'checkout', rps: 12, errorRatio: (age) => (age < 5400 ? 0.08 : 0.0004) },
          { service: 'search', rps: 30, errorRatio: () => 0.0002 },
        ]),
        { endSec: end },
      ),
      interval: '15s',
    });
    const toml = join(dir, '.fractary', 'plugins', 'helm-cloud');
    mkdirSync(toml, { recursive: true });
    writeFileSync(join(toml, 'monitoring.toml'), `# Written by helm-cloud demo: a PromQL SLO on the sandbox Prometheus.\n[prometheus]\nurl = "${stack.promUrl}"\n\n${DEMO_SLO}`);
    return stack;
  } catch (e) {
    io.err(`(Prometheus part skipped: ${(e as Error).message.split('\n')[0]})`);
    return undefined;
  }
}
