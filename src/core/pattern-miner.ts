import { tokenize, WILDCARD } from './log-masks.js';

const ABSORB = Number(process.env.ABSORB ?? 1);
const SIBLINGS = Number(process.env.SIBLINGS ?? 4);
const SHARED = Number(process.env.SHARED ?? 2);
const SOFTDIGIT = process.env.SOFTDIGIT !== '0';

/** A token is "soft" when it carries no text of its own outside wildcards (<*>, (), ****, <*>:). */
function isSoft(t: string): boolean {
  const n = t.length;
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c === 60 && t.charCodeAt(i + 1) === 42 && t.charCodeAt(i + 2) === 62) { i += 2; continue; }
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127) return false;
  }
  return true;
}

export interface MinerOptions {
  similarity?: number;
  depth?: number;
  maxChildren?: number;
  maxClusters?: number;
  rateBucketMs?: number;
  maxRateBuckets?: number;
}

export interface RateBucket {
  bucketStartMs: number;
  count: number;
}

export interface Pattern {
  id: number;
  template: string;
  count: number;
  firstSeen?: number;
  lastSeen?: number;
  example: string;
  rateBucketMs: number;
  rate: RateBucket[];
}

interface Cluster {
  id: number;
  tokens: string[];
  key: string;
  count: number;
  firstSeen?: number;
  lastSeen?: number;
  example: string;
  rateWidth: number;
  rateStarts: number[];
  rateCounts: number[];
  lastSeq: number;
}

export class PatternMiner {
  private readonly sim: number;
  private readonly maxClusters: number;
  private readonly rateBucketMs: number;
  private readonly maxRateBuckets: number;
  private nextId = 1;
  private seq = 0;
  private readonly clusters = new Map<number, Cluster>();
  private readonly byLength = new Map<number, Cluster[]>();
  private readonly byTemplate = new Map<string, Cluster>();
  private readonly alias = new Map<number, number>();

  constructor(opts: MinerOptions = {}) {
    this.sim = opts.similarity ?? Number(process.env.SIM ?? 0.5);
    this.maxClusters = opts.maxClusters ?? 5000;
    this.rateBucketMs = opts.rateBucketMs ?? 60_000;
    this.maxRateBuckets = opts.maxRateBuckets ?? 120;
  }

  add(message: string, timestampMs?: number): number {
    const toks = tokenize(message);
    const key = toks.join(' ');
    this.seq++;
    let c = this.byTemplate.get(key);
    if (!c) {
      c = this.bestMatch(toks);
      if (c) this.generalize(c, toks);
      else c = this.siblingMerge(this.create(toks, key, message));
    }
    this.touch(c, timestampMs);
    return c.id;
  }

  resolve(id: number): number {
    let cur = id;
    for (let i = 0; i < 64; i++) {
      const next = this.alias.get(cur);
      if (next === undefined) return cur;
      cur = next;
    }
    return cur;
  }

  patterns(): Pattern[] {
    const out: Pattern[] = [];
    for (const c of this.clusters.values()) {
      const p: Pattern = {
        id: c.id,
        template: c.key,
        count: c.count,
        example: c.example,
        rateBucketMs: c.rateWidth,
        rate: c.rateStarts.map((s, i) => ({ bucketStartMs: s, count: c.rateCounts[i]! })),
      };
      if (c.firstSeen !== undefined) p.firstSeen = c.firstSeen;
      if (c.lastSeen !== undefined) p.lastSeen = c.lastSeen;
      out.push(p);
    }
    out.sort((a, b) => b.count - a.count || a.id - b.id);
    return out;
  }

  private bestMatch(toks: string[]): Cluster | undefined {
    const list = this.byLength.get(toks.length);
    if (!list) return undefined;
    const soft = toks.map(isSoft);
    let best: Cluster | undefined;
    let bestSim = -1;
    outer: for (const c of list) {
      let same = 0;
      const t = c.tokens;
      for (let i = 0; i < t.length; i++) {
        const tt = t[i]!;
        if (tt === toks[i]) same++;
        else if (tt === WILDCARD) same += ABSORB;
        else if (!soft[i] && !isSoft(tt)) continue outer;
      }
      const s = t.length === 0 ? 1 : same / t.length;
      if (s > bestSim) {
        bestSim = s;
        best = c;
      }
    }
    return bestSim >= this.sim ? best : undefined;
  }

