#!/usr/bin/env node
// LogHub-2k grouping-accuracy benchmark for src/core/pattern-miner.ts.
//
//   npm run bench:loghub -- [--data DIR] [--only Name,Name] [--explain Name|all] [--options JSON]
//
// DIR (default: ../shared/data/loghub relative to the repo) holds one subfolder per dataset with
// `<Name>_2k.log` and `<Name>_2k.log_structured_original.csv`, plus `settings.json` whose
// `datasets.<Name>.log_format` says where the message (<Content>) starts in a raw line.
// Nothing else from settings.json is used: the same miner configuration runs on every dataset
// (no per-dataset regexes or thresholds).
//
// Prints one JSON line per dataset:
//   {"dataset","lines","groups_true","groups_found","grouping_accuracy"}
// then one summary line {"summary":true,"datasets","mean_grouping_accuracy"}.
//
// Accuracy is LogHub's grouping accuracy (logparser/utils/evaluator.py, get_accuracy): a line is
// correct when the predicted group that holds it contains exactly the lines of its true group.
// True groups are the EventIds of the ORIGINAL labels (`*_structured_original.csv`).
// `--options '{"similarity":0.6}'` passes MinerOptions (the default configuration is what counts).
// `--explain Name` also prints, on stderr, every predicted group that is not exactly a true group.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatRegex } from './log-format.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { PatternMiner } = await import(join(here, '..', 'dist', 'core', 'pattern-miner.js'));

const args = process.argv.slice(2);
function flag(name) {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(name + '='));
  return eq ? eq.slice(name.length + 1) : undefined;
}
const dataDir = resolve(flag('--data') ?? join(here, '..', '..', 'shared', 'data', 'loghub'));
const only = flag('--only')?.split(',');
const explain = flag('--explain');
const minerOptions = flag('--options') ? JSON.parse(flag('--options')) : {};

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

/** logparser/utils/evaluator.py get_accuracy, on two parallel arrays of labels. */
function groupingAccuracy(truth, predicted) {
  const truthSize = new Map();
  for (const t of truth) truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  const byPred = new Map();
  predicted.forEach((p, i) => {
    let a = byPred.get(p);
    if (!a) byPred.set(p, (a = []));
    a.push(i);
  });
  let correct = 0;
  const wrong = [];
  for (const [p, idx] of byPred) {
    const t0 = truth[idx[0]];
    const pure = idx.every((i) => truth[i] === t0);
    if (pure && idx.length === truthSize.get(t0)) correct += idx.length;
    else wrong.push({ predicted: p, lines: idx });
  }
  return { accuracy: correct / truth.length, groupsFound: byPred.size, groupsTrue: truthSize.size, wrong };
}

const names = readdirSync(dataDir)
  .filter((d) => statSync(join(dataDir, d)).isDirectory() && settings.datasets?.[d])
  .filter((d) => !only || only.includes(d))
  .sort();

const results = [];
for (const name of names) {
  const dir = join(dataDir, name);
  const logFile = join(dir, `${name}_2k.log`);
  const csvFile = join(dir, `${name}_2k.log_structured_original.csv`);
  if (!existsSync(logFile) || !existsSync(csvFile)) continue;
  const re = formatRegex(settings.datasets[name].log_format);
  const rawLines = readFileSync(logFile, 'utf8').split(/\r?\n/);
  if (rawLines[rawLines.length - 1] === '') rawLines.pop();

  const rows = parseCsv(readFileSync(csvFile, 'utf8'));
  const header = rows.shift();
  const col = (n) => header.indexOf(n);
  const iLine = col('LineId');
  const iEvent = col('EventId');
  const truthByLine = new Map();
  for (const r of rows) if (r.length >= header.length) truthByLine.set(Number(r[iLine]), r[iEvent]);

  const miner = new PatternMiner(minerOptions);
  const truth = [];
  const ids = [];
  const contents = [];
  let lineId = 0;
  for (const raw of rawLines) {
    const m = re.exec(raw.trim());
    if (!m) continue; // logparser skips lines that do not match the format
    lineId++;
    const t = truthByLine.get(lineId);
    if (t === undefined) continue;
    const content = m.groups.Content;
    ids.push(miner.add(content));
    truth.push(t);
    contents.push(content);
  }
  // Final group of each line: the cluster it joined, followed through later merges.
  const predicted = ids.map((id) => miner.resolve(id));
  const acc = groupingAccuracy(truth, predicted);
  const out = {
    dataset: name,
    lines: truth.length,
    groups_true: acc.groupsTrue,
    groups_found: acc.groupsFound,
    grouping_accuracy: Number(acc.accuracy.toFixed(4)),
  };
  results.push(out);
  console.log(JSON.stringify(out));
  if (explain === name || explain === 'all') {
    const tmpl = new Map(miner.patterns().map((p) => [p.id, p.template]));
    for (const w of acc.wrong) {
      const byTruth = new Map();
      for (const i of w.lines) byTruth.set(truth[i], (byTruth.get(truth[i]) ?? 0) + 1);
      console.error(`\n#${w.predicted} [${w.lines.length}] ${tmpl.get(w.predicted)}`);
      console.error(`   truth: ${[...byTruth].map(([k, v]) => `${k}:${v}`).join(' ')}`);
      const seen = new Set();
      for (const i of w.lines) {
        if (seen.has(truth[i])) continue;
        seen.add(truth[i]);
        console.error(`   ${truth[i]}  ${contents[i].slice(0, 200)}`);
      }
    }
  }
}
const mean = results.reduce((s, r) => s + r.grouping_accuracy, 0) / Math.max(1, results.length);
console.log(JSON.stringify({ summary: true, datasets: results.length, mean_grouping_accuracy: Number(mean.toFixed(4)) }));
