#!/usr/bin/env node
/**
 * Loading a large registry/deployments.json: the deploy tool appends a deployment per deploy, so a long-lived
 * project's registry grows without bound. Builds a registry of `--mb` megabytes (default 50) whose newest
 * deployment holds `--resources` resources (default 20000), the rest older deployments of the same shape, then
 * times loadRegistry + liveResources (what every command does before its first AWS call) and reports memory.
 *   npm run build && node bench/registry.mjs [--mb 50] [--resources 20000] [--runs 3]
 * Prints one JSON line per run and a summary line.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry, liveResources, openWorkspace } from '../dist/config/load.js';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const mb = arg('mb', 50);
const resources = arg('resources', 20000);
const runs = arg('runs', 3);

const types = ['lambda', 'rds', 'ecs_service', 's3', 'dynamodb', 'sqs'];
const deployment = (i, n, at) => ({
  id: `dep-${i}`,
  environment: i % 3 === 0 ? 'prod' : 'test',
  project: `project-${i % 40}`,
  version: `1.${i}.0`,
  deployed_at: new Date(at).toISOString(),
  region: 'us-east-1',
  deployed_by: 'ci@example.com',
  commit: 'a'.repeat(40),
  status: 'succeeded',
  pipeline: { run: i, url: `https://ci.example.com/runs/${i}` },
  resources: Array.from({ length: n }, (_, j) => ({
    type: types[j % types.length],
    name: `svc-${i}-${j}-handler`,
    arn: `arn:aws:lambda:us-east-1:123456789012:function:svc-${i}-${j}-handler`,
    tags: { team: `team-${j % 12}`, cost_center: `cc-${j % 7}` },
  })),
});

const root = mkdtempSync(join(tmpdir(), 'helm-bench-registry-'));
try {
  const fractary = join(root, '.fractary');
  mkdirSync(join(fractary, 'registry'), { recursive: true });
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const newest = deployment(0, resources, t0 + 1e10);
  newest.environment = 'test';
  // Pretty-printed, as a tool writing a file for people to read would.
  const parts = [JSON.stringify(newest, null, 2)];
  let bytes = parts[0].length;
  for (let k = 1; bytes < mb * 1024 * 1024; k++) {
    parts.push(JSON.stringify(deployment(k, 200, t0 + k * 60_000), null, 2));
    bytes += parts[k].length + 1;
  }
  const deployments = parts;
  const path = join(fractary, 'registry', 'deployments.json');
  writeFileSync(path, `{"version": 1, "deployments": [\n${parts.join(',\n')}\n]}\n`);
  const size = statSync(path).size;
  const ws = openWorkspace(root);
  const times = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    const reg = loadRegistry(ws);
    const live = liveResources(reg, 'test', 'us-east-1');
    const ms = performance.now() - start;
    times.push(ms);
    const mem = process.memoryUsage();
    console.log(JSON.stringify({ run: r + 1, fileMB: +(size / 1048576).toFixed(1), deployments: deployments.length, liveResources: live.length, ms: Math.round(ms), rssMB: Math.round(mem.rss / 1048576), heapUsedMB: Math.round(mem.heapUsed / 1048576) }));
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ summary: true, fileMB: +(size / 1048576).toFixed(1), medianMs: Math.round(times[Math.floor(times.length / 2)]), maxRssMB: Math.round(process.memoryUsage().rss / 1048576) }));
} finally {
  rmSync(root, { recursive: true, force: true });
}
