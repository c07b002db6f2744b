#!/usr/bin/env node
// NAB benchmark of src/core/anomaly (the compiled dist/ detector), scored with NAB's own rules
// (bench/nab-scorer.mjs), printed beside the published NAB detectors on the same files.
//
//   npm run bench:nab -- [--data DIR] [--threshold T] [--nab-repo GITDIR] [--points N] [--grid JSON] [--json]
//
// DIR (default ../shared/data/nab relative to the repo) holds profiles.json, published_scores.json
// (optional) and realAWSCloudwatch/{labels.json,*.csv}. One detector configuration (the defaults)
// runs on every file. For each profile of profiles.json:
//   - raw score per file and in total at the threshold NAB's optimiser picks over all files,
//     normalised with NAB's null and perfect detectors: 100·(Σ − Σnull)/(Σperfect − Σnull);
//   - leave-one-file-out: the threshold optimised on the other files, the held-out file scored
//     with it, the held-out scores summed and normalised;
//   - with --threshold T, the files are scored at T instead (a threshold chosen elsewhere).
// Published detectors: their per-file raw scores from published_scores.json (NAB's thresholds,
// optimised over the whole 58-file corpus), normalised over the same files. When a git mirror
// of numenta/NAB is given (--nab-repo GITDIR, its .git folder or a bare clone), their
// per-timestamp results (results/<detector>/realAWSCloudwatch/*.csv) and thresholds
// (config/thresholds.json) are read from it to cross-check the scorer (our raw score per file
// must equal the published one), and the same detectors are re-scored under this bench's rules
// (threshold optimised on these files, and leave-one-out). Those CSVs are read, never copied.
// Per window (ours, and numenta's when the mirror is present): where the first detection falls
// (points after the window opens, share of the window) and its reward; every false positive.
// Leave-one-file-out over a configuration grid (--grid JSON, default the level-shift options
// around the defaults): for each held-out file the configuration and threshold best on the other
// files are chosen and it is scored with them, so the choice of defaults on these files is inside
// the loop too. Synthetic series (bench/anomaly-synthetic.mjs): false alarms per series-week of
// the default configuration at its default threshold.
// Throughput: the detector over N points (default 2,000,000: the files repeated), points/s on
// one core, and the detector's state size.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sweepFile, optimiseThreshold, scoreAt, nullAndPerfect, normalise } from './nab-scorer.mjs';
import { runSynthetic } from './anomaly-synthetic.mjs';
import { flag } from './flags.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const dataDir = resolve(flag('--data') ?? join(here, '..', '..', 'shared', 'data', 'nab'));
const fixed = flag('--threshold') !== undefined ? Number(flag('--threshold')) : undefined;
const nabRepo = flag('--nab-repo');
const nPoints = Number(flag('--points') ?? 2_000_000);
const asJson = args.includes('--json');
const CORPUS = 'realAWSCloudwatch';
const ANCHORS = ['numenta', 'contextOSE', 'numentaTM', 'ARTime', 'htmjava', 'relativeEntropy', 'windowedGaussian', 'randomCutForest'];

if (fixed !== undefined && !(fixed >= 0 && fixed <= 1)) fail(`--threshold must be a number in [0, 1], got ${flag('--threshold')}`);
if (!existsSync(join(dataDir, 'profiles.json'))) fail(`${dataDir}: no profiles.json (pass --data DIR, the folder holding profiles.json and ${CORPUS}/)`);

