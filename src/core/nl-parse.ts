/**
 * Deterministic reading of a free-text remediation request ("increase RDS max connections to 200") into
 * action, target and parameters. Pure and table-driven: the phrase rules the actions declare (tried in order),
 * numbers with units, and targets resolved only against the registry resources handed in — it never invents a
 * target. Anything it cannot read exactly is refused with the reason and examples (the caller exits 2).
 */
export interface NlResource {
  name: string;
  type: string;
  project: string;
}

export interface Reading {
  action: string;
  target: string;
  params: Record<string, string>;
  /** One line saying how the text was read, shown in the plan. */
  readAs: string;
}

export type ParseResult = { ok: true; reading: Reading } | { ok: false; reason: string; candidates?: string[]; examples: string[] };

/**
 * One way of naming an action in a request, declared by the action (src/actions/<id>/index.ts `phrases`).
 * The rules of all actions are tried by ascending `order` (a specific reading such as "reserved concurrency"
 * must come before a general one such as "scale"); the first that reads the text decides the action.
 */
export interface PhraseRule {
  order: number;
  /**
   * Rules of different actions with the same verb read the same requests ("restart", "scale"): when the first
   * rule that reads the text has one, every action with a rule of that verb that also reads it is a candidate,
   * and the type of the resource the request names picks the action (a Lambda function restarts one way, a
   * Kubernetes Deployment another).
   */
  verb?: string;
  read(t: string, n: PhraseTools): PhraseReading | undefined;
  /** A request this rule reads, listed when a request cannot be read. */
  example?: string;
}

export type PhraseReading = { params: Record<string, string>; said: string; paramsFor?: (type: string) => Record<string, string> } | { refuse: string };

/** How an action names itself in requests: its rules, and the words of its grammar (never a resource name). */
export interface Phrases {
  rules: readonly PhraseRule[];
  words: readonly string[];
}

/** What the request grammar is made of: the registered actions' phrases and the words naming each resource type. */
export interface Grammar {
  actions: readonly { id: string; appliesTo: readonly string[]; phrases: Phrases }[];
  /** Resource type → the words that name it in a request (from the resource registry). */
  typeWords: Readonly<Record<string, readonly string[]>>;
}

/** Helpers a rule reads numbers with: the target value of the text, unit conversions, refusals. */
export interface PhraseTools {
  num: Num | { relative: true } | undefined;
  /** The refusal for a missing or relative target value of `what`. */
  needNumber(what: string): PhraseReading;
  isInt(n: number): boolean;
  memoryMb(n: Num): number | string;
  seconds(n: Num): number | string;
  storageGb(n: Num): number | string;
  /** The text asks for less (decrease, reduce, lower...). */
  decrease: boolean;
}

const STOP = new Set(
  'the a an to of on in for please our my its it at by and with up down out back from set make can you now this that is are be all new value'.split(' '),
);

/** `paramsFor`: the params once the target's type is known (a type-neutral "count" becomes the type's key). */
type Reading1 = { action: string; params: Record<string, string>; said: string; paramsFor?: (type: string) => Record<string, string> };
/** The first reading, and the other actions' readings of the same verb (the target's type decides among them). */
type Intent = (Reading1 & { alternatives: Reading1[] }) | { refuse: string };

export interface Num {
  value: number;
  unit: string;
}

/** "to 1.5 GB", "to 30s", "= 200" — the target value after "to"/"=" (or a bare number when there is one). */
function targetNumber(t: string): Num | { relative: true } | undefined {
  if (/\bby\s+\d/.test(t) && !/\bto\s+\d/.test(t)) return { relative: true };
  const m = /(?:\bto|=|\bat)\s*(\d+(?:\.\d+)?)\s*([a-z]+)?/.exec(t) ?? /(\d+(?:\.\d+)?)\s*([a-z]+)?/.exec(t);
  return m ? { value: Number(m[1]), unit: m[2] ?? '' } : undefined;
}

const isInt = (n: number) => Number.isInteger(n) && n >= 0;

