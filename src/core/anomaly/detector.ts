/**
 * Streaming anomaly detector for metric series: one pass, constant state per series, deterministic.
 *
 * What it takes from NAB's leaders and baselines, reduced to what needs no model of the series:
 * - a running level and scale (windowed Gaussian, exponentially weighted so the state is O(1));
 * - hour-of-day and hour-of-week envelopes of the values seen on earlier cycles, so a daily or weekly
 *   rhythm (a nightly batch spike, business-hours load) explains itself after two cycles; an excess
 *   beyond an envelope counts relative to its width (what swings widely swings a little more);
 * - Numenta's spatial anomaly: a value beyond the range seen so far, plus a tolerance, is unusual,
 *   unless the hour's envelope explains it;
 * - a level-shift statistic (the one-hour mean of the residuals, a CUSUM-like test): a sustained move
 *   whose points are each unremarkable is as surprising as a spike of the same significance;
 * - Numenta's anomaly likelihood: a point's surprise is judged against the distribution of recent
 *   surprises, so a noisy series is not flagged for being noisy;
 * - relative novelty (the idea behind relative entropy and ARTime's adaptive resonance), measured on the
 *   empirical distribution of recent surprises (a decaying histogram, not a Gaussian): full score only for
 *   a surprise rarer than the last week has shown, so a series that bursts every day does not alarm on
 *   every burst however heavy its tail;
 * - contextOSE's rest period: after an alarm, the same episode does not alarm again for a while.
 * Decay is by elapsed time, not by point count, so the same options fit 15-second and 5-minute series;
 * missing points (gaps, NaN) leave the state as it was. Scales have floors so that a flat series does
 * not turn a rounding step into an anomaly.
 */

export interface DetectorOptions {
  /** Half-life of the level and scale. Default one day. */
  levelHalfLifeMs?: number;
  /** Half-life of the surprise distribution (its mean and spread, and its histogram). Default seven days. */
  surpriseHalfLifeMs?: number;
  /** Half-life of the level-shift statistic, the short-term mean of the residuals. Default one hour. */
  shiftHalfLifeMs?: number;
  /**
   * How much more the short-term mean of residuals varies than it would on independent noise (metric
   * residuals are autocorrelated), so a shift counts in those wider units. Default 1.5.
   */
  shiftNoise?: number;
  /** After an alarm, scores are halved for this long. Default 12 hours. */
  restMs?: number;
  /** History needed before any score is given: at least this many points... Default 24. */
  warmup?: number;
  /** ...and at least this much time. Default one day. */
  warmupMs?: number;
  /** Tolerance beyond the range seen so far, as a fraction of it, for the spatial test. Default 0.05. */
  rangeTolerance?: number;
  /** Score at or above which a point is anomalous. Default DEFAULT_THRESHOLD. */
  threshold?: number;
}

/**
 * Inside the range where NAB's standard score on its realAWSCloudwatch files is at its best for these
 * defaults (0.18–0.21, bench/README.md); one value for every series.
 */
export const DEFAULT_THRESHOLD = 0.2;

/** Points of history needed before any score is given (DetectorOptions.warmup). */
export const DEFAULT_WARMUP = 24;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LN_P_FLOOR = Math.log(1e-10);
/** Per cycle, seasonal extremes not seen again fade this far towards the new cycle's range. */
const SEASON_FADE = 0.3;
/**
 * A value beyond an hour's envelope counts its excess in at least this share of the envelope's width:
 * what swings widely at that hour (a nightly batch spike) varies in proportion, so a spike 10 % taller
 * than on earlier nights is not news.
 */
const ENVELOPE_SLACK = 0.2;
/** Histogram of surprises: bins of 1/8 in log(1 + z), the last one open (z ≳ 2900). */
const BINS = 64;
const BIN_WIDTH = 1 / 8;
/**
 * Distances are counted in the seasonally explained scale (sensitive on series whose rhythm explains
 * most of their movement), but never in less than this share of the residuals' own scale from the
 * level: on plain noise the seasonal envelopes explain nearly everything and that scale collapses.
 */
