/**
 * Online log-template miner (Drain class) for `helm-cloud investigate` error patterns.
 *
 * Pure: no I/O, no environment, no clock. Time comes only from each record's timestamp.
 *
 *   new PatternMiner(opts?: MinerOptions)
 *   miner.add(message: string, timestampMs?: number): number   id of the cluster the line joined
 *   miner.resolve(id: number): number                          that cluster's id now (after merges)
 *   miner.patterns(): Pattern[]                                all clusters, by count desc
 *   miner.size: number                                         live clusters
 *   miner.evicted: {clusters, lines}                           dropped over maxClusters so far
 *   minePatterns(lines: {message: string; timestampMs?: number}[], opts?): Pattern[]
 *
 * How a line is placed:
 *   1. tokenize + mask (./log-masks.ts): numbers, hex, ids, IPs, hosts, UUIDs, durations, paths,
 *      URLs, e-mails, dates become <*>; repeated variable groups collapse to one.
 *   2. a bounded cache maps an already-seen masked line straight to its cluster; its key is a
 *      53-bit hash of the masked sequence computed in place (lineKey in ./log-masks.ts), so a line
 *      seen before costs one scan of its characters and no token array or string building.
 *   3. otherwise the line is compared with every cluster of the same token count. Tokens are typed:
 *      a token's "shape" is its text with digits and wildcards removed. Two tokens of different
 *      non-empty shapes (words: "Failed" / "Accepted", "startup" / "shutdown") are a HARD mismatch
 *      and rule the cluster out; tokens differing only in numbers (U01 / U11) or carrying no text
 *      (<*>, "()") are a soft mismatch, and so are two words as the value of the same key
 *      (health=good / health=cold: a value by syntax; a quoted value is text and stays hard), and
 *      so are units of size or time right after a number (17.2 MB / 384.0 B, 12 ms / 3 s).
 *      Among clusters with no hard mismatch, the one with the most
 *      equal tokens wins if equal/length >= `similarity`; the differing positions become <*>.
 *   4. no match: a new cluster, and a look at its family (position-wise variability, the online
 *      form of Brain's bidirectional split): the clusters of its length that differ from it by
 *      different words at a few positions and share >= 3 specific words with it. Each differing
 *      position is judged on its own: one where the family shows `variableAfter` (default 4)
 *      distinct words is a variable, one with fewer stays a constant that separates events; the
 *      bar drops by one for every AGREE_PER_STEP specific words the members share, down to 2 (one
 *      word differing in a long message is a value, as Drain would judge it)
 *      ("Invalid user alice/bob/carol/dave from <*>" -> "Invalid user <*> from <*>", while
 *      "Failed none" / "Failed password" stay apart). Members differing only at variable positions
 *      merge, those positions becoming <*>. Two guards keep this from needing per-format tuning:
 *      a word that more lines outside the family carry at that place (a header field, a common
 *      prefix: Brain's parent direction) is not evidence; and a family varying at several
 *      positions at once merges only when most of its lines are combinations seen once
 *      (Good-Turing) or its words combine freely (the combinations fill most of the product of
 *      the words per position), since a small vocabulary of combinations ("from RUNNING to
 *      SUCCEEDED") is a set of events, not variables. A differing position whose every word is one other events
 *      carry there more often than this family does (a host or thread in a header) is a field of
 *      the layout and a variable with any number of words; such members need only one specific
 *      shared word. Clusters remember (up to 8) words seen at places that became <*>, so the
 *      evidence survives the merges it caused. The family look is repeated each time a cluster's
 *      count doubles, if clusters of its length changed since: evidence about a field arrives
 *      after the clusters it concerns were made.
 *   5. whenever a template gains a <*>, the clusters of its length it now covers (made before the
 *      position showed its variability) join it; clusters whose templates become identical merge.
 *      Ids of merged clusters resolve to the survivor through `resolve`.
 *   6. a value of several words (a reason, a title) gives one event another token count per value,
 *      which the same-length family never sees vary. A new cluster that shares its words before
 *      and after one gap with clusters of other lengths (`Job <*> failed: timed out (attempt <*>)`,
 *      `Job <*> failed: connection reset by peer (attempt <*>)`) joins them as one event when the
 *      gap shows `variableAfter` distinct word values, the context around it holds
 *      MIN_SHARED_WORDS words of the event's own (not a header's) and the gap is at most
 *      SPAN_PER_CONTEXT times as long as the context. Only gaps with words on both sides: a trailing
 *      text (an errno message, "closed: <reason>") is what names the event in many logs. The
 *      clusters stay apart for matching; `resolve` and `patterns` answer for the group, its template
 *      holding one <*> for the gap.
 *
 * Memory is bounded and flat in the number of lines: at most `maxClusters` clusters (the least
 * recently seen are evicted beyond that), each holding its template tokens, counts, one example
 * (cut to 2,000 chars) and at most `maxRateBuckets` rate buckets (when a cluster's histogram
 * outgrows that, its bucket width doubles and adjacent buckets merge). The line cache and the
 * merge-alias table are capped too. Lines themselves are never stored.
 */
import { isUnitAt, lineKey, tokenize, WILDCARD } from './log-masks.js';

