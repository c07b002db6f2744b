/**
 * Deterministic reading of a free-text remediation request ("increase RDS max connections to 200") into
 * action, target and parameters. Pure and table-driven: the phrase rules the actions declare (tried in order),
 * numbers with units, and targets resolved only against the registry resources handed in — it never invents a
 * target. Anything it cannot read exactly is refused with the reason and examples (the caller exits 2); a
 * refusal of the value ("2.5 replicas") waits for the target, so that it is worded by the action and the type the
 * request resolved to, never by another action reading the same verb.
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

/** `fix`: how to say it instead, when the refusal knows; `examples`: requests the refusing action reads (else all). */
export type ParseResult = { ok: true; reading: Reading } | { ok: false; reason: string; fix?: string; candidates?: string[]; examples: string[] };

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

export type PhraseReading = { params: Record<string, string>; said: string; paramsFor?: (type: string) => Record<string, string> } | Refusal;

/** A request a rule recognises but cannot accept: what is wrong with it, and how to say it instead. */
export interface Refusal {
  refuse: string;
  fix?: string;
  /** The refusal in the words of the target's type once it is known (tasks for ECS, reserved concurrency for Lambda). */
  refuseFor?: (type: string) => { refuse: string; fix?: string };
}

/** What a rule calls the value it reads: one name, or a name per target type (with one for a target not yet known). */
export type ValueName = string | { neutral: string; byType: Readonly<Record<string, string>> };

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
  needNumber(what: ValueName): Refusal;
  /** The refusal for a target value that is not a whole number (`num` is one). */
  needWhole(what: ValueName): Refusal;
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

/** One action's reading of the text (or its refusal): `paramsFor` gives the params once the target's type is known. */
type ActionReading = PhraseReading & { action: string };

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

/** A refusal worded with the value's name, and again per target type when the name depends on it. */
function worded(what: ValueName, say: (name: string) => { refuse: string; fix?: string }): Refusal {
  if (typeof what === 'string') return say(what);
  return { ...say(what.neutral), refuseFor: (type) => say(what.byType[type] ?? what.neutral) };
}

/**
 * The readings of the first rule that reads the text (a refusal too), then those of the other actions' rules
 * with the same verb: the type of the target decides among them.
 */
function intentOf(t: string, grammar: Grammar): ActionReading[] | undefined {
  const num = targetNumber(t);
  const tools: PhraseTools = {
    num,
    needNumber: (what) =>
      worded(what, (name) =>
        num && 'relative' in num
          ? { refuse: `"by" a relative amount is not supported for ${name}`, fix: 'give the value it should have: "to <number>"' }
          : { refuse: `no target value for ${name}`, fix: 'say "to <number>"' },
      ),
    needWhole: (what) => {
      const v = num && 'value' in num ? num.value : NaN;
      return worded(what, (name) => ({ refuse: `${name} must be a whole number, not ${v}`, fix: `say "to ${Math.floor(v)}" or "to ${Math.ceil(v)}"` }));
    },
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
    const readings: ActionReading[] = [{ action, ...r }];
    if (rule.verb) {
      for (const other of rules) {
        if (other.rule.verb !== rule.verb || readings.some((a) => a.action === other.action)) continue;
        const o = other.rule.read(t, tools);
        if (o) readings.push({ action: other.action, ...o });
      }
    }
    return readings;
  }
  return undefined;
}

function rulesOf(grammar: Grammar) {
  return grammar.actions.flatMap((a) => a.phrases.rules.map((rule) => ({ action: a.id, rule }))).sort((x, y) => x.rule.order - y.rule.order);
}

