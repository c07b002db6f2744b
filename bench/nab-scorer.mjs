// NAB's scoring, reimplemented from numenta/NAB nab/sweeper.py, nab/optimizer.py and nab/scorer.py
// (commit ea702d75cc22): anomaly windows, scaled-sigmoid reward, probationary period, the
// application profiles' cost matrices, and the optimiser's rule (the threshold with the largest
// corpus score; ties go to the highest threshold, as Python's stable sort keeps the first).

/** 2·sigmoid(−5x) − 1, and −1 for points more than 3 window widths past a window (sweeper.scaledSigmoid). */
export function scaledSigmoid(x) {
  return x > 3 ? -1 : 2 / (1 + Math.exp(5 * x)) - 1;
}

/** floor(15% of the rows), at most 750 (sweeper._getProbationaryLength). */
export function probationLength(rows, percent = 0.15) {
  return Math.min(Math.floor(percent * rows), percent * 5000);
}

/**
 * One file's rows as NAB's AnomalyPoints: { score, sweep, window } where window is the window's
 * unique name, null outside windows, or 'probationary' (sweeper.calcSweepScore).
 * `timestamps` and window limits are strings compared exactly, as NAB compares datetimes.
 */
export function sweepFile(name, timestamps, scores, windows, cost, probationPercent = 0.15) {
  if (timestamps.length !== scores.length) throw new Error(`${name}: ${timestamps.length} timestamps, ${scores.length} scores`);
  const index = new Map(timestamps.map((t, i) => [t, i]));
  const pending = windows.map(([a, b]) => {
    if (!index.has(a) || !index.has(b)) throw new Error(`${name}: window ${a}..${b} does not match timestamps`);
    return [a, b];
  });
  const maxTP = scaledSigmoid(-1);
  const probation = probationLength(timestamps.length, probationPercent);
  const out = new Array(timestamps.length);
  let cur = null; // { name, right, width, end }
  let prevRight = null;
  let prevWidth = null;
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i];
    if (cur === null && pending.length > 0 && t === pending[0][0]) {
      const [a, b] = pending.shift();
      const right = index.get(b);
      cur = { name: `${name}|${a}`, right, width: right - index.get(a) + 1, end: b };
    }
    let sweep;
    if (cur !== null) {
      sweep = (scaledSigmoid(-(cur.right - i + 1) / cur.width) * cost.tpWeight) / maxTP;
    } else {
      const unweighted = prevRight === null ? -1 : scaledSigmoid(Math.abs(prevRight - i) / (prevWidth - 1));
      sweep = unweighted * cost.fpWeight;
    }
    out[i] = { score: scores[i], sweep, window: i >= probation ? (cur ? cur.name : null) : 'probationary' };
    if (cur !== null && t === cur.end) {
      prevRight = i;
      prevWidth = cur.width;
      cur = null;
    }
  }
  return out;
}

/** Scores at every distinct threshold, highest first (sweeper.calcScoreByThreshold). */
export function scoresByThreshold(points, cost) {
  const list = points.filter((p) => p.window !== 'probationary').sort((a, b) => b.score - a.score);
  const parts = new Map();
  let fpPart = 0;
  for (const p of list) if (p.window !== null) parts.set(p.window, -cost.fnWeight);
  let windowSum = -cost.fnWeight * parts.size;
  let tn = 0;
  let fn = 0;
  for (const p of list) p.window === null ? tn++ : fn++;
  let tp = 0;
  let fp = 0;
  let threshold = 1.1;
  const rows = [];
  for (const p of list) {
    if (p.score !== threshold) {
      rows.push({ threshold, score: windowSum + fpPart, tp, tn, fp, fn });
      threshold = p.score;
    }
    if (p.window !== null) {
      tp++;
      fn--;
      const old = parts.get(p.window);
      if (p.sweep > old) {
        parts.set(p.window, p.sweep);
        windowSum += p.sweep - old;
      }
    } else {
      fp++;
      tn--;
      fpPart += p.sweep;
    }
  }
  rows.push({ threshold, score: windowSum + fpPart, tp, tn, fp, fn });
  return rows;
}

/** NAB's optimiser: the row with the largest score over all files' points together. */
export function optimiseThreshold(pointLists, cost) {
  const rows = scoresByThreshold(pointLists.flat(), cost);
  let best = rows[0];
  for (const r of rows) if (r.score > best.score) best = r;
  return best;
}

/** One file's score at a fixed threshold: detections are points with score ≥ threshold (sweeper.scoreDataSet). */
export function scoreAt(points, cost, threshold) {
  const windows = new Map();
  let fpPart = 0;
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (const p of points) {
    if (p.window === 'probationary') continue;
    if (p.window !== null && !windows.has(p.window)) windows.set(p.window, -cost.fnWeight);
    const hit = p.score >= threshold;
    if (p.window === null) {
      if (hit) {
        fp++;
        fpPart += p.sweep;
      } else tn++;
    } else if (hit) {
      tp++;
      windows.set(p.window, Math.max(windows.get(p.window), p.sweep));
    } else fn++;
  }
  let score = fpPart;
  for (const v of windows.values()) score += v;
  return { score, tp, fp, fn, tn, windows: windows.size };
}

/** The null detector (never detects) and the perfect one (detects every window at its left edge). */
export function nullAndPerfect(points, cost) {
  const windows = new Set(points.filter((p) => p.window !== null && p.window !== 'probationary').map((p) => p.window));
  return { null: -cost.fnWeight * windows.size, perfect: cost.tpWeight * windows.size };
}

/** 100·(Σdetector − Σnull)/(Σperfect − Σnull). */
export function normalise(sum, nullSum, perfectSum) {
  return (100 * (sum - nullSum)) / (perfectSum - nullSum);
}