export interface MinerOptions {
  /** Share of equal tokens (0..1) a line needs to join a cluster. Default 0.4. */
  similarity?: number;
  /** Distinct words seen at one position before it counts as a variable. Default 4 (min 2). */
  variableAfter?: number;
  /** Live clusters kept; the least recently seen are evicted beyond this. Default 5000. */
  maxClusters?: number;
  /** Width of a rate bucket in ms. Default 60000. */
  rateBucketMs?: number;
  /** Rate buckets kept per pattern; beyond this the width doubles. Default 120. */
  maxRateBuckets?: number;
  /** Masked lines remembered for the fast path. Default 50000. */
  cacheSize?: number;
}

export interface RateBucket {
  bucketStartMs: number;
  count: number;
}

export interface Pattern {
  id: number;
  /** Masked tokens joined by one space, variables as <*>. */
  template: string;
  count: number;
  /** Earliest / latest timestamp seen (absent when no line carried one). */
  firstSeen?: number;
  lastSeen?: number;
  /** The first line that formed the pattern (cut to 2,000 chars). */
  example: string;
  /** Width of each rate bucket of this pattern (a multiple of the configured width). */
  rateBucketMs: number;
  /** Lines per bucket, oldest first, only non-empty buckets; bucketStartMs is a multiple of rateBucketMs. */
  rate: RateBucket[];
}

const EXAMPLE_MAX = 2000;
/** Other words two sibling clusters must share before their differing words may become <*>. */
const MIN_SHARED_WORDS = 3;
/** Shared specific words that lower by one the distinct words a differing position needs. */
const AGREE_PER_STEP = 7;
/** A span's gap may hold at most this many tokens per token of context around it. */
const SPAN_PER_CONTEXT = 2;

interface Cluster {
  id: number;
  tokens: string[];
  shapes: string[];
  key: string;
  count: number;
  firstSeen: number | undefined;
  lastSeen: number | undefined;
  example: string;
  rateWidth: number;
  rateStarts: number[];
  rateCounts: number[];
  lastSeq: number;
  /** words seen at positions that became <*> (at most SEEN_MAX each): where a field's values went */
  seen: (string[] | undefined)[] | undefined;
  /** the miner's epoch at this cluster's last family look */
  looked: number;
  /** scratch: the `seq` of the last family search that found this cluster near */
  mark: number;
  /** false once merged away or evicted */
  live: boolean;
}

/**
 * The "shape" of a token: its text without digits and wildcards, or '' when nothing with letters
 * is left ("<*>", "()", "****", "<*>:"). Equal shapes mean the tokens differ at most in numbers.
 */
export function tokenShape(t: string): string {
  let letters = false;
  let digitsOrWild = false;
  let n = t.length;
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    // key=value: the value is a value by syntax, so two words there differ softly; the key and
    // the kind of value (a word, or a number / punctuation) make the shape
    if (c === 61 && i > 0 && i < n - 1 && !opensText(t, i + 1)) {
      if (!letters) return '';
      let word = false;
      for (let k = i + 1; k < n && !word; k++) {
        const v = t.charCodeAt(k);
        word = (v >= 65 && v <= 90) || (v >= 97 && v <= 122) || v > 127;
      }
      if (word && t.indexOf(WILDCARD, i) >= 0) word = false;
      return tokenShape(t.slice(0, i + 1)) + (word ? 'a' : '0');
    }
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127) letters = true;
    else if ((c >= 48 && c <= 57) || (c === 60 && t.charCodeAt(i + 1) === 42 && t.charCodeAt(i + 2) === 62)) {
      digitsOrWild = true;
    }
  }
  if (!letters) return '';
  if (!digitsOrWild) return t;
  let out = '';
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) continue;
    if (c === 60 && t.charCodeAt(i + 1) === 42 && t.charCodeAt(i + 2) === 62) { i += 2; continue; }
    out += t[i];
  }
  return out;
}

/**
 * Is the value at t[from..] quoted (msg="Failed to ..., msg="running")? Quotes hold text, a
 * message in its own right (a logfmt or JSON layout puts the whole event there), not a value.
 */
function opensText(t: string, from: number): boolean {
  const q = t.charCodeAt(from);
  return q === 34 || q === 39;
}

/** Distinct tokens kept in the intern pool before it starts over. */
const INTERN_MAX = 100_000;

/** Words remembered per variable position of a cluster. */
const SEEN_MAX = 8;

function remember(c: Cluster, i: number, w: string): void {
  const seen = (c.seen ??= []);
  const at = (seen[i] ??= []);
  if (at.length < SEEN_MAX && !at.includes(w)) at.push(detach(w));
}

/**
 * Words varying at several positions at once may be a small vocabulary of events (a state machine's
 * "from A to B") rather than variables: such a family merges only when most of its lines carry a
 * combination seen once (Good-Turing: the chance that the next line brings an unseen combination
 * is the share of lines seen once). Clusters being created count as one line.
 */
function unseenRich(group: Cluster[]): boolean {
  let lines = 0;
  let once = 0;
  for (const c of group) {
    const n = Math.max(1, c.count);
    lines += n;
    if (n === 1) once++;
  }
  return once * 2 >= lines;
}

/**
 * Several positions varying at once are independent variables when their words combine freely:
 * the combinations seen fill most of the product of the words seen at each position (a state
 * machine's "from A to B" shows few of its product; "cache hit|miss, auth token|cert" shows all).
 */
