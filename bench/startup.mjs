#!/usr/bin/env node
// Start-up cost of `helm-cloud --help` as a ratio to a bare `node -e 0` (target ≤ 1.5×).
// Runs both alternately so machine noise hits them alike; reports medians.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'helm-cloud.js');
const runs = Number(process.argv[2] ?? 30);

function time(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'ignore'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (let i = 0; i < 3; i++) {
  time(['-e', '0']);
  time([cli, '--help']);
}
const bare = [];
const help = [];
const version = [];
for (let i = 0; i < runs; i++) {
  bare.push(time(['-e', '0']));
  help.push(time([cli, '--help']));
  version.push(time([cli, '--version']));
}
const b = median(bare);
const h = median(help);
const v = median(version);
console.log(`node -e 0             median ${b.toFixed(1)} ms  (${runs} runs)`);
console.log(`helm-cloud --help     median ${h.toFixed(1)} ms  ratio ${(h / b).toFixed(2)}x`);
console.log(`helm-cloud --version  median ${v.toFixed(1)} ms  ratio ${(v / b).toFixed(2)}x`);
console.log(JSON.stringify({ bench: 'startup', runs, bareMs: +b.toFixed(1), helpMs: +h.toFixed(1), versionMs: +v.toFixed(1), helpRatio: +(h / b).toFixed(2), target: 1.5 }));