  /** Clusters of the same length that differ from c by exactly one word position, by position. */
  private siblingMerge(c: Cluster): Cluster {
    const list = this.byLength.get(c.tokens.length)!;
    const groups = new Map<number, Cluster[]>();
    const toks = c.tokens;
    const n = toks.length;
    for (const o of list) {
      if (o === c) continue;
      let pos = -1;
      let same = 0;
      let shared = 0;
      let ok = true;
      for (let i = 0; i < n; i++) {
        const a = o.tokens[i]!;
        const b = toks[i]!;
        if (a === b) { same++; if (!isSoft(a)) shared++; }
        else if (a === WILDCARD || b === WILDCARD) same += ABSORB;
        else if (!isSoft(a) && !isSoft(b)) {
          if (pos >= 0) { ok = false; break; }
          pos = i;
        }
      }
      if (!ok || pos < 0 || n <= 1 || shared < SHARED || same / (n - 1) < this.sim) continue;
      let g = groups.get(pos);
      if (!g) groups.set(pos, (g = []));
      g.push(o);
    }
    for (const [pos, g] of groups) {
      if (g.length + 1 < SIBLINGS) continue;
      let into = c;
      for (const o of g) if (o.count > into.count) into = o;
      into.tokens[pos] = WILDCARD;
      for (const o of [c, ...g]) {
        if (o === into) continue;
        for (let i = 0; i < n; i++) if (into.tokens[i] !== o.tokens[i]) into.tokens[i] = WILDCARD;
        this.byTemplate.delete(o.key);
        this.merge(into, o);
      }
      this.byTemplate.delete(into.key);
      into.key = into.tokens.join(' ');
      const other = this.byTemplate.get(into.key);
      if (other && other !== into) { this.merge(other, into); return other; }
      this.byTemplate.set(into.key, into);
      return into;
    }
    return c;
  }

  private generalize(c: Cluster, toks: string[]): void {
    let changed = false;
    for (let i = 0; i < c.tokens.length; i++) {
      if (c.tokens[i] !== toks[i] && c.tokens[i] !== WILDCARD) {
        c.tokens[i] = WILDCARD;
        changed = true;
      }
    }
    if (!changed) return;
    this.byTemplate.delete(c.key);
    c.key = c.tokens.join(' ');
    const other = this.byTemplate.get(c.key);
    if (other && other !== c) this.merge(other, c);
    else this.byTemplate.set(c.key, c);
  }

  private merge(into: Cluster, from: Cluster): void {
    into.count += from.count;
    this.alias.set(from.id, into.id);
    this.clusters.delete(from.id);
    const list = this.byLength.get(from.tokens.length)!;
    list.splice(list.indexOf(from), 1);
  }

  private create(toks: string[], key: string, message: string): Cluster {
    const c: Cluster = {
      id: this.nextId++,
      tokens: toks.slice(),
      key,
      count: 0,
      example: message,
      rateWidth: this.rateBucketMs,
      rateStarts: [],
      rateCounts: [],
      lastSeq: this.seq,
    };
    this.clusters.set(c.id, c);
    this.byTemplate.set(key, c);
    let list = this.byLength.get(toks.length);
    if (!list) this.byLength.set(toks.length, (list = []));
    list.push(c);
    return c;
  }

  private touch(c: Cluster, ts?: number): void {
    c.count++;
    c.lastSeq = this.seq;
    if (ts === undefined) return;
    if (c.firstSeen === undefined || ts < c.firstSeen) c.firstSeen = ts;
    if (c.lastSeen === undefined || ts > c.lastSeen) c.lastSeen = ts;
  }
}