const SCALE_FLOOR = 0.25;
/** The level-shift statistic's unit: at least this share of the residuals' own scale... */
const SHIFT_UNIT_FLOOR = 0.5;
/** ...and each residual clipped to this many units (a winsorised mean, as robust CUSUM variants use). */
const SHIFT_CLIP = 5;

/**
 * Deviations reported are capped here: off a flat series the scale is its floor (1e-9) and a step of 1 would be
 * a billion σ, a number that says nothing more than "the series never moved before".
 */
export const DEVIATION_CAP = 1000;

/** What the detector says about one point. */
export interface PointScore {
  /** Anomaly score in [0, 1]; the point is anomalous when score ≥ threshold. */
  score: number;
  /** The level the detector expected (before seasonal envelopes). */
  expected: number;
  /** Distance from what this series usually does at this time, in robust standard deviations (at most DEVIATION_CAP). */
  deviation: number;
  /** The value lies beyond every value seen so far. */
  beyondRange: boolean;
  anomalous: boolean;
  /** Scored against history; false during warm-up, where the score (0) says nothing either way. */
  warm: boolean;
}

export class Detector {
  readonly threshold: number;
  private readonly levelHalfLife: number;
  private readonly surpriseHalfLife: number;
  private readonly shiftHalfLife: number;
  private readonly shiftNoise: number;
  private readonly restMs: number;
  private readonly warmup: number;
  private readonly warmupMs: number;
  private firstT = 0;
  private readonly tolerance: number;
  private n = 0;
  private lastT = -Infinity;
  private level = 0;
  private scale = 0;
  private min = Infinity;
  private max = -Infinity;
  private sMean = 0;
  private sVar = 0;
  private shift = 0;
  private rawScale = 0;
  // Surprises seen since warm-up, weights decaying with surpriseHalfLife. Weights are stored scaled by
  // `gain` (which grows instead of every bin shrinking), so learning a point is O(1).
  private readonly hist = new Float64Array(BINS);
  private histTotal = 0;
  private gain = 1;
  private lastAlarm = -Infinity;
  // Seasonal envelopes: the range of values in each hour of the day (24) and of the week (168) on
  // earlier cycles, and how many cycles each bin has seen; the hour in progress is folded in when it ends.
  private readonly dayHi = new Float64Array(24);
  private readonly dayLo = new Float64Array(24);
  private readonly dayCycles = new Uint32Array(24);
  private readonly weekHi = new Float64Array(168);
  private readonly weekLo = new Float64Array(168);
  private readonly weekCycles = new Uint32Array(168);
  // Forgetting rates for the last gap seen (series are mostly evenly spaced, so this is computed once).
  private dtSeen = NaN;
  private aLevel = 0;
  private aSurprise = 0;
  private aShift = 0;
  private lnMemory = -1;
  private hour = NaN;
  private hourHi = -Infinity;
  private hourLo = Infinity;

  constructor(options: DetectorOptions = {}) {
    this.levelHalfLife = options.levelHalfLifeMs ?? DAY;
    this.surpriseHalfLife = options.surpriseHalfLifeMs ?? 7 * DAY;
    this.shiftHalfLife = options.shiftHalfLifeMs ?? HOUR;
    this.shiftNoise = options.shiftNoise ?? 1.5;
    this.restMs = options.restMs ?? 12 * HOUR;
    this.warmup = options.warmup ?? DEFAULT_WARMUP;
    this.warmupMs = options.warmupMs ?? DAY;
    this.tolerance = options.rangeTolerance ?? 0.05;
    this.threshold = options.threshold ?? DEFAULT_THRESHOLD;
  }

  /** Points scored so far. */
  get count(): number {
    return this.n;
  }

  /** Size of the state in bytes: fixed, whatever the length of the series. */
  stateBytes(): number {
    const scalars = 35;
    return scalars * 8 + this.hist.byteLength + 2 * this.dayHi.byteLength + this.dayCycles.byteLength + 2 * this.weekHi.byteLength + this.weekCycles.byteLength;
  }

