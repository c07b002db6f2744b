// Generated metric series for the anomaly detector: how often the default configuration (the one
// benchmarked on NAB) raises an alarm where nothing happened, and whether it finds what was injected.
// Imported by bench/nab.mjs (one summary line) and runnable alone for the per-family table:
//
//   node bench/anomaly-synthetic.mjs [--seeds N] [--days D] [--json]
//
// Families (5-minute points, D days, N seeds each): plain noise, heavy-tailed positive noise (CPU-like,
// log-normal), a daily cycle, a weekly business-hours cycle, a nightly batch spike, a slow ramp, random
// short bursts, missing points (hours-long gaps and dropped points on a daily cycle), flat and
// flat-with-rounding-steps; and with one injected event at a random time in the second half: a spike,
// a level shift, a drop to zero for two hours. A false alarm is an episode (scoreSeries) that starts
// after the first two days (warm-up) and outside [event, event + 1 day]; an event is found when an
// episode starts within two hours after it.
import { mulberry32 } from './random.mjs';

const STEP = 300_000;
const DAY_PTS = 288;
const T0 = Date.UTC(2024, 0, 1); // a Monday

function gauss(r) {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** name → (r, i, n) => value (NaN = missing point), plus an optional injected event. */
const base = {
  noise: (r) => 50 + 3 * gauss(r),
  'heavy-tailed': (r) => 5 * Math.exp(0.6 * gauss(r)),
  daily: (r, i) => 50 + 20 * Math.sin((2 * Math.PI * i) / DAY_PTS) + 2 * gauss(r),
  weekly: (r, i) => {
    const day = Math.floor(i / DAY_PTS) % 7;
    const hour = (i % DAY_PTS) / 12;
    return (day < 5 && hour >= 8 && hour < 18 ? 70 : 20) + 3 * gauss(r);
  },
  'nightly-batch': (r, i) => 10 + gauss(r) + (i % DAY_PTS >= 36 && i % DAY_PTS < 42 ? 60 : 0),
  ramp: (r, i, n) => 20 + (40 * i) / n + 2 * gauss(r),
  bursts: (() => {
    let until = -1;
    return (r, i) => {
      if (i === 0) until = -1;
      if (i > until && r() < 1 / 200) until = i + 3 + Math.floor(r() * 10);
      return (i <= until ? 60 + 20 * r() : 3) + 0.3 * gauss(r);
    };
  })(),
  'missing-points': (r, i) => {
    const inGap = i % (3 * DAY_PTS) > 100 && i % (3 * DAY_PTS) < 160;
    return inGap || r() < 0.05 ? NaN : 50 + 20 * Math.sin((2 * Math.PI * i) / DAY_PTS) + 2 * gauss(r);
  },
  flat: () => 42,
  'flat-rounding': (r) => (r() < 0.15 ? 0.068 : 0.066),
};
const events = {
  spike: (v, k) => (k === 0 ? v + 40 : v),
  'level-shift': (v, k) => (k >= 0 ? v + 15 : v),
  'drop-to-zero': (v, k) => (k >= 0 && k < 24 ? 0 : v),
};

export function syntheticFamilies() {
  const fams = Object.keys(base).map((name) => ({ name, base: name, event: null }));
  for (const ev of Object.keys(events)) for (const b of ['noise', 'daily', 'heavy-tailed']) fams.push({ name: `${b}+${ev}`, base: b, event: ev });
  return fams;
}

function generate(fam, seed, days) {
  const r = mulberry32(seed * 7919 + fam.name.length * 31 + fam.name.charCodeAt(0));
  const n = days * DAY_PTS;
  const eventAt = fam.event ? Math.floor(n / 2 + r() * (n / 2 - DAY_PTS)) : -1;
  const points = [];
  for (let i = 0; i < n; i++) {
    let v = base[fam.base](r, i, n);
    if (fam.event && !Number.isNaN(v)) v = events[fam.event](v, i - eventAt);
    points.push({ t: T0 + i * STEP, v });
  }
  return { points, eventMs: eventAt >= 0 ? T0 + eventAt * STEP : null };
}

/** Run scoreSeries (the callers' entry point, default options) over every family and seed. */
export function runSynthetic(scoreSeries, { seeds = 10, days = 14 } = {}) {
  const rows = [];
  for (const fam of syntheticFamilies()) {
    let falseAlarms = 0;
    let found = 0;
    let seriesDays = 0;
    for (let s = 1; s <= seeds; s++) {
      const { points, eventMs } = generate(fam, s, days);
      const { anomalies } = scoreSeries(points);
      const from = T0 + 2 * DAY_PTS * STEP;
      seriesDays += days - 2;
      let hit = false;
      for (const a of anomalies) {
        if (a.startMs < from) continue;
        if (eventMs !== null && a.startMs >= eventMs && a.startMs <= eventMs + 86_400_000) {
          if (a.startMs <= eventMs + 2 * 3_600_000) hit = true;
          continue;
        }
        falseAlarms++;
      }
      if (hit) found++;
    }
    rows.push({ family: fam.name, series: seeds, falseAlarms, falseAlarmsPerSeriesWeek: (7 * falseAlarms) / seriesDays, events: fam.event ? seeds : 0, found });
  }
  const total = (k) => rows.reduce((a, r) => a + r[k], 0);
  const seriesDays = rows.length * seeds * (days - 2);
  return {
    rows,
    series: rows.length * seeds,
    days,
    falseAlarms: total('falseAlarms'),
    falseAlarmsPerSeriesWeek: (7 * total('falseAlarms')) / seriesDays,
    events: total('events'),
    found: total('found'),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { join, dirname } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const args = process.argv.slice(2);
  const opt = (name, d) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : d);
  const here = dirname(fileURLToPath(import.meta.url));
  const { scoreSeries } = await import(join(here, '..', 'dist', 'core', 'anomaly', 'index.js'));
  const res = runSynthetic(scoreSeries, { seeds: opt('--seeds', 10), days: opt('--days', 14) });
  if (args.includes('--json')) process.stdout.write(JSON.stringify(res, null, 1) + '\n');
  else {
    console.log(`synthetic series: ${res.series} series × ${res.days} days, 5-minute points, default detector`);
    console.log('family'.padEnd(28) + 'false alarms'.padStart(14) + '  per series-week' + '   events found');
    for (const r of res.rows) console.log(r.family.padEnd(28) + String(r.falseAlarms).padStart(14) + r.falseAlarmsPerSeriesWeek.toFixed(2).padStart(17) + (r.events ? `${r.found}/${r.events}`.padStart(15) : ''));
    console.log(`total: ${res.falseAlarms} false alarms = ${res.falseAlarmsPerSeriesWeek.toFixed(2)} per series-week; injected events found ${res.found}/${res.events}`);
  }
}