/** Requests the registered actions (or the one `action`) read, in registry order: shown when a request cannot be read. */
export function examplesOf(grammar: Grammar, action?: string): string[] {
  return grammar.actions.filter((a) => action === undefined || a.id === action).flatMap((a) => a.phrases.rules.flatMap((r) => (r.example ? [r.example] : [])));
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

  const readings = intentOf(t, grammar);
  if (!readings) return refuse('no remediation recognised (restart, scale, increase, roll back, clear cache, set a DB parameter)');
  const types = [...new Set(readings.flatMap((x) => appliesTo[x.action] ?? []))];
  const describe = (r: NlResource) => `${r.name} (${r.type}, project ${r.project})`;
  /** A refusal of the value, in the words of the action (and the target) the request is about. */
  const refusedBy = (action: string, w: { refuse: string; fix?: string }, r?: NlResource): ParseResult => ({
    ok: false,
    reason: `${action}${r ? ` on ${describe(r)}` : ''}: ${w.refuse}`,
    ...(w.fix ? { fix: w.fix } : {}),
    examples: examplesOf(grammar, action),
  });

  const picked = pickTarget(t, resources, readings.map((x) => x.action).join('/'), types, TYPE_WORDS, intentWords, describe);
  if ('reason' in picked) {
    // The only action that reads the request refuses its value: say that first (the target comes after).
    const only = readings.length === 1 ? readings[0]! : undefined;
    return only && 'refuse' in only ? refusedBy(only.action, only) : refuse(picked.reason, picked.candidates);
  }
  const r = picked.resource;
  // The first reading whose action applies to the target's type (the pool holds only such types).
  const reading = readings.find((x) => (appliesTo[x.action] ?? []).includes(r.type))!;
  if ('refuse' in reading) return refusedBy(reading.action, reading.refuseFor?.(r.type) ?? reading, r);
  const params = reading.paramsFor ? reading.paramsFor(r.type) : { ...reading.params };
  const ps = Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ');
  return {
    ok: true,
    reading: { action: reading.action, target: r.name, params, readAs: `${reading.said} → ${reading.action} on ${describe(r)} [${picked.how}]${ps ? `; params ${ps}` : ''}` },
  };
}

/**
 * The one registry resource the request names, among those of `types` (the types the reading actions apply to),
 * with how it was found; or why none can be picked, with the candidates.
 */
function pickTarget(
  t: string,
  resources: readonly NlResource[],
  actionName: string,
  types: string[],
  wordTypes: Record<string, string[]>,
  intentWords: Set<string>,
  describe: (r: NlResource) => string,
): { resource: NlResource; how: string } | { reason: string; candidates?: string[] } {
  const textWords = words(t);
  // Type words count only outside resource names ("api" in "api-worker" names a resource, not API Gateway),
  // and a word that means one type ("redis") is more specific than one that means several ("cache").
  let rest = t;
  for (const r of resources) rest = rest.split(r.name.toLowerCase()).join(' ');
  const restWords = words(rest);
  const namedAll = new Set(restWords.flatMap((w) => wordTypes[w] ?? []));
  const specific = new Set(restWords.filter((w) => wordTypes[w]?.length === 1).flatMap((w) => wordTypes[w]!).filter((ty) => types.includes(ty)));
  const named = specific.size ? specific : new Set([...namedAll].filter((ty) => types.includes(ty)));
  if (namedAll.size && !named.size) {
    return { reason: `${actionName} applies to ${types.join(' or ')}, but the request names ${[...namedAll].join('/')}` };
  }
  const pool = resources.filter((r) => types.includes(r.type) && (named.size === 0 || named.has(r.type)));
  if (!pool.length) {
    return { reason: `${actionName} applies to ${types.join(' or ')}, and the registry holds none${named.size ? ` of type ${[...named].join('/')}` : ''} in this environment`, candidates: resources.map(describe) };
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
      const grammar = new Set(Object.keys(wordTypes).map(plural));
      const leftover = textWords.filter((w) => !STOP.has(w) && !/^\d/.test(w) && !grammar.has(plural(w)) && !intentWords.has(plural(w)));
      if (pool.length === 1 && leftover.length === 0) {
        chosen = pool;
        how = `the only ${pool[0]!.type} in this environment`;
      } else if (leftover.length) {
        return { reason: `no ${types.join('/')} resource in the registry matches ${leftover.map((w) => `"${w}"`).join(', ')}`, candidates: pool.map(describe) };
      } else {
        return { reason: `which resource? ${pool.length} ${types.join('/')} resources could be meant; name one`, candidates: pool.map(describe) };
      }
    }
  }
  if (chosen.length > 1) return { reason: `the request matches ${chosen.length} resources; name one`, candidates: chosen.map(describe) };
  return { resource: chosen[0]!, how };
}

/**
 * Words of the request's grammar that belong to no one action (amounts, units, urgency, environments); each
 * action adds its own (`phrases.words`). Used to tell "no name given" from "an unknown name".
 */
const GRAMMAR_WORDS = (
  'increase raise bump grow add more higher boost double set change max maximum limit size type ' +
  'mb gb tb s sec secs second seconds min mins minute minutes ms again quickly immediately now prod production test staging'
).split(' ');
