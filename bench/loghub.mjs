#!/usr/bin/env node
// LogHub-2k grouping-accuracy benchmark for src/core/pattern-miner.ts.
//
//   npm run bench:loghub -- [--data DIR] [--only Name,Name] [--explain Name|all] [--options JSON]
//                           [--loo | --loo-synth] [--grid JSON]
//
// DIR (default: ../shared/data/loghub relative to the repo) holds one subfolder per dataset with
// `<Name>_2k.log` and `<Name>_2k.log_structured_original.csv`, plus `settings.json` whose
// `datasets.<Name>.log_format` says where the message (<Content>) starts in a raw line.
// Nothing else from settings.json is used: the same miner configuration runs on every dataset
// (no per-dataset regexes or thresholds).
//
// Prints one JSON line per dataset:
//   {"dataset","lines","groups_true","groups_found","grouping_accuracy","drain_published"}
// then one summary line {"summary":true,"datasets","mean_grouping_accuracy","min_grouping_accuracy",...}.
//
// --loo: leave-one-dataset-out. Every configuration of a grid of MinerOptions (default: DEFAULT_GRID
// below, or --grid '{"similarity":[0.4,0.6]}'; the miner's defaults are always a candidate) is run
// on every dataset; for each dataset the configuration with the best mean on the other 7 is chosen
// and scored on it. Prints one {"loo":true,"held_out",...} line per dataset and adds
// loo_mean_grouping_accuracy / loo_min_grouping_accuracy to the summary. That is the figure to
// report: a knob that only helps when tuned on the dataset it is scored on shows up as a gap
// between the plain and the LOO figures.
// --loo-synth: the same, with the generated stress logs of bench/synth-logs.mjs (formats none of
// the LogHub sets has) added to every fold's training side; the held-out dataset is still unseen.
//
// Accuracy is LogHub's grouping accuracy (logparser/utils/evaluator.py, get_accuracy): a line is
// correct when the predicted group that holds it contains exactly the lines of its true group.
// True groups are the EventIds of the ORIGINAL labels (`*_structured_original.csv`); grouping_accuracy_corrected
// groups by the corrected labels' template text beside it.
// `--options '{"similarity":0.6}'` passes MinerOptions (the default configuration is what counts).
// `--explain Name` also prints, on stderr, every predicted group that is not exactly a true group.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatRegex } from './log-format.mjs';
import { groupingAccuracy } from './grouping.mjs';
import { flag } from './flags.mjs';

/** Drain's published grouping accuracy per LogHub-2k dataset (logparser README; per-dataset masks and thresholds, original labels). */
const DRAIN = {
  Android: 0.911, Apache: 1.0, BGL: 0.963, Hadoop: 0.948, HDFS: 0.998, HealthApp: 0.78, HPC: 0.887, Linux: 0.69,
  Mac: 0.787, OpenSSH: 0.788, OpenStack: 0.733, Proxifier: 0.527, Spark: 0.92, Thunderbird: 0.955, Windows: 0.997,
  Zookeeper: 0.967,
};
const DEFAULT_GRID = { similarity: [0.4, 0.5, 0.6, 0.7], variableAfter: [2, 3, 4, 5, 6, 8] };

const here = dirname(fileURLToPath(import.meta.url));
const { PatternMiner } = await import(join(here, '..', 'dist', 'core', 'pattern-miner.js'));

const args = process.argv.slice(2);
const dataDir = resolve(flag('--data') ?? join(here, '..', '..', 'shared', 'data', 'loghub'));
const only = flag('--only')?.split(',');
const explain = flag('--explain');
const minerOptions = flag('--options') ? JSON.parse(flag('--options')) : {};
const looSynth = args.includes('--loo-synth');
const loo = args.includes('--loo') || looSynth;
const perturb = flag('--perturb');
// The options a --loo run may choose between (override with --grid JSON). Every numeric knob the
// miner exposes that changes grouping, over a range around its default.
const grid = flag('--grid') ? JSON.parse(flag('--grid')) : DEFAULT_GRID;

if (!existsSync(join(dataDir, 'settings.json'))) {
  console.error(`no settings.json in ${dataDir} (give the LogHub folder with --data DIR)`);
  process.exit(2);
}
const settings = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'));

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF record ends, newlines inside quotes. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let i = 0;
  let quoted = false;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' || c === '\n') {
      row.push(field); field = '';
      rows.push(row); row = [];
      if (c === '\r' && text[i + 1] === '\n') i++;
      i++; continue;
    }
    field += c; i++;
  }
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

const names = readdirSync(dataDir)
  .filter((d) => statSync(join(dataDir, d)).isDirectory() && settings.datasets?.[d])
  .filter((d) => !only || only.includes(d))
  .sort();