function memoryMb(n: Num): number | string {
  const u = n.unit;
  const mb = /^(gb|g|gib)$/.test(u) ? n.value * 1024 : /^(mb|m|mib|)$/.test(u) ? n.value : NaN;
  return isInt(mb) ? mb : `cannot read "${n.value}${u ? ' ' + u : ''}" as a whole number of MB`;
}
function seconds(n: Num): number | string {
  const u = n.unit;
  const s = /^(s|sec|secs|second|seconds|)$/.test(u) ? n.value : /^(m|min|mins|minute|minutes)$/.test(u) ? n.value * 60 : /^(ms|milliseconds?)$/.test(u) ? n.value / 1000 : NaN;
  return isInt(s) ? s : `cannot read "${n.value}${u ? ' ' + u : ''}" as a whole number of seconds`;
}
function storageGb(n: Num): number | string {
  const u = n.unit;
  const gb = /^(gb|g|gib|)$/.test(u) ? n.value : /^(tb|t|tib)$/.test(u) ? n.value * 1024 : NaN;
  return isInt(gb) ? gb : `cannot read "${n.value}${u ? ' ' + u : ''}" as a whole number of GB`;
}

const DECREASE = /\b(decrease|reduce|lower|shrink|cut|drop)\b/;

function intentOf(t: string, grammar: Grammar): Intent | undefined {
  const num = targetNumber(t);
  const tools: PhraseTools = {
    num,
    needNumber: (what) =>
      num && 'relative' in num
        ? { refuse: `"by" a relative amount is not supported: give the target value of ${what} (e.g. "to 1024 MB")` }
        : { refuse: `no target value for ${what}: say "to <number>"` },
    isInt,
    memoryMb,
    seconds,
    storageGb,
    decrease: DECREASE.test(t),
  };
  const rules = rulesOf(grammar);
  for (const { action, rule } of rules) {
    const r = rule.read(t, tools);
    if (!r) continue;
    if ('refuse' in r) return r;
    const alternatives: Reading1[] = [];
    if (rule.verb) {
      for (const other of rules) {
        if (other.action === action || other.rule.verb !== rule.verb || alternatives.some((a) => a.action === other.action)) continue;
        const o = other.rule.read(t, tools);
        if (o && !('refuse' in o)) alternatives.push({ action: other.action, ...o });
      }
    }
    return { action, ...r, alternatives };
  }
  return undefined;
}

function rulesOf(grammar: Grammar) {
  return grammar.actions.flatMap((a) => a.phrases.rules.map((rule) => ({ action: a.id, rule }))).sort((x, y) => x.rule.order - y.rule.order);
}

/** Requests the registered actions read, in registry order: shown when a request cannot be read. */
export function examplesOf(grammar: Grammar): string[] {
  return grammar.actions.flatMap((a) => a.phrases.rules.flatMap((r) => (r.example ? [r.example] : [])));
}

function words(s: string): string[] {
  return s.split(/[^a-z0-9]+/).filter(Boolean);
}

function plural(w: string): string {
  return w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w;
}

/** Word → the resource types it names, from type → words (a word may name several: "cache"). */
function byWord(typeWords: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>; // "constructor" is no type word
  for (const [type, ws] of Object.entries(typeWords)) for (const w of ws) (out[w] ??= []).push(type);
  return out;
}

/**
 * Reads `text` with the grammar of the registered actions; words naming resource types narrow the candidates
 * when they fit the action.
 */
