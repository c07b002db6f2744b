#!/usr/bin/env node
// Throughput and memory of src/core/pattern-miner.ts, side by side with Drain3 (PyPI) in one run.
//
//   npm run bench:miner -- [--data DIR] [--lines N] [--no-drain3]
//
// Input: the messages (<Content>, cut out with each dataset's log_format) of every LogHub dataset
// under DIR (default ../shared/data/loghub relative to the repo), repeated until N lines (default
// 1,000,000). Each repetition shifts every digit (d -> (d + r) % 10), so raw lines differ between
// repetitions while their templates stay the same. Two files are written to a temp dir (never into
// the repo): N lines and N/10 lines.
//
// Each measurement runs in its own child process that streams the file line by line:
//   - helm-cloud miner: `node --expose-gc bench/miner.mjs --child FILE` (compiled dist/ miner)
//   - Drain3: bench/.venv/bin/python bench/drain3_runner.py FILE --mask (Drain3 with the masking
//     instructions of its example drain3.ini); the venv is created and `pip install drain3` run if
//     missing. If that fails the bench says so and still prints our figures.
// Our throughput is the median of 3 runs per size; Drain3 runs once per size. The summary records
// the 1-minute load average: on a shared machine, compare the two miners from the same run only.
// Reported per run: lines, seconds (read + mine loop), lines/s, CPU seconds and lines per CPU second
// (on a shared machine wall time measures the neighbours too; CPU time is what the miner used), clusters, clusters evicted over the
// cap (and the lines they held), peak RSS (maxRSS of the
// child) and, for our miner, heap used after a full GC at the end. Our miner also runs at both
// sizes with a capped V8 heap (--max-old-space-size=24 --max-semi-space-size=2): with default
// flags V8 lets garbage pile up before collecting, so peak RSS says more about V8's heap sizing
// than about what the miner keeps; under the cap, a miner whose state grew with the input would
// run out of memory, and peak RSS shows what a flat state really costs.
import { readFileSync, readdirSync, existsSync, statSync, mkdtempSync, createWriteStream, rmSync, createReadStream } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { tmpdir, loadavg, cpus } from 'node:os';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatRegex } from './log-format.mjs';
import { flag } from './flags.mjs';

const here = dirname(fileURLToPath(import.meta.url));
/** V8 limits for the "capped heap" memory runs (old space 24 MB, young semi-space 2 MB). */
const CAPPED_FLAGS = ['--max-old-space-size=24', '--max-semi-space-size=2'];
const args = process.argv.slice(2);

if (args[0] === '--child') {
  await child(args[1]);
} else {
  await main();
}

async function child(file) {
  const { PatternMiner } = await import(join(here, '..', 'dist', 'core', 'pattern-miner.js'));
  const miner = new PatternMiner();
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let n = 0;
  let rest = '';
  const base = Date.UTC(2024, 0, 1);
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });
  for await (const chunk of stream) {
    const text = rest + chunk;
    let start = 0;
    let nl;
    while ((nl = text.indexOf('\n', start)) >= 0) {
      miner.add(text.slice(start, nl), base + n * 10);
      n++;
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) {
    miner.add(rest, base + n * 10);
    n++;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cu = process.cpuUsage(c0);
  const cpuSeconds = (cu.user + cu.system) / 1e6;
  const clusters = miner.patterns().length;
  rest = '';
  globalThis.gc?.();
  const out = {
    lines: n,
    seconds: Number(seconds.toFixed(3)),
    lines_per_sec: Math.round(n / seconds),
    cpu_seconds: Number(cpuSeconds.toFixed(3)),
    lines_per_cpu_sec: Math.round(n / cpuSeconds),
    clusters,
    evicted_clusters: miner.evicted.clusters,
    evicted_lines: miner.evicted.lines,
    max_rss_kb: process.resourceUsage().maxRSS,
    heap_used_mb: Number((process.memoryUsage().heapUsed / 1048576).toFixed(1)),
  };
  console.log(JSON.stringify(out));
}

function loadMessages(dataDir) {
  const settings = JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'));
  const out = [];
  for (const name of readdirSync(dataDir).sort()) {
    const dir = join(dataDir, name);
    if (!statSync(dir).isDirectory() || !settings.datasets?.[name]) continue;
    const file = join(dir, `${name}_2k.log`);
    if (!existsSync(file)) continue;
    const re = formatRegex(settings.datasets[name].log_format);
    for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
      const m = re.exec(raw.trim());
      if (m) out.push(m.groups.Content.replace(/[\r\n]/g, ' '));
    }
  }
  return out;
}