  /**
   * Score one point (t in epoch ms, ascending). Returns null, and learns nothing, for a non-finite
   * value or a timestamp not after the previous one.
   */
  update(t: number, v: number): PointScore | null {
    if (!Number.isFinite(v) || !Number.isFinite(t) || t <= this.lastT) return null;
    const dt = this.n === 0 ? 0 : t - this.lastT;
    this.lastT = t;
    const hourAbs = Math.floor(t / HOUR);
    if (hourAbs !== this.hour) {
      if (Number.isFinite(this.hour)) this.foldHour(this.hour);
      this.hour = hourAbs;
      this.hourHi = -Infinity;
      this.hourLo = Infinity;
    }
    if (v > this.hourHi) this.hourHi = v;
    if (v < this.hourLo) this.hourLo = v;

    if (this.n === 0) {
      this.firstT = t;
      this.level = v;
      this.min = v;
      this.max = v;
      this.n = 1;
      return { score: 0, expected: v, deviation: 0, beyondRange: false, anomalous: false, warm: false };
    }

    const range = this.max - this.min;
    const rawSd = this.rawScale * 1.2533; // mean absolute deviation → σ
    const sd = Math.max(this.scale * 1.2533, SCALE_FLOOR * rawSd, range / 100, Math.abs(this.level) * 1e-3, 1e-9);
    // Distance from the level, unless this hour (±1) on earlier days or weeks saw values like it.
    const residual = Math.min(Math.abs(v - this.level), this.seasonalDistance(v, hourAbs, sd) * sd);
    if (dt !== this.dtSeen) this.rates(dt);
    // Level shift: the short-term mean of signed residuals from the level, in σ, against what such a
    // mean spreads on independent noise, widened by shiftNoise.
    const aSh = this.aShift;
    // Residuals are counted in at least half their own scale (the seasonally explained one can be far
    // smaller, and a mean of raw residuals is not explained by the envelopes) and clipped, so that one
    // spike, which the point test judges, does not pass for a shift.
    const unit = Math.max(sd, SHIFT_UNIT_FLOOR * rawSd);
    this.shift += aSh * (Math.max(-SHIFT_CLIP, Math.min(SHIFT_CLIP, (v - this.level) / unit)) - this.shift);
    const zShift = Math.abs(this.shift) / (Math.sqrt(aSh / (2 - aSh)) * this.shiftNoise);
    const z = Math.max(residual / sd, zShift);
    const surprise = Math.log1p(z); // unbounded, so a 17σ spike still ranks above a 5σ one
    const bin = Math.min(BINS - 1, Math.floor(surprise / BIN_WIDTH));
    const tol = range * this.tolerance;
    // A new extreme that the hour's envelope (with its slack) explains to within 1σ is not news.
    const beyondRange = range > 0 && (v > this.max + tol || v < this.min - tol) && residual >= sd;

    let score = 0;
    const warm = this.n >= this.warmup && t - this.firstT >= this.warmupMs;
    if (warm) {
      const p = gaussTail((surprise - this.sMean) / Math.sqrt(Math.max(this.sVar, 1e-6)));
      score = Math.min(1, Math.log(p + 1e-10) / LN_P_FLOOR);
      if (score > 0) {
        // Rarity among the surprises of the last half-life or so: a share p of them as large as this one
        // (one pseudo-count), on the log scale where "never in the memory" is 1. Until the memory has
        // filled, a first-seen surprise counts less: rarity among few is weak evidence.
        let tail = 0;
        for (let k = bin; k < BINS; k++) tail += this.hist[k] as number;
        const p = (tail / this.gain + 1) / (this.histTotal / this.gain + 1);
        const rarity = Math.min(1, Math.log(p) / this.lnMemory);
        score *= rarity * rarity;
      }
      if (beyondRange) score = 1;
      if (t - this.lastAlarm < this.restMs) score *= 0.5;
      if (score >= this.threshold) this.lastAlarm = t;
    }

    // What was expected is the level before this point is learnt (after it, a spike would pull its own baseline).
    const expected = this.level;
    // Learn, with weights by elapsed time; the level is a plain running mean until the half-life fills.
    const first = 1 / (this.n + 1);
    const aS = this.aSurprise;
    const d = surprise - this.sMean;
    this.sMean += aS * d;
    this.sVar = (1 - aS) * (this.sVar + aS * d * d);
    // Warm-up surprises are measured against a scale still being learned: not a history to compare with.
    if (warm) {
      this.gain /= 1 - aS;
      if (this.gain > 1e150) this.rescaleHistogram();
      this.hist[bin] = (this.hist[bin] as number) + this.gain;
      this.histTotal += this.gain;
    }
    const aL = this.aLevel;
    this.level += Math.max(first, aL) * (v - this.level);
    // The scale and the surprise distribution start from zero and earn their width: early on the
    // detector is sensitive, which is what the warm-up is for.
    this.scale += aL * (Math.min(residual, 10 * sd) - this.scale);
    this.rawScale += Math.max(first, aL) * (Math.min(Math.abs(v - this.level), 10 * Math.max(rawSd, sd)) - this.rawScale);
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.n++;
    return { score, expected, deviation: Math.min(z, DEVIATION_CAP), beyondRange, anomalous: score >= this.threshold, warm };
  }