/** One dataset's messages and true groups, in log order. */
function load(name) {
  const dir = join(dataDir, name);
  const logFile = join(dir, `${name}_2k.log`);
  const csvFile = join(dir, `${name}_2k.log_structured_original.csv`);
  if (!existsSync(logFile) || !existsSync(csvFile)) return undefined;
  const re = formatRegex(settings.datasets[name].log_format);
  const rawLines = readFileSync(logFile, 'utf8').split(/\r?\n/);
  if (rawLines[rawLines.length - 1] === '') rawLines.pop();
  const rows = parseCsv(readFileSync(csvFile, 'utf8'));
  const header = rows.shift();
  const iLine = header.indexOf('LineId');
  const iEvent = header.indexOf('EventId');
  const truthByLine = new Map();
  for (const r of rows) if (r.length >= header.length) truthByLine.set(Number(r[iLine]), r[iEvent]);
  // The corrected labels (Khan et al., ICSE 2022), grouped by template text: shown beside the original EventIds,
  // which split some templates by a constant-looking value (Linux: one template, three EventIds by user name).
  const corrected = join(dir, `${name}_2k.log_structured.csv`);
  const templateByLine = new Map();
  if (existsSync(corrected)) {
    const crows = parseCsv(readFileSync(corrected, 'utf8'));
    const ch = crows.shift();
    const [cLine, cTemplate] = [ch.indexOf('LineId'), ch.indexOf('EventTemplate')];
    if (cLine >= 0 && cTemplate >= 0) for (const r of crows) if (r.length >= ch.length) templateByLine.set(Number(r[cLine]), r[cTemplate]);
  }
  const truth = [];
  const truthCorrected = [];
  const contents = [];
  let lineId = 0;
  for (const raw of rawLines) {
    const m = re.exec(raw.trim());
    if (!m) continue; // logparser skips lines that do not match the format
    lineId++;
    const t = truthByLine.get(lineId);
    if (t === undefined) continue;
    truth.push(t);
    truthCorrected.push(templateByLine.get(lineId));
    contents.push(wrap(m.groups.Content, lineId));
  }
  return { name, truth, contents, truthCorrected: truthCorrected.every((x) => x !== undefined) ? truthCorrected : undefined };
}

/**
 * --perturb NAME: the same messages under another header layout, labels unchanged, to see whether
 * the miner depends on the LogHub layout (a robust miner scores about the same):
 *   cloudwatch  ISO time, request id, level, message, tab-separated (Lambda's layout)
 *   json        {"time":…,"level":"info","msg":…} on one line, no spaces between fields
 *   logfmt      time=… level=info msg="…"
 *   syslog      date, time, one of three host names (plain words), app[pid]: message — lines of
 *               one event then differ in a word at a fixed place, a header field
 * Times and ids change on every line (derived from the line number).
 */
const HOSTS = ['alpha', 'bravo', 'charlie'];
function wrap(content, i) {
  if (!perturb) return content;
  const iso = new Date(Date.UTC(2024, 0, 1) + i * 7919).toISOString();
  const id = ((i * 2654435761) >>> 0).toString(16).padStart(8, '0');
  const rid = `${id}-${id.slice(0, 4)}-4${id.slice(1, 4)}-a${id.slice(5, 8)}-${id}${id.slice(0, 4)}`;
  switch (perturb) {
    case 'cloudwatch': return `${iso}\t${rid}\tINFO\t${content}`;
    case 'json': return JSON.stringify({ time: iso, level: 'info', msg: content });
    case 'logfmt': return `time=${iso} level=info msg=${JSON.stringify(content)}`;
    case 'syslog': return `${iso.slice(5, 10)} ${iso.slice(11, 19)} ${HOSTS[(i * 7) % 3]} app[${1000 + (i % 50)}]: ${content}`;
    default: throw new Error(`--perturb: unknown layout ${perturb} (cloudwatch, json, logfmt, syslog)`);
  }
}

/** Mine one dataset with one configuration; a line's group is its cluster followed through merges. */
function score(ds, options) {
  const miner = new PatternMiner(options);
  const ids = ds.contents.map((c) => miner.add(c));
  const predicted = ids.map((id) => miner.resolve(id));
  return { miner, acc: groupingAccuracy(ds.truth, predicted), corrected: ds.truthCorrected ? groupingAccuracy(ds.truthCorrected, predicted).accuracy : undefined };
}