async function writeInput(file, messages, lines) {
  const ws = createWriteStream(file);
  let buf = '';
  for (let i = 0; i < lines; i++) {
    const r = Math.floor(i / messages.length) % 10;
    const m = messages[i % messages.length];
    buf += (r === 0 ? m : m.replace(/\d/g, (d) => String((Number(d) + r) % 10))) + '\n';
    if (buf.length > 1 << 20) {
      if (!ws.write(buf)) await new Promise((res) => ws.once('drain', res));
      buf = '';
    }
  }
  ws.write(buf);
  await new Promise((res, rej) => ws.end((e) => (e ? rej(e) : res())));
}

function runJson(cmd, argv) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr || r.error}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function ensureDrain3() {
  const venv = join(here, '.venv');
  const py = join(venv, 'bin', 'python');
  const ok = () => existsSync(py) && spawnSync(py, ['-c', 'import drain3'], { encoding: 'utf8' }).status === 0;
  if (ok()) return py;
  console.error('setting up bench/.venv with drain3 (pip install drain3) ...');
  if (!existsSync(py)) {
    const v = spawnSync('python3', ['-m', 'venv', venv], { encoding: 'utf8', stdio: 'inherit' });
    if (v.status !== 0) return undefined;
  }
  spawnSync(join(venv, 'bin', 'pip'), ['install', '--quiet', 'drain3'], { encoding: 'utf8', stdio: 'inherit' });
  return ok() ? py : undefined;
}

