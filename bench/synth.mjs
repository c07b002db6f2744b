#!/usr/bin/env node
// Grouping accuracy on generated logs with known templates (bench/synth-logs.mjs), this miner
// beside Drain3 on the same lines.
//
//   npm run bench:synth -- [--lines N] [--seeds 1,2,3] [--only proxy,kv] [--explain NAME] [--no-drain3]
//
// For every scenario and seed: N lines (default 4,000) are generated, mined by a fresh miner with
// the default configuration, and scored with LogHub's grouping accuracy (bench/grouping.mjs).
// Drain3 (bench/.venv, set up by `npm run bench:miner`; skipped with a note when missing) mines
// the same lines with its defaults and the masks of its example drain3.ini. Prints one JSON line
// per scenario (mean over seeds) and a summary. Nothing here was tuned on the LogHub sets; the
// miner was not tuned on these either beyond what bench/README.md states.
import { writeFileSync, readFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SCENARIOS, generate } from './synth-logs.mjs';
import { groupingAccuracy } from './grouping.mjs';
import { flag } from './flags.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { PatternMiner } = await import(join(here, '..', 'dist', 'core', 'pattern-miner.js'));
const args = process.argv.slice(2);
const lines = Number(flag('--lines') ?? 4000);
const seeds = (flag('--seeds') ?? '1,2,3').split(',').map(Number);
const only = flag('--only')?.split(',');
const explain = flag('--explain');
const options = flag('--options') ? JSON.parse(flag('--options')) : {};
const names = [...SCENARIOS, 'mixed'].filter((n) => !only || only.includes(n));

const sets = {};
for (const n of names) for (const s of seeds) sets[`${n}#${s}`] = generate(n, { lines, seed: s });

let drain = null;
const py = join(here, '.venv', 'bin', 'python');
if (!args.includes('--no-drain3') && existsSync(py)) {
  const tmp = mkdtempSync(join(tmpdir(), 'helm-cloud-synth-'));
  try {
    const inFile = join(tmp, 'in.json');
    const outFile = join(tmp, 'out.json');
    writeFileSync(inFile, JSON.stringify(Object.fromEntries(Object.entries(sets).map(([k, v]) => [k, v.lines]))));
    const r = spawnSync(py, [join(here, 'drain3_ids.py'), inFile, outFile], { encoding: 'utf8' });
    if (r.status === 0) drain = JSON.parse(readFileSync(outFile, 'utf8'));
    else console.error(`drain3 failed: ${r.stderr}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
} else if (!args.includes('--no-drain3')) {
  console.error('bench/.venv with drain3 not found (npm run bench:miner sets it up): Drain3 column left empty');
}

const round = (x) => Number(x.toFixed(4));
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const rows = [];
for (const n of names) {
  const ours = [];
  const theirs = [];
  let templates = 0;
  for (const s of seeds) {
    const key = `${n}#${s}`;
    const { lines: ls, truth } = sets[key];
    const miner = new PatternMiner(options);
    const ids = ls.map((l) => miner.add(l)).map((id) => miner.resolve(id));
    const acc = groupingAccuracy(truth, ids);
    templates = acc.groupsTrue;
    ours.push(acc.accuracy);
    if (drain) theirs.push(groupingAccuracy(truth, drain[key]).accuracy);
    if (explain === n || explain === 'all') {
      const tmpl = new Map(miner.patterns().map((p) => [p.id, p.template]));
      for (const w of acc.wrong) {
        const byTruth = new Map();
        for (const i of w.lines) byTruth.set(truth[i], (byTruth.get(truth[i]) ?? 0) + 1);
        console.error(`\n${key} #${w.predicted} [${w.lines.length}] ${tmpl.get(w.predicted)}`);
        console.error(`   truth: ${[...byTruth].map(([k, v]) => `${k}:${v}`).join(' ')}`);
        const seen = new Set();
        for (const i of w.lines) {
          if (seen.has(truth[i])) continue;
          seen.add(truth[i]);
          console.error(`   ${truth[i]}  ${ls[i].slice(0, 200)}`);
        }
      }
    }
  }
  const row = {
    scenario: n,
    lines,
    seeds: seeds.length,
    templates,
    grouping_accuracy: round(mean(ours)),
    min_over_seeds: round(Math.min(...ours)),
    drain3: drain ? round(mean(theirs)) : null,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
const summary = {
  summary: true,
  scenarios: rows.length,
  mean_grouping_accuracy: round(mean(rows.map((r) => r.grouping_accuracy))),
  min_grouping_accuracy: round(Math.min(...rows.map((r) => r.grouping_accuracy))),
  drain3_mean: drain ? round(mean(rows.map((r) => r.drain3))) : null,
  below_drain3: drain ? rows.filter((r) => r.grouping_accuracy < r.drain3).map((r) => r.scenario) : null,
};
console.log(JSON.stringify(summary));
