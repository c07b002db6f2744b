#!/usr/bin/env node
/**
 * bench:correlate — alert correlation on generated incident mixes: random projects and resources, deploys
 * that break 2–5 resources of their project minutes later, shared-dependency outages (alerts across projects
 * carrying one dependency label), repeated alerts on one faulty resource, and unrelated noise alerts at random
 * times. Pairwise precision and recall of the groups against the generator's truth, per mix and overall, side
 * by side with a time-proximity baseline (alerts within 5 minutes of each other grouped). Not a test.
 *
 * CORRELATE_BENCH_MIXES (default 25) mixes; CORRELATE_BENCH_SEED (default 1) the first seed.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from './random.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { correlate, pairwiseScores } = await import(join(root, 'dist/core/alert-correlate.js'));

const MIXES = Number(process.env.CORRELATE_BENCH_MIXES ?? 25);
const SEED = Number(process.env.CORRELATE_BENCH_SEED ?? 1);
const WINDOW = 30 * 60_000;
const MIN = 60_000;


function mix(seed) {
  const r = mulberry32(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const projects = Array.from({ length: int(6, 14) }, (_, i) => ({
    name: `proj-${seed}-${i}`,
    team: pick(['payments', 'search', 'platform', 'growth']),
    resources: Array.from({ length: int(3, 8) }, (_, j) => `p${i}-res-${j}`),
  }));
  const span = 24 * 60 * MIN;
  const alerts = [];
  const truth = [];
  const deploys = [];
  let n = 0;
  const alert = (p, res, at, extra = {}) => {
    const id = `a${seed}-${n++}`;
    alerts.push({ id, name: pick(['HighErrorRate', 'HighLatency', 'Throttles', 'QueueBacklog', 'CPUHigh']), startsAt: Math.round(at), resource: res, project: p.name, labels: { severity: pick(['critical', 'warning']), team: p.team, service: res, ...extra } });
    return id;
  };
  // Deploy-caused incidents.
  for (let k = int(2, 5); k > 0; k--) {
    const p = pick(projects);
    const at = r() * span;
    const d = { id: `dep-${seed}-${deploys.length}`, project: p.name, atMs: Math.round(at), resources: p.resources };
    deploys.push(d);
    const hit = [...p.resources].sort(() => r() - 0.5).slice(0, Math.min(p.resources.length, int(2, 5)));
    truth.push(hit.map((res) => alert(p, res, at + int(1, 20) * MIN)));
  }
  // Deploys that broke nothing.
  for (let k = int(2, 6); k > 0; k--) {
    const p = pick(projects);
    deploys.push({ id: `dep-${seed}-${deploys.length}`, project: p.name, atMs: Math.round(r() * span), resources: p.resources });
  }
  // Shared-dependency outages: resources of several projects, one dependency label.
  for (let k = int(0, 2); k > 0; k--) {
    const dep = `db-${seed}-${k}`;
    const at = r() * span;
    truth.push(Array.from({ length: int(2, 4) }, () => {
      const p = pick(projects);
      return alert(p, pick(p.resources), at + int(0, 8) * MIN, { dependency: dep });
    }));
  }
  // One faulty resource firing several alerts.
  for (let k = int(0, 2); k > 0; k--) {
    const p = pick(projects);
    const res = pick(p.resources);
    const at = r() * span;
    truth.push(Array.from({ length: int(2, 3) }, () => alert(p, res, at + int(0, 15) * MIN)));
  }
  // Noise: unrelated alerts anywhere, any time.
  for (let k = int(5, 15); k > 0; k--) {
    const p = pick(projects);
    truth.push([alert(p, pick(p.resources), r() * span)]);
  }
  return { alerts, deploys, truth };
}

function timeBaseline(alerts) {
  const sorted = [...alerts].sort((a, b) => a.startsAt - b.startsAt);
  const groups = [];
  for (const a of sorted) {
    const g = groups.at(-1);
    if (g && a.startsAt - g.last <= 5 * MIN) {
      g.ids.push(a.id);
      g.last = a.startsAt;
    } else groups.push({ ids: [a.id], last: a.startsAt });
  }
  return groups.map((g) => g.ids);
}

let tp = 0, pp = 0, tt = 0, btp = 0, bpp = 0;
const lines = [];
let minP = 1, minR = 1;
const t0 = performance.now();
for (let m = 0; m < MIXES; m++) {
  const { alerts, deploys, truth } = mix(SEED + m);
  const groups = correlate(alerts, deploys, WINDOW).map((g) => g.alerts);
  const s = pairwiseScores(groups, truth);
  const b = pairwiseScores(timeBaseline(alerts), truth);
  const hit = Math.round(s.precision * s.predictedPairs);
  tp += hit; pp += s.predictedPairs; tt += s.truePairs;
  btp += Math.round(b.precision * b.predictedPairs); bpp += b.predictedPairs;
  minP = Math.min(minP, s.precision); minR = Math.min(minR, s.recall);
  lines.push(`${String(SEED + m).padStart(4)}  ${String(alerts.length).padStart(6)}  ${String(truth.filter((g) => g.length > 1).length).padStart(9)}  ${s.precision.toFixed(3)}  ${s.recall.toFixed(3)}   ${b.precision.toFixed(3)}  ${b.recall.toFixed(3)}`);
}
const ms = performance.now() - t0;
console.log(`bench:correlate — ${MIXES} generated incident mixes (deploy-caused, shared-dependency, repeated-resource incidents and noise over 24 h), window 30m`);
console.log('');
console.log('seed  alerts  incidents  helm-cloud P / R   time-5m baseline P / R');
for (const l of lines) console.log(l);
console.log('');
const P = pp ? tp / pp : 1, R = tt ? tp / tt : 1;
const BP = bpp ? btp / bpp : 1, BR = tt ? btp / tt : 1;
console.log(`overall pairwise   helm-cloud precision ${P.toFixed(3)} recall ${R.toFixed(3)} (worst mix ${minP.toFixed(3)} / ${minR.toFixed(3)})   baseline precision ${BP.toFixed(3)} recall ${BR.toFixed(3)}   target ≥ 0.9 both`);
console.log(`time: ${ms.toFixed(0)} ms for all mixes`);