function explainWrong(ds, miner, acc) {
  const tmpl = new Map(miner.patterns().map((p) => [p.id, p.template]));
  for (const w of acc.wrong) {
    const byTruth = new Map();
    for (const i of w.lines) byTruth.set(ds.truth[i], (byTruth.get(ds.truth[i]) ?? 0) + 1);
    console.error(`\n${ds.name} #${w.predicted} [${w.lines.length}] ${tmpl.get(w.predicted)}`);
    console.error(`   truth: ${[...byTruth].map(([k, v]) => `${k}:${v}`).join(' ')}`);
    const seen = new Set();
    for (const i of w.lines) {
      if (seen.has(ds.truth[i])) continue;
      seen.add(ds.truth[i]);
      console.error(`   ${ds.truth[i]}  ${ds.contents[i].slice(0, 200)}`);
    }
  }
}

const round = (x) => Number(x.toFixed(4));
const meanOf = (xs) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const datasets = names.map(load).filter(Boolean);

const results = [];
for (const ds of datasets) {
  const { miner, acc, corrected } = score(ds, minerOptions);
  const out = {
    dataset: ds.name,
    lines: ds.truth.length,
    groups_true: acc.groupsTrue,
    groups_found: acc.groupsFound,
    grouping_accuracy: round(acc.accuracy),
    grouping_accuracy_corrected: corrected === undefined ? null : round(corrected),
    drain_published: DRAIN[ds.name] ?? null,
  };
  results.push(out);
  console.log(JSON.stringify(out));
  if (explain === ds.name || explain === 'all') explainWrong(ds, miner, acc);
}
const accs = results.map((r) => r.grouping_accuracy);
const summary = {
  summary: true,
  datasets: results.length,
  mean_grouping_accuracy: round(meanOf(accs)),
  min_grouping_accuracy: round(Math.min(...accs)),
  drain_published_mean: round(meanOf(results.map((r) => DRAIN[r.dataset] ?? 0))),
  ...(results.every((r) => r.grouping_accuracy_corrected !== null) ? { mean_grouping_accuracy_corrected: round(meanOf(results.map((r) => r.grouping_accuracy_corrected))) } : {}),
};

if (loo) {
  // Leave-one-dataset-out: every configuration of the grid is scored on every dataset; for each
  // held-out dataset the configuration with the best mean on the OTHER datasets is chosen (ties go
  // to the earlier grid entry, the defaults first) and only then scored on the held-out one.
  const configs = gridConfigs(grid);
  const table = configs.map((cfg) => datasets.map((ds) => score(ds, { ...minerOptions, ...cfg }).acc.accuracy));
  // --loo-synth: the generated stress logs (bench/synth-logs.mjs, seed 1, 2,000 lines per
  // scenario) join every fold's training side, one item per scenario; never the scored side.
  const synthRows = configs.map(() => []);
  if (looSynth) {
    const { SCENARIOS, generate } = await import('./synth-logs.mjs');
    const sets = [...SCENARIOS, 'mixed'].map((n) => generate(n, { lines: 2000, seed: 1 }));
    configs.forEach((cfg, c) => {
      for (const g of sets) {
        synthRows[c].push(score({ truth: g.truth, contents: g.lines }, { ...minerOptions, ...cfg }).acc.accuracy);
      }
    });
  }
  const held = [];
  datasets.forEach((ds, k) => {
    let best = 0;
    let bestMean = -1;
    table.forEach((row, c) => {
      const m = meanOf([...row.filter((_, j) => j !== k), ...synthRows[c]]);
      if (m > bestMean + 1e-12) { bestMean = m; best = c; }
    });
    const r = {
      loo: true,
      held_out: ds.name,
      chosen: configs[best],
      train_mean: round(bestMean),
      grouping_accuracy: round(table[best][k]),
      default_accuracy: results[k].grouping_accuracy,
      drain_published: DRAIN[ds.name] ?? null,
    };
    held.push(r);
    console.log(JSON.stringify(r));
  });
  const la = held.map((r) => r.grouping_accuracy);
  summary.grid_size = configs.length;
  summary.loo_training = looSynth ? 'other 7 datasets + generated stress logs' : 'other 7 datasets';
  summary.loo_mean_grouping_accuracy = round(meanOf(la));
  summary.loo_min_grouping_accuracy = round(Math.min(...la));
  summary.loo_below_drain = held.filter((r) => r.drain_published !== null && r.grouping_accuracy < r.drain_published).map((r) => r.held_out);
}
console.log(JSON.stringify(summary));

/** Cartesian product of {option: [values]}, the miner's defaults ({}) first. */
function gridConfigs(g) {
  let out = [{}];
  for (const [k, vs] of Object.entries(g)) {
    const next = [];
    for (const base of out) for (const v of vs) next.push({ ...base, [k]: v });
    out = next;
  }
  return [{}, ...out.filter((c) => Object.keys(c).length > 0)];
}