const { Detector, scoreSeries, DEFAULT_THRESHOLD } = await import(join(here, '..', 'dist', 'core', 'anomaly', 'index.js'));
const HOUR = 3_600_000;
const grid = JSON.parse(
  flag('--grid') ??
    JSON.stringify([HOUR, 1.5 * HOUR, 2 * HOUR, 3 * HOUR].flatMap((h) => [1, 1.5, 2, 2.5].map((k) => ({ shiftHalfLifeMs: h, shiftNoise: k })))),
);
const profiles = Object.fromEntries(
  Object.entries(JSON.parse(readFileSync(join(dataDir, 'profiles.json'), 'utf8'))).map(([k, v]) => [k, v.CostMatrix]),
);
const labels = JSON.parse(readFileSync(join(dataDir, CORPUS, 'labels.json'), 'utf8'));
const files = readdirSync(join(dataDir, CORPUS))
  .filter((f) => f.endsWith('.csv'))
  .sort()
  .map((f) => {
    const key = `${CORPUS}/${f}`;
    const rows = readFileSync(join(dataDir, CORPUS, f), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const windows = (labels[key] ?? []).map((w) => w.map(trimTs));
    return { key, timestamps: rows.map((r) => trimTs(r[0])), t: rows.map((r) => Date.parse(r[0].replace(' ', 'T') + 'Z')), v: rows.map((r) => Number(r[1])), windows };
  });
if (files.length === 0) fail(`${join(dataDir, CORPUS)}: no CSV files`);

function fail(msg) {
  process.stderr.write(`bench:nab: ${msg}\n`);
  process.exit(2);
}
function trimTs(s) {
  return s.replace(/\.0+$/, '');
}

/** Our detector's score per row (0 where it gives none: before warm-up, gaps). */
function runDetector(file, options = {}) {
  const d = new Detector(options);
  return file.v.map((v, i) => d.update(file.t[i], v)?.score ?? 0);
}

/** Score one detector's per-file scores under every profile. */
function evaluate(scoresByFile, threshold) {
  const out = {};
  for (const [profile, cost] of Object.entries(profiles)) {
    const points = files.map((f, i) => sweepFile(f.key, f.timestamps, scoresByFile[i], f.windows, cost));
    const np = points.map((p) => nullAndPerfect(p, cost));
    const nullSum = np.reduce((a, b) => a + b.null, 0);
    const perfectSum = np.reduce((a, b) => a + b.perfect, 0);
    const best = threshold === undefined ? optimiseThreshold(points, cost) : { threshold };
    const perFile = points.map((p) => scoreAt(p, cost, best.threshold));
    const raw = perFile.reduce((a, b) => a + b.score, 0);
    // Leave one file out: threshold from the other files, score on this one.
    let looSum = 0;
    const looThresholds = [];
    for (let i = 0; i < points.length; i++) {
      const t = optimiseThreshold(points.filter((_, j) => j !== i), cost).threshold;
      looThresholds.push(t);
      looSum += scoreAt(points[i], cost, t).score;
    }
    out[profile] = {
      threshold: best.threshold,
      raw,
      normalised: normalise(raw, nullSum, perfectSum),
      loo: normalise(looSum, nullSum, perfectSum),
      looThresholds,
      nullSum,
      perfectSum,
      perFile: perFile.map((s, i) => ({ file: files[i].key, ...s })),
    };
  }
  return out;
}

const results = {};
const ourScores = files.map((f) => runDetector(f));
results.ours = evaluate(ourScores, fixed);

/** Per window: first detection at threshold th (offset, share of the window, reward); false positives. */
function explain(scoresByFile, th, cost) {
  return files.map((f, i) => {
    const pts = sweepFile(f.key, f.timestamps, scoresByFile[i], f.windows, cost);
    const windows = f.windows.map(([a, b]) => {
      const lo = f.timestamps.indexOf(a);
      const hi = f.timestamps.indexOf(b);
      for (let j = lo; j <= hi; j++) {
        if (pts[j].window === 'probationary' || scoresByFile[i][j] < th) continue;
        return { start: a, at: f.timestamps[j], offset: j - lo, share: (j - lo) / (hi - lo + 1), reward: pts[j].sweep };
      }
      return { start: a, at: null };
    });
    const fps = [];
    pts.forEach((p, j) => {
      if (p.window === null && scoresByFile[i][j] >= th) fps.push({ at: f.timestamps[j], value: f.v[j], penalty: p.sweep });
    });
    return { file: f.key, windows, falsePositives: fps };
  });
}
results.explain = explain(ourScores, results.ours.standard.threshold, profiles.standard);

// Leave one file out over the configuration grid: configuration and threshold from the other files.
const gridScores = grid.map((o) => files.map((f) => runDetector(f, o)));
const gridLoo = {};
for (const [profile, cost] of Object.entries(profiles)) {
  const pts = gridScores.map((sc) => files.map((f, i) => sweepFile(f.key, f.timestamps, sc[i], f.windows, cost)));
  let sum = 0;
  const chosen = [];
  for (let i = 0; i < files.length; i++) {
    let best = null;
    pts.forEach((pg, g) => {
      const r = optimiseThreshold(pg.filter((_, j) => j !== i), cost);
      if (best === null || r.score > best.score) best = { g, threshold: r.threshold, score: r.score };
    });
    chosen.push({ options: grid[best.g], threshold: best.threshold });
    sum += scoreAt(pts[best.g][i], cost, best.threshold).score;
  }
  const r = results.ours[profile];
  gridLoo[profile] = { loo: normalise(sum, r.nullSum, r.perfectSum), chosen, inSample: pts.map((pg) => normalise(optimiseThreshold(pg, cost).score, r.nullSum, r.perfectSum)) };
}
results.gridLoo = gridLoo;
const synthetic = runSynthetic(scoreSeries);

// Published figures as NAB reported them (their thresholds, whole corpus).
const publishedPath = join(dataDir, 'published_scores.json');
const published = existsSync(publishedPath) ? JSON.parse(readFileSync(publishedPath, 'utf8')).profiles : null;
const publishedNorm = {};
if (published) {
  for (const [profile, dets] of Object.entries(published)) {
    const r = results.ours[profile];
    for (const [det, perFile] of Object.entries(dets)) {
      const sum = files.reduce((a, f) => a + (perFile[f.key]?.score ?? NaN), 0);
      (publishedNorm[det] ??= {})[profile] = normalise(sum, r.nullSum, r.perfectSum);
    }
  }
}

// Cross-check against NAB's own per-timestamp results, when the mirror is present.
const cross = { available: false, reason: '' };
function gitShow(path) {
  const r = spawnSync('git', ['--git-dir', nabRepo, 'show', `HEAD:${path}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return r.status === 0 ? r.stdout : null;
}
if (!nabRepo || !existsSync(nabRepo)) cross.reason = `${nabRepo ? `${nabRepo} absent` : 'no --nab-repo GITDIR (a git clone of numenta/NAB)'}: cross-check and re-scoring of published detectors skipped`;
else {
  const thresholds = JSON.parse(gitShow('config/thresholds.json') ?? 'null');
  if (!thresholds) cross.reason = `${nabRepo}: config/thresholds.json unreadable`;
  else {
    cross.available = true;
    cross.detectors = {};
    for (const det of ANCHORS.concat(['null'])) {
      const scores = [];
      for (const f of files) {
        const csv = gitShow(`results/${det}/${CORPUS}/${det}_${f.key.slice(CORPUS.length + 1)}`);
        if (!csv) break;
        const lines = csv.trim().split('\n');
        const col = lines[0].split(',').indexOf('anomaly_score');
        scores.push(lines.slice(1).map((l) => Number(l.split(',')[col])));
      }
      if (scores.length !== files.length) continue;
      let maxDiff = 0;
      let checked = 0;
      for (const [profile, cost] of Object.entries(profiles)) {
        const th = thresholds[det]?.[profile]?.threshold;
        const pub = published?.[profile]?.[det];
        if (th === undefined || !pub) continue;
        files.forEach((f, i) => {
          const s = scoreAt(sweepFile(f.key, f.timestamps, scores[i], f.windows, cost), cost, th);
          const p = pub[f.key];
          maxDiff = Math.max(maxDiff, Math.abs(s.score - p.score), s.tp !== p.tp || s.fp !== p.fp || s.fn !== p.fn || s.tn !== p.tn ? Infinity : 0);
          checked++;
        });
      }
      const rescored = det === 'null' ? null : evaluate(scores, fixed);
      const th = thresholds[det]?.standard?.threshold;
      const explained = det === 'numenta' && th !== undefined ? explain(scores, th, profiles.standard) : undefined;
      cross.detectors[det] = { filesProfilesChecked: checked, maxAbsDiff: maxDiff, rescored, explained };
    }
  }
}

// Throughput on one core: the files' points repeated, time shifted so timestamps keep rising.
const span = Math.max(...files.map((f) => f.t[f.t.length - 1] - f.t[0])) + 300_000;
const tp = (() => {
  const d = new Detector();
  let n = 0;
  let rep = 0;
  let sink = 0;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  while (n < nPoints) {
    for (const f of files) {
      const shift = rep * span * files.length;
      for (let i = 0; i < f.v.length && n < nPoints; i++, n++) sink += d.update(f.t[i] + shift, f.v[i])?.score ?? 0;
      rep++;
    }
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  // On a shared machine wall time includes waiting for a core; CPU time is the detector's own cost.
  return { points: n, seconds: s, cpuSeconds: cpu, pointsPerSecond: n / s, pointsPerCpuSecond: n / cpu, stateBytes: d.stateBytes(), sink: sink > -1 };
})();

if (asJson) {
  process.stdout.write(JSON.stringify({ ours: results.ours, explain: results.explain, gridLoo, published: publishedNorm, crossCheck: cross, synthetic, throughput: tp }, null, 1) + '\n');
} else {
  const profNames = Object.keys(profiles);
  const pad = (s, n) => String(s).padEnd(n);
  const num = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '—').padStart(8);
  const o = results.ours;
  console.log(`NAB ${CORPUS}: ${files.length} files, ${files.reduce((a, f) => a + f.windows.length, 0)} windows, data ${dataDir}`);
  console.log(fixed === undefined ? 'threshold: NAB optimiser over these files (per profile)' : `threshold: fixed at ${fixed} (--threshold)`);
  console.log('');
  console.log(pad('detector', 34) + profNames.map((p) => p.padStart(20)).join(''));
  console.log(pad('helm-cloud (normalised)', 34) + profNames.map((p) => num(o[p].normalised).padStart(20)).join(''));
  console.log(pad('helm-cloud leave-one-file-out', 34) + profNames.map((p) => num(o[p].loo).padStart(20)).join(''));
  console.log(pad(`  ... config grid too (${grid.length})`, 34) + profNames.map((p) => num(gridLoo[p].loo).padStart(20)).join(''));
  console.log(pad('helm-cloud raw score', 34) + profNames.map((p) => num(o[p].raw, 3).padStart(20)).join(''));
  console.log(pad('helm-cloud threshold', 34) + profNames.map((p) => num(o[p].threshold, 4).padStart(20)).join(''));
  console.log(pad('null / perfect raw', 34) + profNames.map((p) => `${o[p].nullSum} / ${o[p].perfectSum}`.padStart(20)).join(''));
  console.log('');
  console.log('published (NAB thresholds over its 58 files; published_scores.json):');
  for (const det of Object.keys(publishedNorm).sort((a, b) => (publishedNorm[b].standard ?? 0) - (publishedNorm[a].standard ?? 0))) {
    if (det === 'null') continue;
    console.log(pad('  ' + det, 34) + profNames.map((p) => num(publishedNorm[det][p]).padStart(20)).join(''));
  }
  console.log('');
  if (!cross.available) console.log(`cross-check: ${cross.reason}`);
  else {
    console.log(`cross-check (NAB results/ CSVs from ${nabRepo}, NAB thresholds): |our raw − published raw| per file, and TP/FP/FN/TN equal`);
    for (const [det, c] of Object.entries(cross.detectors)) {
      console.log(`  ${pad(det, 18)} ${c.filesProfilesChecked} file×profile  max |Δscore| ${c.maxAbsDiff === Infinity ? 'COUNTS DIFFER' : c.maxAbsDiff.toExponential(1)}`);
    }
    console.log('');
    console.log(`published detectors re-scored under this bench's rules (${fixed === undefined ? 'threshold optimised on these files' : 'threshold ' + fixed}; LOO):`);
    for (const [det, c] of Object.entries(cross.detectors)) {
      if (!c.rescored) continue;
      console.log(pad('  ' + det, 34) + profNames.map((p) => `${num(c.rescored[p].normalised)} ${num(c.rescored[p].loo)}`.padStart(20)).join(''));
    }
  }
  console.log('');
  console.log('helm-cloud per file (standard profile):');
  for (const f of o.standard.perFile) console.log(`  ${pad(f.file, 50)} score ${num(f.score, 3)}  tp ${f.tp} fp ${f.fp} fn ${f.fn}`);
  console.log(`  leave-one-out thresholds: ${o.standard.looThresholds.map((t) => t.toFixed(4)).join(' ')}`);
  console.log(`  grid leave-one-out choices: ${gridLoo.standard.chosen.map((c) => `${c.options.shiftHalfLifeMs / HOUR}h/${c.options.shiftNoise}@${c.threshold.toFixed(3)}`).join(' ')}`);
  console.log(`  grid in-sample standard: min ${Math.min(...gridLoo.standard.inSample).toFixed(1)} max ${Math.max(...gridLoo.standard.inSample).toFixed(1)} over ${grid.length} configurations`);
  const showExplain = (label, ex) => {
    console.log('');
    console.log(`${label}: first detection per window (points after it opens, share, reward) and false positives:`);
    for (const f of ex) {
      const w = f.windows.map((x) => (x.at === null ? 'MISSED' : `+${x.offset} (${Math.round(100 * x.share)}%) ${x.reward.toFixed(3)}`)).join('; ');
      console.log(`  ${pad(f.file.slice(CORPUS.length + 1), 34)} ${w || 'no window'}; FP ${f.falsePositives.length}${f.falsePositives.length ? ': ' + f.falsePositives.map((x) => x.at.slice(5, 16)).join(', ') : ''}`);
    }
  };
  showExplain(`helm-cloud (standard, threshold ${o.standard.threshold.toFixed(4)})`, results.explain);
  if (cross.available && cross.detectors.numenta?.explained) showExplain('numenta (standard, NAB threshold)', cross.detectors.numenta.explained);
  console.log('');
  console.log(`synthetic series (bench/anomaly-synthetic.mjs, threshold ${DEFAULT_THRESHOLD}): ${synthetic.series} series × ${synthetic.days} days, ${synthetic.falseAlarms} false alarms = ${synthetic.falseAlarmsPerSeriesWeek.toFixed(2)} per series-week; injected events found ${synthetic.found}/${synthetic.events}`);
  console.log('');
  console.log(`throughput: ${tp.points} points in ${tp.seconds.toFixed(3)} s wall, ${tp.cpuSeconds.toFixed(3)} s CPU = ${(tp.pointsPerSecond / 1e6).toFixed(2)} M points/s wall, ${(tp.pointsPerCpuSecond / 1e6).toFixed(2)} M points per CPU-second on one core; state ${tp.stateBytes} bytes per series (constant)`);
}