async function main() {
  const dataDir = resolve(flag('--data') ?? join(here, '..', '..', 'shared', 'data', 'loghub'));
  const big = Number(flag('--lines') ?? 1_000_000);
  const small = Math.floor(big / 10);
  const messages = loadMessages(dataDir);
  if (messages.length === 0) {
    console.error(`no LogHub data under ${dataDir} (give it with --data DIR)`);
    process.exit(2);
  }
  const tmp = mkdtempSync(join(tmpdir(), 'helm-cloud-miner-bench-'));
  try {
    const smallFile = join(tmp, `lines-${small}.txt`);
    const bigFile = join(tmp, `lines-${big}.txt`);
    await writeInput(smallFile, messages, small);
    await writeInput(bigFile, messages, big);
    console.log(JSON.stringify({ input: { distinct_messages: messages.length, small_lines: small, big_lines: big, dir: tmp } }));

    const self = fileURLToPath(import.meta.url);
    const ours = {};
    const capped = {};
    for (const [label, file] of [['small', smallFile], ['big', bigFile]]) {
      // median of 3 runs (each a fresh process); Drain3 runs once, its ~45 s run averages itself
      const runs = [0, 1, 2].map(() => runJson(process.execPath, ['--expose-gc', self, '--child', file]));
      runs.sort((a, b) => a.lines_per_sec - b.lines_per_sec);
      ours[label] = { ...runs[1], lines_per_sec_runs: runs.map((r) => r.lines_per_sec) };
      console.log(JSON.stringify({ miner: 'helm-cloud', node_flags: 'default', ...ours[label] }));
    }
    // Same runs with a small V8 heap: would die of OOM if the miner's state grew with the input.
    for (const [label, file] of [['small', smallFile], ['big', bigFile]]) {
      capped[label] = runJson(process.execPath, ['--expose-gc', ...CAPPED_FLAGS, self, '--child', file]);
      console.log(JSON.stringify({ miner: 'helm-cloud', node_flags: CAPPED_FLAGS.join(' '), ...capped[label] }));
    }

    let d3;
    if (!args.includes('--no-drain3')) {
      const py = ensureDrain3();
      if (!py) {
        console.log(JSON.stringify({ miner: 'drain3', error: 'could not install drain3 into bench/.venv; our figures above still stand' }));
      } else {
        d3 = {};
        for (const [label, file] of [['small', smallFile], ['big', bigFile]]) {
          d3[label] = runJson(py, [join(here, 'drain3_runner.py'), file, '--mask']);
          console.log(JSON.stringify({ miner: 'drain3', ...d3[label] }));
        }
      }
    }

    const mb = (kb) => (kb / 1024).toFixed(1);
    const summary = {
      summary: true,
      load_average_1m: Number(loadavg()[0].toFixed(2)),
      cpus: cpus().length,
      lines: ours.big.lines,
      helm_lines_per_sec: ours.big.lines_per_sec,
      helm_clusters: ours.big.clusters,
      helm_evicted: { clusters: ours.big.evicted_clusters, lines: ours.big.evicted_lines },
      drain3_lines_per_sec: d3?.big.lines_per_sec ?? null,
      speedup_vs_drain3: d3 ? Number((ours.big.lines_per_sec / d3.big.lines_per_sec).toFixed(1)) : null,
      helm_lines_per_cpu_sec: ours.big.lines_per_cpu_sec,
      drain3_lines_per_cpu_sec: d3?.big.lines_per_cpu_sec ?? null,
      speedup_vs_drain3_cpu: d3 ? Number((ours.big.lines_per_cpu_sec / d3.big.lines_per_cpu_sec).toFixed(1)) : null,
      helm_peak_rss_mb: { [small]: Number(mb(ours.small.max_rss_kb)), [big]: Number(mb(ours.big.max_rss_kb)) },
      helm_peak_rss_mb_capped_heap: { [small]: Number(mb(capped.small.max_rss_kb)), [big]: Number(mb(capped.big.max_rss_kb)) },
      helm_heap_after_gc_mb: { [small]: ours.small.heap_used_mb, [big]: ours.big.heap_used_mb },
      drain3_peak_rss_mb: d3 ? { [small]: Number(mb(d3.small.max_rss_kb)), [big]: Number(mb(d3.big.max_rss_kb)) } : null,
    };
    console.log(JSON.stringify(summary));
    console.error(
      `\nhelm-cloud: ${ours.big.lines_per_sec.toLocaleString('en-US')} lines/s on ${ours.big.lines.toLocaleString('en-US')} lines` +
        (d3 ? ` | Drain3: ${d3.big.lines_per_sec.toLocaleString('en-US')} lines/s | ${summary.speedup_vs_drain3}x` : ' | Drain3: not run') +
        `\nper CPU second: helm-cloud ${ours.big.lines_per_cpu_sec.toLocaleString('en-US')}` +
        (d3 ? ` | Drain3 ${d3.big.lines_per_cpu_sec.toLocaleString('en-US')} | ${summary.speedup_vs_drain3_cpu}x` : '') +
        `\npeak RSS helm-cloud: ${mb(ours.small.max_rss_kb)} MB at ${small.toLocaleString('en-US')} lines, ${mb(ours.big.max_rss_kb)} MB at ${big.toLocaleString('en-US')} lines` +
        ` (heap after GC ${ours.small.heap_used_mb} / ${ours.big.heap_used_mb} MB)` +
        `\npeak RSS helm-cloud with ${CAPPED_FLAGS.join(' ')}: ${mb(capped.small.max_rss_kb)} MB / ${mb(capped.big.max_rss_kb)} MB` +
        ` (${capped.big.lines_per_sec.toLocaleString('en-US')} lines/s)` +
        (d3 ? `\npeak RSS Drain3:     ${mb(d3.small.max_rss_kb)} MB / ${mb(d3.big.max_rss_kb)} MB` : ''),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