  private rescaleHistogram(): void {
    for (let k = 0; k < BINS; k++) this.hist[k] = (this.hist[k] as number) / this.gain;
    this.histTotal /= this.gain;
    this.gain = 1;
  }

  private rates(dt: number): void {
    this.dtSeen = dt;
    this.aLevel = decay(dt, this.levelHalfLife);
    this.aSurprise = decay(dt, this.surpriseHalfLife);
    this.aShift = decay(dt, this.shiftHalfLife);
    // log(1 / (memory + 1)), memory = 1/aSurprise points: the p of a surprise never seen in a full memory.
    this.lnMemory = Math.log(this.aSurprise / (1 + this.aSurprise));
  }

  private foldHour(hourAbs: number): void {
    if (!(this.hourHi >= this.hourLo)) return;
    fold(this.dayHi, this.dayLo, this.dayCycles, mod(hourAbs, 24), this.hourHi, this.hourLo);
    fold(this.weekHi, this.weekLo, this.weekCycles, weekHour(hourAbs), this.hourHi, this.hourLo);
  }

  /** Distance in σ to the nearest seasonal envelope that has seen two cycles (Infinity if none has). */
  private seasonalDistance(v: number, hourAbs: number, sd: number): number {
    return Math.min(
      envelopeDistance(this.dayHi, this.dayLo, this.dayCycles, mod(hourAbs, 24), v, sd),
      envelopeDistance(this.weekHi, this.weekLo, this.weekCycles, weekHour(hourAbs), v, sd),
    );
  }
}

/** Weight of a new observation after dt ms under exponential forgetting with the given half-life. */
function decay(dt: number, halfLife: number): number {
  return 1 - Math.pow(0.5, Math.max(dt, 1) / halfLife);
}

function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}

/** Hour of the week, 0 = Monday 00:00 UTC (1970-01-01 was a Thursday). */
function weekHour(hourAbs: number): number {
  return mod(hourAbs + 72, 168);
}

/** Widen the bin to this cycle's range; extremes not seen again fade towards it by SEASON_FADE per cycle. */
function fold(hi: Float64Array, lo: Float64Array, cycles: Uint32Array, i: number, curHi: number, curLo: number): void {
  const n = cycles[i] as number;
  const h = hi[i] as number;
  const l = lo[i] as number;
  hi[i] = n === 0 ? curHi : Math.max(curHi, h + SEASON_FADE * (curHi - h));
  lo[i] = n === 0 ? curLo : Math.min(curLo, l + SEASON_FADE * (curLo - l));
  cycles[i] = n + 1;
}

/**
 * Distance from v to the nearest of bins i−1, i, i+1 that have seen two cycles (Infinity if none has), in
 * units of sd or of ENVELOPE_SLACK of the bin's own width, whichever is larger.
 */
function envelopeDistance(hi: Float64Array, lo: Float64Array, cycles: Uint32Array, i: number, v: number, sd: number): number {
  const len = hi.length;
  let best = Infinity;
  for (let k = -1; k <= 1; k++) {
    const j = (i + k + len) % len;
    if ((cycles[j] as number) < 2) continue;
    const h = hi[j] as number;
    const l = lo[j] as number;
    const d = (v > h ? v - h : v < l ? l - v : 0) / Math.max(sd, ENVELOPE_SLACK * (h - l));
    if (d < best) best = d;
  }
  return best;
}

/** P(N(0,1) > x). */
function gaussTail(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

/** Complementary error function (Numerical Recipes' erfcc, relative error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}