function independent(group: Cluster[], diffs: number[][]): boolean {
  const positions = [...new Set(diffs.flat())];
  if (positions.length < 2) return false;
  let product = 1;
  for (const p of positions) product *= new Set(group.map((o) => o.tokens[p])).size;
  if (product < 6) return false;
  const combos = new Set(group.map((o) => positions.map((p) => o.tokens[p]).join(' ')));
  return combos.size >= 0.75 * product;
}

/**
 * A flat copy of s. Substrings may share (and so keep alive) the whole string they were cut from,
 * e.g. a 1 MB read buffer; what a cluster keeps must not pin its caller's input.
 */
function detach(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

export class PatternMiner {
  private readonly similarity: number;
  private readonly variableAfter: number;
  private readonly maxClusters: number;
  private readonly rateBucketMs: number;
  private readonly maxRateBuckets: number;
  private readonly cacheSize: number;
  private nextId = 1;
  /**
   * Per token count: a number bumped whenever a cluster of that length is made, merged away or
   * widened, i.e. whenever the family a cluster of that length would see has changed.
   */
  private readonly epochs = new Map<number, number>();
  private epochSeq = 0;
  private evictedClusters = 0;
  private evictedLines = 0;
  private seq = 0;
  private readonly clusters = new Map<number, Cluster>();
  private readonly byLength = new Map<number, Cluster[]>();
  private readonly byTemplate = new Map<string, Cluster>();
  /** lineKey(message) -> the cluster that message went to */
  private readonly lineCache = new Map<number, Cluster>();
  private readonly alias = new Map<number, number>();
  /** cluster id -> a cluster of the same event at another token count (a value spanning several tokens) */
  private readonly span = new Map<number, number>();
  private readonly pool = new Map<string, string>();

  constructor(opts: MinerOptions = {}) {
    this.similarity = opts.similarity ?? 0.4;
    this.variableAfter = Math.max(2, opts.variableAfter ?? 4);
    this.maxClusters = Math.max(1, opts.maxClusters ?? 5000);
    this.rateBucketMs = Math.max(1, opts.rateBucketMs ?? 60_000);
    this.maxRateBuckets = Math.max(1, opts.maxRateBuckets ?? 120);
    this.cacheSize = Math.max(0, opts.cacheSize ?? 50_000);
  }

  /** Live clusters. */
  get size(): number {
    return this.clusters.size;
  }

  /** Clusters dropped so far to stay within `maxClusters`, and the lines they held. */
  get evicted(): { clusters: number; lines: number } {
    return { clusters: this.evictedClusters, lines: this.evictedLines };
  }

  add(message: string, timestampMs?: number): number {
    this.seq++;
    let c: Cluster | undefined;
    const key = this.cacheSize > 0 ? lineKey(message) : 0;
    const cached = this.cacheSize > 0 ? this.lineCache.get(key) : undefined;
    if (cached !== undefined) c = cached.live ? cached : this.clusters.get(this.resolve(cached.id));
    if (!c) {
      const toks = tokenize(message);
      const line = toks.join(' ');
      c = this.byTemplate.get(line);
      if (!c) {
        const shapes = toks.map(tokenShape);
        // a unit after a number differs softly, like the number: "17.2 MB" / "384.0 B"
        for (let k = 1; k < toks.length; k++) if (shapes[k] !== '' && isUnitAt(toks, k)) shapes[k] = '';
        const best = this.bestMatch(toks, shapes);
        c = best ? this.generalize(best, toks) : this.spanLook(this.siblingMerge(this.create(toks, shapes, line, message)));
      }
      if (this.cacheSize > 0) {
        if (this.lineCache.size >= this.cacheSize) this.lineCache.clear();
        this.lineCache.set(key, c);
      }
    }
    this.touch(c, timestampMs);
    // Evidence about a family grows after its clusters were made (a host name only shows itself
    // as a field once other events carried it): look again each time a cluster's count doubles.
    // Only when the clusters changed since this one last looked: counts alone rarely turn a verdict.
    if (c.count >= 2 && (c.count & (c.count - 1)) === 0 && c.looked !== this.lengthEpoch(c.tokens.length)) {
      c = this.siblingMerge(c);
    }
    if (this.clusters.size > this.maxClusters) this.evict();
    return c.id;
  }

  /** The id a cluster id from `add` has now: merged clusters resolve to the one they merged into. */
  resolve(id: number): number {
    let cur = this.merged(id);
    for (let i = 0; i < 1000; i++) {
      const up = this.span.get(cur);
      if (up === undefined) return cur;
      const next = this.merged(up);
      if (next === cur || !this.clusters.has(next)) return cur;
      cur = next;
    }
    return cur;
  }

  /** Follow merges only: the live cluster (of one token count) an id went to. */
  private merged(id: number): number {
    let cur = id;
    for (let i = 0; i < 1000; i++) {
      const next = this.alias.get(cur);
      if (next === undefined) return cur;
      cur = next;
    }
    return cur;
  }

  patterns(): Pattern[] {
    const out: Pattern[] = [];
    const groups = new Map<number, Cluster[]>();
    for (const c of this.clusters.values()) {
      const root = this.resolve(c.id);
      const g = groups.get(root);
      if (g) g.push(c);
      else groups.set(root, [c]);
    }
    for (const [root, g] of groups) {
      const c = g.length === 1 ? g[0]! : this.spanned(root, g);
      const p: Pattern = {
        id: root,
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

  // ---- matching -------------------------------------------------------------------------------

  private bestMatch(toks: string[], shapes: string[]): Cluster | undefined {
    const list = this.byLength.get(toks.length);
    if (!list) return undefined;
    const n = toks.length;
    let best: Cluster | undefined;
    let bestSame = -1;
    outer: for (const c of list) {
      let same = 0;
      const t = c.tokens;
      const sh = c.shapes;
      for (let i = 0; i < n; i++) {
        const tt = t[i]!;
        if (tt === toks[i]) same++;
        else if (tt !== WILDCARD) {
          const a = sh[i]!;
          const b = shapes[i]!;
          if (a !== '' && b !== '' && a !== b) continue outer; // hard mismatch: different words
        }
      }
      if (same > bestSame) {
        bestSame = same;
        best = c;
      }
    }
    return best && (n === 0 || bestSame / n >= this.similarity) ? best : undefined;
  }

  /** Widen c's template to cover toks; merges c into an identical template if one appears. */
  private generalize(c: Cluster, toks: string[]): Cluster {
    let changed = false;
    for (let i = 0; i < c.tokens.length; i++) {
      if (c.tokens[i] !== toks[i] && c.tokens[i] !== WILDCARD) {
        this.widenAt(c, i);
        if (tokenShape(toks[i]!) !== '') remember(c, i, toks[i]!);
        changed = true;
      }
    }
    return changed ? this.absorbCovered(this.rekey(c)) : c;
  }

  private lengthEpoch(n: number): number {
    return this.epochs.get(n) ?? 0;
  }

  private bump(n: number): void {
    this.epochs.set(n, ++this.epochSeq);
  }

  private rekey(c: Cluster): Cluster {
    this.bump(c.tokens.length);
    if (this.byTemplate.get(c.key) === c) this.byTemplate.delete(c.key);
    c.key = c.tokens.join(' ');
    const other = this.byTemplate.get(c.key);
    if (other && other !== c) {
      this.absorb(other, c);
      return other;
    }
    this.byTemplate.set(c.key, c);
    return c;
  }

  /**
   * Position-wise variability within a family (the online form of Brain's down-split): the
   * clusters of c's length that share at least MIN_SHARED_WORDS constant words with c at the same
   * places, differ from it by different words at a few positions D (soft differences allowed) and
   * agree on enough of the rest are c's family. For every position in some D, the distinct words
   * the family shows there are counted; a position with at least `variableAfter` of them is a
   * variable. Family members whose differences all lie on variable positions merge with c, those
   * positions becoming <*>; a position with few words stays a constant that separates events.
   * Each position is judged on its own, so a template with two word variables ("Registering class
   * A for class B") merges as readily as one with one.
   */
  private siblingMerge(c: Cluster): Cluster {
    c.looked = this.lengthEpoch(c.tokens.length);
    const list = this.byLength.get(c.tokens.length)!;
    const n = c.tokens.length;
    if (n <= 1 || list.length < 2) return c;
    const maxDiff = Math.max(1, Math.floor(n / 3));
    // Pass 1: clusters close enough to be family (few differing words, enough agreement).
    const near: Cluster[] = [];
    const nearDiff: number[][] = [];
    let familyLines = Math.max(1, c.count);
    for (const o of list) {
      if (o === c) continue;
      const diff: number[] = [];
      let same = 0;
      let ok = true;
      for (let i = 0; i < n; i++) {
        const a = o.tokens[i]!;
        const b = c.tokens[i]!;
        if (a === b) same++;
        else {
          const sa = o.shapes[i]!;
          const sb = c.shapes[i]!;
          if (sa !== '' && sb !== '' && sa !== sb) {
            if (diff.length >= maxDiff) { ok = false; break; }
            diff.push(i);
          }
        }
      }
      if (ok && diff.length > 0 && same / (n - diff.length) >= this.similarity) {
        near.push(o);
        nearDiff.push(diff);
        familyLines += o.count;
        o.mark = this.seq;
      }
    }
    if (near.length === 0) return c;
    // Brain's parent direction: a word of c that more lines outside the family carry at the same
    // place (a header field such as "level=info", a common prefix) is shared with other events and
    // is no evidence that the family is one event. The same count, taken for each word the family
    // shows at a differing place, finds fields of the layout (a host name, a thread): words that
    // other events carry more often than this one are not what makes this event.
    const outside = new Float64Array(n);
    const outsideClusters = new Uint32Array(n);
    const eligible = new Uint32Array(n);
    /** per differing position: lines and clusters outside the family carrying each word there */
    const varied = new Map<number, Map<string, number>>();
    const variedClusters = new Map<number, Map<string, number>>();
    const variedIn = new Map<number, Map<string, number>>();
    for (const d of nearDiff) {
      for (const p of d) {
        if (varied.has(p)) continue;
        varied.set(p, new Map());
        variedClusters.set(p, new Map([[WILDCARD, 0]]));
        variedIn.set(p, new Map([[c.tokens[p]!, Math.max(1, c.count)]]));
      }
    }
    near.forEach((o, k) => {
      for (const p of nearDiff[k]!) {
        const m = variedIn.get(p)!;
        m.set(o.tokens[p]!, (m.get(o.tokens[p]!) ?? 0) + o.count);
      }
    });
    // only the family's own words at those places are ever asked about: count just those
    for (const [p, words] of variedIn) {
      for (const w of words.keys()) {
        varied.get(p)!.set(w, 0);
        variedClusters.get(p)!.set(w, 0);
      }
    }
    const vPos = [...varied.keys()];
    const vWords = vPos.map((p) => varied.get(p)!);
    const vCarriers = vPos.map((p) => variedClusters.get(p)!);
    const ct = c.tokens;
    const seq = this.seq;
    for (const other of this.byLength.values()) {
      if (other.length === 0) continue;
      const len = other[0]!.tokens.length;
      const m = Math.min(n, len);
      for (let k = 0; k < other.length; k++) {
        const o = other[k]!;
        if (o === c || o.mark === seq) continue;
        const ot = o.tokens;
        const count = o.count;
        for (let i = 0; i < m; i++) {
          eligible[i]!++;
          if (ot[i] === ct[i]) {
            outside[i]! += count;
            outsideClusters[i]!++;
          }
        }
        for (let v = 0; v < vPos.length; v++) {
          const p = vPos[v]!;
          if (p >= len) continue;
          const w = ot[p]!;
          const words = vWords[v]!;
          const carriers = vCarriers[v]!;
          const had = carriers.get(w);
          if (had !== undefined) {
            carriers.set(w, had + 1);
            if (w !== WILDCARD) words.set(w, words.get(w)! + count);
          }
          // a cluster that turned this place into <*> carried the words it saw there
          const seen = w === WILDCARD ? o.seen?.[p] : undefined;
          if (seen) {
            for (const x of seen) {
              const n0 = words.get(x);
              if (n0 === undefined) continue;
              words.set(x, n0 + count / seen.length);
              carriers.set(x, carriers.get(x)! + 1);
            }
          }
        }
      }
    }
    /** w at p is a field value: more lines and at least variableAfter clusters outside carry it. */
    const field = (p: number, w: string) => {
      const byCluster = variedClusters.get(p)!;
      const carriers = byCluster.get(w) ?? 0;
      const wild = byCluster.get(WILDCARD) ?? 0;
      return carriers >= 1 && carriers + wild >= 2 && (varied.get(p)!.get(w) ?? 0) > (variedIn.get(p)!.get(w) ?? 0);
    };
    /**
     * c's word at i is specific to the family unless more lines outside carry it there, or every
     * cluster outside does (early in a stream, before line counts say it, a header word is the one
     * every event has).
     */
    const specific = (i: number) =>
      outside[i]! <= familyLines && !(outsideClusters[i]! > 0 && outsideClusters[i] === eligible[i]);
    // Pass 2: members share enough specific words with c.
    const members: Cluster[] = [];
    const diffs: number[][] = [];
    const agree: number[] = [];
    near.forEach((o, k) => {
      let shared = 0;
      for (let i = 0; i < n; i++) if (specific(i) && o.shapes[i] !== '' && o.tokens[i] === c.tokens[i]) shared++;
      // differing only in fields of the layout, one specific word in common is enough
      const inFields = nearDiff[k]!.every((p) => field(p, c.tokens[p]!) && field(p, o.tokens[p]!));
      if (shared < (inFields ? 1 : Math.max(MIN_SHARED_WORDS, 2 * nearDiff[k]!.length))) return;
      members.push(o);
      diffs.push(nearDiff[k]!);
      agree.push(shared);
    });
    if (members.length === 0) return c;
    // Judge positions, then keep the members whose differences are all variable; repeat, since
    // dropping a member can take a position below the bar.
    let keep = members.map((_, k) => k);
    for (;;) {
      const values = new Map<number, Map<string, number>>();
      /** per differing position: the fewest specific words a member differing there shares with c */
      const support = new Map<number, number>();
      for (const k of keep) {
        for (const p of diffs[k]!) {
          let v = values.get(p);
          if (!v) values.set(p, (v = new Map([[c.tokens[p]!, Math.max(1, c.count)]])));
          const o = members[k]!;
          v.set(o.tokens[p]!, (v.get(o.tokens[p]!) ?? 0) + o.count);
          support.set(p, Math.min(support.get(p) ?? Infinity, agree[k]!));
        }
      }
      const variable = (p: number) => {
        const v = values.get(p);
        if (!v) return false;
        // Evidence weighs against the rest of the message: one word differing among many shared
        // specific words is a value (Drain's view of long messages), among few it may name the
        // event; each AGREE_PER_STEP shared words lower the distinct words needed by one, to 2.
        let once = false;
        for (const n of v.values()) if (n === 1) once = true;
        const need = once ? Math.max(2, this.variableAfter - Math.floor(support.get(p)! / AGREE_PER_STEP)) : this.variableAfter;
        if (v.size >= need) return true;
        for (const w of v.keys()) if (!field(p, w)) return false;
        return true;
      };
      const next = keep.filter((k) => diffs[k]!.every(variable));
      if (next.length === keep.length) break;
      keep = next;
    }
    if (keep.length === 0) return c;
    const group = [c, ...keep.map((k) => members[k]!)];
    if (keep.some((k) => diffs[k]!.length > 1) && !unseenRich(group) && !independent(group, keep.map((k) => diffs[k]!))) {
      return c;
    }
    let into = c;
    for (const o of group) if (o.count > into.count || (o.count === into.count && o.id < into.id)) into = o;
    for (const o of group) {
      if (o === into) continue;
      for (let i = 0; i < n; i++) {
        if (into.tokens[i] !== o.tokens[i] && into.tokens[i] !== WILDCARD) this.widenAt(into, i);
      }
      this.absorb(into, o);
    }
    return this.absorbCovered(this.rekey(into));
  }

  /**
   * A value of several words (a reason, a title, a name with spaces) gives one event a different
   * token count per value, so the same-length family never sees it vary. Clusters of c's event at
   * other lengths share its words before and after one gap: `Job <*> failed: timed out (attempt <*>)`
   * and `Job <*> failed: broken pipe while writing (attempt <*>)`. Taken as one event with a
   * variable spanning the gap when, as for one position (siblingMerge), the gap shows at least
   * `variableAfter` distinct values, seen at two token counts or more, and the context is evidence:
   * words on both sides (a trailing gap would turn a header into a span over whole messages),
   * MIN_SHARED_WORDS words in it, no gap over SPAN_PER_CONTEXT times the context, gaps of words only (a value, not a
   * message with its own fields). The clusters stay (each keeps matching its own lines); `resolve`
   * and `patterns` answer for the group.
   */
  private spanLook(c: Cluster): Cluster {
    const n = c.tokens.length;
    if (n < 3 || this.byLength.size < 2) return c;
    const ct = c.tokens;
    const cands: { o: Cluster; p: number; s: number }[] = [];
    for (const list of this.byLength.values()) {
      for (const o of list) {
        if (o === c) continue;
        const ot = o.tokens;
        const m = Math.min(n, ot.length);
        let p = 0;
        while (p < m - 1 && ot[p] === ct[p]) p++;
        if (p === 0) continue;
        let s = 0;
        while (s < m - 1 - p && ot[ot.length - 1 - s] === ct[n - 1 - s]) s++;
        if (s === 0) continue;
        cands.push({ o, p, s });
      }
    }
    if (cands.length === 0) return c;
    // Candidates by (p, s): a context (P, S) gathers the buckets with p >= P and s >= S, so a
    // context with too few members to show variableAfter gaps is rejected without touching them.
    const buckets = new Map<string, { p: number; s: number; xs: Cluster[]; other: boolean }>();
    for (const x of cands) {
      const k = `${x.p},${x.s}`;
      let b = buckets.get(k);
      if (!b) buckets.set(k, (b = { p: x.p, s: x.s, xs: [], other: false }));
      b.xs.push(x.o);
      if (x.o.tokens.length !== n) b.other = true;
    }
    const all = [...buckets.values()];
    // The widest context that still gathers enough distinct gaps: most specific first.
    const contexts = all.filter((b) => b.other).sort((a, b) => b.p + b.s - (a.p + a.s) || b.p - a.p);
    const fits = (o: Cluster, p: number, s: number) => {
      const len = o.tokens.length;
      const gap = len - p - s;
      if (gap < 1 || gap > SPAN_PER_CONTEXT * (p + s)) return false;
      // words only: a value of several words, not a message with fields of its own
      for (let i = p; i < len - s; i++) if (o.shapes[i] === '') return false;
      return true;
    };
    for (const { p, s } of contexts) {
      let words = 0;
      for (let i = 0; i < n; i++) if ((i < p || i >= n - s) && c.shapes[i] !== '') words++;
      if (words < MIN_SHARED_WORDS || !fits(c, p, s)) continue;
      const inside = all.filter((b) => b.p >= p && b.s >= s);
      let size = 1;
      for (const b of inside) size += b.xs.length;
      if (size < this.variableAfter) continue;
      const group = [c];
      const gaps = new Set([ct.slice(p, n - s).join(' ')]);
      const lengths = new Set([n]);
      for (const b of inside) {
        for (const o of b.xs) {
          if (!fits(o, p, s)) continue;
          group.push(o);
          lengths.add(o.tokens.length);
          // enough to know the gap varies; past that, building the keys is wasted work
          if (gaps.size < this.variableAfter) gaps.add(o.tokens.slice(p, o.tokens.length - s).join(' '));
        }
      }
      if (lengths.size < 2 || gaps.size < this.variableAfter) continue;
      if (this.specificAround(c, group, p, s) < MIN_SHARED_WORDS) continue;
      let root = Infinity;
      for (const o of group) root = Math.min(root, this.resolve(o.id));
      for (const o of group) {
        const r = this.resolve(o.id);
        if (r !== root) this.span.set(r, root);
      }
      return c;
    }
    return c;
  }

  /**
   * The context words of a span group that are its own (Brain's parent direction, as in
   * siblingMerge): a word that more lines outside the group carry at the same place, counted from
   * the start before the gap and from the end after it, is a header field or a common prefix
   * (`<*> host app[<*>]: <*> succeeded`), no evidence that the group is one event.
   */
  private specificAround(c: Cluster, group: Cluster[], p: number, s: number): number {
    const n = c.tokens.length;
    const ct = c.tokens;
    const mine = new Set(group);
    let lines = 0;
    for (const o of group) lines += Math.max(1, o.count);
    const outside = new Float64Array(p + s);
    const carriers = new Uint32Array(p + s);
    let others = 0;
    for (const list of this.byLength.values()) {
      for (const o of list) {
        if (mine.has(o)) continue;
        others++;
        const ot = o.tokens;
        const m = ot.length;
        for (let i = 0; i < p && i < m; i++) if (ot[i] === ct[i]) { outside[i]! += o.count; carriers[i]!++; }
        for (let j = 0; j < s && j < m; j++) if (ot[m - 1 - j] === ct[n - 1 - j]) { outside[p + j]! += o.count; carriers[p + j]!++; }
      }
    }
    let words = 0;
    for (let k = 0; k < p + s; k++) {
      const i = k < p ? k : n - 1 - (k - p);
      if (ct[i] === WILDCARD || c.shapes[i] === '') continue;
      if (outside[k]! <= lines && !(others > 0 && carriers[k] === others)) words++;
    }
    return words;
  }

  /**
   * One pattern for clusters of one event at several token counts: their shared words around the
   * gap with one <*> for it, counts and rates summed.
   */
  private spanned(root: number, g: Cluster[]): Cluster {
    const first = this.clusters.get(root) ?? g[0]!;
    const t0 = first.tokens;
    let m = Infinity;
    for (const o of g) m = Math.min(m, o.tokens.length);
    let p = 0;
    while (p < m - 1 && g.every((o) => o.tokens[p] === t0[p])) p++;
    let s = 0;
    while (s < m - 1 - p && g.every((o) => o.tokens[o.tokens.length - 1 - s] === t0[t0.length - 1 - s])) s++;
    const tokens = [...t0.slice(0, p), WILDCARD, ...t0.slice(t0.length - s)];
    const sum: Cluster = { ...first, tokens, key: tokens.join(' '), count: 0, firstSeen: undefined, lastSeen: undefined, rateWidth: this.rateBucketMs, rateStarts: [], rateCounts: [] };
    for (const o of g) {
      sum.count += o.count;
      if (o.firstSeen !== undefined && (sum.firstSeen === undefined || o.firstSeen < sum.firstSeen)) sum.firstSeen = o.firstSeen;
      if (o.lastSeen !== undefined && (sum.lastSeen === undefined || o.lastSeen > sum.lastSeen)) sum.lastSeen = o.lastSeen;
      while (sum.rateWidth < o.rateWidth) this.widen(sum);
      for (let i = 0; i < o.rateStarts.length; i++) this.addRate(sum, o.rateStarts[i]!, o.rateCounts[i]!);
    }
    return sum;
  }

  /**
   * After positions of c became variables, other clusters of its length that differ from it only
   * there (or only softly) are lines of the same event that arrived before the family showed its
   * variability, or were judged before it did: they join c.
   */
  private absorbCovered(c: Cluster): Cluster {
    const list = this.byLength.get(c.tokens.length);
    if (!list) return c;
    const n = c.tokens.length;
    const covered: Cluster[] = [];
    outer: for (const o of list) {
      if (o === c) continue;
      for (let i = 0; i < n; i++) {
        const a = c.tokens[i]!;
        if (a === WILDCARD || a === o.tokens[i]) continue;
        const sa = c.shapes[i]!;
        const sb = o.shapes[i]!;
        if (sa !== '' && sb !== '' && sa !== sb) continue outer;
      }
      covered.push(o);
    }
    if (covered.length === 0) return c;
    for (const o of covered) {
      for (let i = 0; i < n; i++) {
        if (c.tokens[i] !== o.tokens[i] && c.tokens[i] !== WILDCARD) this.widenAt(c, i);
      }
      this.absorb(c, o);
    }
    return this.rekey(c);
  }

  /** Fold `from` into `into`: counts, time range, rate histogram; `from` disappears. */
  /** Position i of c becomes <*>; the word it held is remembered as one value seen there. */
  private widenAt(c: Cluster, i: number): void {
    if (c.shapes[i] !== '') remember(c, i, c.tokens[i]!);
    c.tokens[i] = WILDCARD;
    c.shapes[i] = '';
  }

  private absorb(into: Cluster, from: Cluster): void {
    for (let i = 0; i < into.tokens.length && i < from.tokens.length; i++) {
      if (into.tokens[i] !== WILDCARD) continue;
      if (from.shapes[i] !== '') remember(into, i, from.tokens[i]!);
      const fs = from.seen?.[i];
      if (fs) for (const w of fs) remember(into, i, w);
    }
    into.count += from.count;
    if (from.firstSeen !== undefined && (into.firstSeen === undefined || from.firstSeen < into.firstSeen)) {
      into.firstSeen = from.firstSeen;
    }
    if (from.lastSeen !== undefined && (into.lastSeen === undefined || from.lastSeen > into.lastSeen)) {
      into.lastSeen = from.lastSeen;
    }
    if (from.lastSeq > into.lastSeq) into.lastSeq = from.lastSeq;
    if (from.id < into.id) into.example = from.example;
    while (into.rateWidth < from.rateWidth) this.widen(into);
    for (let i = 0; i < from.rateStarts.length; i++) this.addRate(into, from.rateStarts[i]!, from.rateCounts[i]!);
    const up = this.span.get(from.id);
    if (up !== undefined && !this.span.has(into.id) && this.merged(up) !== into.id) this.span.set(into.id, up);
    this.remove(from);
    this.span.delete(from.id);
    this.setAlias(from.id, into.id);
  }

  private setAlias(from: number, to: number): void {
    this.alias.set(from, to);
    const cap = this.maxClusters * 4;
    if (this.alias.size > cap) {
      // forget the oldest merges; ids that old resolve to themselves
      let drop = this.alias.size - cap;
      for (const k of this.alias.keys()) {
        if (drop-- <= 0) break;
        this.alias.delete(k);
      }
    }
  }

  private remove(c: Cluster): void {
    this.bump(c.tokens.length);
    c.live = false;
    this.clusters.delete(c.id);
    if (this.byTemplate.get(c.key) === c) this.byTemplate.delete(c.key);
    const list = this.byLength.get(c.tokens.length);
    if (list) {
      const i = list.indexOf(c);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.byLength.delete(c.tokens.length);
    }
  }

  /**
   * One shared, flat copy per distinct token: clusters compare tokens position by position all
   * the time, and equal tokens that are one object compare at once (unequal ones by their cached
   * hashes). Bounded: past INTERN_MAX the pool starts over (comparisons stay correct, only slower).
   */
  private intern(t: string): string {
    const known = this.pool.get(t);
    if (known !== undefined) return known;
    if (this.pool.size >= INTERN_MAX) this.pool.clear();
    const flat = detach(t);
    this.pool.set(flat, flat);
    return flat;
  }

  private create(toks: string[], shapes: string[], key: string, message: string): Cluster {
    const c: Cluster = {
      id: this.nextId++,
      tokens: toks.map((t) => this.intern(t)),
      shapes: shapes.map((t) => this.intern(t)),
      key,
      count: 0,
      firstSeen: undefined,
      lastSeen: undefined,
      example: detach(message.length > EXAMPLE_MAX ? message.slice(0, EXAMPLE_MAX) : message),
      rateWidth: this.rateBucketMs,
      rateStarts: [],
      rateCounts: [],
      lastSeq: this.seq,
      mark: 0,
      looked: -1,
      seen: undefined,
      live: true,
    };
    this.bump(toks.length);
    this.clusters.set(c.id, c);
    this.byTemplate.set(key, c);
    let list = this.byLength.get(toks.length);
    if (!list) this.byLength.set(toks.length, (list = []));
    list.push(c);
    return c;
  }

  /** Drop the least recently seen tenth of the clusters (amortizes the sort). */
  private evict(): void {
    const all = [...this.clusters.values()].sort((a, b) => a.lastSeq - b.lastSeq);
    const target = Math.max(0, this.maxClusters - Math.max(1, Math.floor(this.maxClusters / 10)));
    for (let i = 0; i < all.length - target; i++) {
      this.evictedClusters++;
      this.evictedLines += all[i]!.count;
      this.remove(all[i]!);
    }
  }

  // ---- counts and rates ---------------------------------------------------------------------------

  private touch(c: Cluster, ts?: number): void {
    c.count++;
    c.lastSeq = this.seq;
    if (ts === undefined || !Number.isFinite(ts)) return;
    if (c.firstSeen === undefined || ts < c.firstSeen) c.firstSeen = ts;
    if (c.lastSeen === undefined || ts > c.lastSeen) c.lastSeen = ts;
    this.addRate(c, ts, 1);
  }

  private addRate(c: Cluster, ts: number, n: number): void {
    const start = Math.floor(ts / c.rateWidth) * c.rateWidth;
    const starts = c.rateStarts;
    const counts = c.rateCounts;
    const last = starts.length - 1;
    if (last >= 0 && starts[last] === start) {
      counts[last]! += n;
      return;
    }
    if (last < 0 || starts[last]! < start) {
      starts.push(start);
      counts.push(n);
    } else {
      // out of order: binary search
      let lo = 0;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid]! < start) lo = mid + 1;
        else hi = mid;
      }
      if (starts[lo] === start) counts[lo]! += n;
      else {
        starts.splice(lo, 0, start);
        counts.splice(lo, 0, n);
      }
    }
    while (c.rateStarts.length > this.maxRateBuckets) this.widen(c);
  }

  /** Double c's bucket width, merging buckets that now share a start. */
  private widen(c: Cluster): void {
    const w = c.rateWidth * 2;
    const starts: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < c.rateStarts.length; i++) {
      const s = Math.floor(c.rateStarts[i]! / w) * w;
      const k = starts.length - 1;
      if (k >= 0 && starts[k] === s) counts[k]! += c.rateCounts[i]!;
      else {
        starts.push(s);
        counts.push(c.rateCounts[i]!);
      }
    }
    c.rateWidth = w;
    c.rateStarts = starts;
    c.rateCounts = counts;
  }
}

/** Mine a batch of lines with one fresh miner; patterns sorted by count desc. */
export function minePatterns(
  lines: Iterable<{ message: string; timestampMs?: number }>,
  opts?: MinerOptions,
): Pattern[] {
  const m = new PatternMiner(opts);
  for (const l of lines) m.add(l.message, l.timestampMs);
  return m.patterns();
}
