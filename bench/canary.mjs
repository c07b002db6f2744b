#!/usr/bin/env node
/**
 * bench:canary — the canary judge (src/core/canary-judge.ts) on generated canary/baseline pairs, side by side in
 * one run with the naive rule "FAIL when a metric's mean differs by more than 10 %".
 *
 * Each pair has two metrics over 30 points a side (one point per minute): error rate (errors / requests, with
 * request counts drawn per minute around a traffic level and errors drawn binomially) and p95 latency (log-normal
 * per-minute noise around a level, with occasional slow minutes). Levels are drawn per pair over wide ranges:
 * traffic 200–5,000 requests/min, error rate 0.2–5 %, p95 40–800 ms, latency noise 5–25 %.
 * Scenarios: identical distributions (false-FAIL rate, target ≤ 5 %), canary error rate 2× (detection ≥ 90 %),
 * canary p95 +30 % (detection ≥ 90 %). Deterministic: a seeded generator; `--pairs N` (default 1,000 per
 * scenario), `--points N` (default 30), `--seed S`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from './random.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { judgeCanary } = await import(join(root, 'dist/core/canary-judge.js'));

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const PAIRS = arg('pairs', 1000);
const POINTS = arg('points', 30);
const rand = mulberry32(arg('seed', 20261202));
const uniform = (a, b) => a + (b - a) * rand();
const logUniform = (a, b) => Math.exp(uniform(Math.log(a), Math.log(b)));
function gauss() {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}
function poisson(lambda) {
  if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gauss()));
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rand();
  } while (p > l);
  return k - 1;
}
const binomial = (n, p) => (n * p > 30 && n * (1 - p) > 30 ? Math.max(0, Math.min(n, Math.round(n * p + Math.sqrt(n * p * (1 - p)) * gauss()))) : poissonCapped(n, p));
function poissonCapped(n, p) {
  return Math.min(n, poisson(n * p));
}

function side({ traffic, errRate, p95, noise }) {
  const errors = [];
  const latency = [];
  let requests = 0;
  for (let i = 0; i < POINTS; i++) {
    const r = Math.max(1, poisson(traffic));
    requests += r;
    errors.push((binomial(r, errRate) / r) * 100);
    // One minute in twenty is slow (a GC pause, a cold start): the kind of point that moves a mean, not a rank test.
    const slow = rand() < 0.05 ? uniform(1.5, 3) : 1;
    latency.push(p95 * Math.exp(noise * gauss()) * slow);
  }
  return { errors, latency, requests };
}

function pair(kind) {
  const level = { traffic: logUniform(200, 5000), errRate: logUniform(0.002, 0.05), p95: logUniform(40, 800), noise: uniform(0.05, 0.25) };
  const canaryLevel = { ...level };
  if (kind === 'errors2x') canaryLevel.errRate = level.errRate * 2;
  if (kind === 'latency30') canaryLevel.p95 = level.p95 * 1.3;
  return { baseline: side(level), canary: side(canaryLevel) };
}

function judge(p) {
  return judgeCanary([
    { name: 'error_rate', canary: p.canary.errors, baseline: p.baseline.errors, critical: true, canaryEvents: p.canary.requests, baselineEvents: p.baseline.requests },
    { name: 'p95_latency', canary: p.canary.latency, baseline: p.baseline.latency },
  ]).judgement;
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
function naive(p) {
  const differs = (a, b) => {
    const mb = mean(b);
    return mb === 0 ? mean(a) !== 0 : Math.abs(mean(a) / mb - 1) > 0.1;
  };
  return differs(p.canary.errors, p.baseline.errors) || differs(p.canary.latency, p.baseline.latency) ? 'FAIL' : 'PASS';
}

const rows = [];
const t0 = performance.now();
for (const kind of ['identical', 'errors2x', 'latency30']) {
  const counts = { judge: { FAIL: 0, MARGINAL: 0, PASS: 0, INCONCLUSIVE: 0 }, naive: { FAIL: 0, PASS: 0 } };
  for (let i = 0; i < PAIRS; i++) {
    const p = pair(kind);
    counts.judge[judge(p)]++;
    counts.naive[naive(p)]++;
  }
  rows.push({ kind, ...counts });
}
const ms = performance.now() - t0;

const pct = (n) => `${((100 * n) / PAIRS).toFixed(1)}%`;
const out = [];
out.push(`bench:canary — ${PAIRS} pairs per scenario, ${POINTS} points a side, seed ${arg('seed', 20261202)}`);
out.push('');
out.push('scenario          measure              helm-cloud judge   naive (mean ±10%)   target');
for (const r of rows) {
  const measure = r.kind === 'identical' ? 'false FAIL' : 'detected (FAIL)';
  // A MARGINAL verdict on an identical pair is not a FAIL, but it is not a clean pass either: shown separately.
  const judgeVal = r.judge.FAIL;
  const target = r.kind === 'identical' ? '≤ 5%' : '≥ 90%';
  out.push(`${r.kind.padEnd(17)} ${measure.padEnd(20)} ${pct(judgeVal).padStart(16)}   ${pct(r.naive.FAIL).padStart(17)}   ${target}`);
}
out.push('');
for (const r of rows) out.push(`${r.kind}: judge ${JSON.stringify(r.judge)}  naive ${JSON.stringify(r.naive)}`);
out.push(`judged ${rows.length * PAIRS} pairs in ${(ms / 1000).toFixed(2)} s`);
console.log(out.join('\n'));