export function parseRequest(text: string, resources: readonly NlResource[], grammar: Grammar): ParseResult {
  const TYPE_WORDS = byWord(grammar.typeWords);
  const examples = examplesOf(grammar);
  const appliesTo = Object.fromEntries(grammar.actions.map((a) => [a.id, a.appliesTo]));
  const intentWords = new Set([...GRAMMAR_WORDS, ...grammar.actions.flatMap((a) => a.phrases.words)].map(plural));
  const refuse = (reason: string, candidates?: string[]): ParseResult => ({ ok: false, reason, ...(candidates ? { candidates } : {}), examples });
  const t = text
    .toLowerCase()
    .replace(/[\u2018\u2019\u201c\u201d"'`]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!t) return refuse('the request is empty');
  if (t.length > 300) return refuse('the request is longer than 300 characters; say one change in one sentence');

  const intent = intentOf(t, grammar);
  if (!intent) return refuse('no remediation recognised (restart, scale, increase, roll back, clear cache, set a DB parameter)');
  if ('refuse' in intent) return refuse(intent.refuse);
  const readings = [intent, ...intent.alternatives];
  const types = [...new Set(readings.flatMap((x) => appliesTo[x.action] ?? []))];
  const actionName = readings.map((x) => x.action).join('/');

  const textWords = words(t);
  // Type words count only outside resource names ("api" in "api-worker" names a resource, not API Gateway),
  // and a word that means one type ("redis") is more specific than one that means several ("cache").
  let rest = t;
  for (const r of resources) rest = rest.split(r.name.toLowerCase()).join(' ');
  const restWords = words(rest);
  const namedAll = new Set(restWords.flatMap((w) => TYPE_WORDS[w] ?? []));
  const specific = new Set(restWords.filter((w) => TYPE_WORDS[w]?.length === 1).flatMap((w) => TYPE_WORDS[w]!).filter((ty) => types.includes(ty)));
  const named = specific.size ? specific : new Set([...namedAll].filter((ty) => types.includes(ty)));
  if (namedAll.size && !named.size) {
    return refuse(`${actionName} applies to ${types.join(' or ')}, but the request names ${[...namedAll].join('/')}`);
  }
  const pool = resources.filter((r) => types.includes(r.type) && (named.size === 0 || named.has(r.type)));
  const describe = (r: NlResource) => `${r.name} (${r.type}, project ${r.project})`;
  if (!pool.length) {
    return refuse(`${actionName} applies to ${types.join(' or ')}, and the registry holds none${named.size ? ` of type ${[...named].join('/')}` : ''} in this environment`, resources.map(describe));
  }

  // 1. A full resource name written in the text wins; the longest one if names nest ("api" in "api-worker" does not count).
  const bounded = (name: string) => new RegExp(`(^|[^a-z0-9_-])${name.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9_-])`).test(t);
  const exact = pool.filter((r) => bounded(r.name));
  let chosen: NlResource[] = [];
  let how = '';
  if (exact.length) {
    const longest = Math.max(...exact.map((r) => r.name.length));
    chosen = exact.filter((r) => r.name.length === longest);
    how = 'named in the request';
  } else {
    // 2. Word overlap with resource names and project names.
    const sig = textWords.filter((w) => !STOP.has(w) && !/^\d/.test(w)).map(plural);
    const score = (r: NlResource) => {
      const toks = new Set([...words(r.name.toLowerCase()), ...words(r.project.toLowerCase())].map(plural));
      return sig.filter((w) => toks.has(w)).length;
    };
    const scored = pool.map((r) => ({ r, s: score(r) }));
    const best = Math.max(...scored.map((x) => x.s));
    if (best > 0) {
      chosen = scored.filter((x) => x.s === best).map((x) => x.r);
      const hits = sig.filter((w) => chosen.some((r) => [...words(r.name.toLowerCase()), ...words(r.project.toLowerCase())].map(plural).includes(w)));
      how = `matched ${[...new Set(hits)].map((w) => `"${w}"`).join(', ')}`;
    } else {
      // 3. No name given: only when exactly one resource fits and nothing in the text names something else.
      const grammar = new Set(Object.keys(TYPE_WORDS).map(plural));
      const leftover = textWords.filter((w) => !STOP.has(w) && !/^\d/.test(w) && !grammar.has(plural(w)) && !intentWords.has(plural(w)));
      if (pool.length === 1 && leftover.length === 0) {
        chosen = pool;
        how = `the only ${pool[0]!.type} in this environment`;
      } else if (leftover.length) {
        return refuse(`no ${types.join('/')} resource in the registry matches ${leftover.map((w) => `"${w}"`).join(', ')}`, pool.map(describe));
      } else {
        return refuse(`which resource? ${pool.length} ${types.join('/')} resources could be meant; name one`, pool.map(describe));
      }
    }
  }
  if (chosen.length > 1) return refuse(`the request matches ${chosen.length} resources; name one`, chosen.map(describe));
  const r = chosen[0]!;
  // The first reading whose action applies to the target's type (the pool holds only such types).
  const reading = readings.find((x) => (appliesTo[x.action] ?? []).includes(r.type))!;
  const params = reading.paramsFor ? reading.paramsFor(r.type) : { ...reading.params };
  const ps = Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ');
  return {
    ok: true,
    reading: { action: reading.action, target: r.name, params, readAs: `${reading.said} → ${reading.action} on ${describe(r)} [${how}]${ps ? `; params ${ps}` : ''}` },
  };
}

/**
 * Words of the request's grammar that belong to no one action (amounts, units, urgency, environments); each
 * action adds its own (`phrases.words`). Used to tell "no name given" from "an unknown name".
 */
const GRAMMAR_WORDS = (
  'increase raise bump grow add more higher boost double set change max maximum limit size type ' +
  'mb gb tb s sec secs second seconds min mins minute minutes ms again quickly immediately now prod production test staging'
).split(' ');
