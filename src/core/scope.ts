/**
 * Scope of an investigation: free text (or an issue record) → target resources, a symptom class and a window.
 * Pure and deterministic: the same text and registry always give the same targets, in registry order.
 *
 * Matching, strongest first:
 *   1. a resource's full name ("orders-api-handler", also written "orders api handler");
 *   2. a project name ("orders") → that project's resources;
 *   3. parts of names ("api", "worker") → resources whose name has that part;
 *   4. type words alone ("Lambda", "RDS", "database") → every live resource of those types.
 * Type words named next to a name narrow it ("API function" → the lambda whose name has "api", not an API
 * Gateway). A word that matched a name is not also read as a type ("API" in "API function").
 * Only words of letters, digits, ".", "_" and "-" are ever copied into the result, so the scope is safe
 * to print and never carries user punctuation anywhere.
 */
import { closest } from './closest.js';

export const SYMPTOMS = ['errors', 'latency', 'throttling', 'timeouts', 'capacity', 'permissions'] as const;
export type Symptom = (typeof SYMPTOMS)[number];

export interface Nameable {
  type: string;
  name: string;
  project: string;
}

export interface ScopeMatch<R extends Nameable = Nameable> {
  /** The user's words that matched, e.g. "API function". */
  phrase: string;
  resource: R;
  how: 'name' | 'project' | 'name-part' | 'type' | 'issue';
}

export interface ScopeWindow {
  fromMs: number;
  toMs: number;
  /** Where the window came from: "--from/--to", "--since 2h", "issue start", "default 1h". */
  source: string;
}

export interface Scope<R extends Nameable = Nameable> {
  text: string;
  matches: ScopeMatch<R>[];
  /** Distinct targets, registry order. */
  targets: R[];
  /** The symptom classes named, first one is the main one; empty when none was named. */
  symptoms: Symptom[];
  /** Words that neither matched a resource nor said anything we understand. */
  unmatched: string[];
  window: ScopeWindow;
}

export interface ScopeInput<R extends Nameable> {
  text?: string;
  resources: readonly R[];
  /** Environment name: its word is not a name part ("errors in prod" must not pick every "*-prod"). */
  env?: string;
  issue?: { title?: string; resources?: readonly string[]; startedAtMs?: number };
  now: number;
  sinceMs?: number;
  fromMs?: number;
  toMs?: number;
  defaultWindowMs: number;
  /** Baseline kept before an issue's start, so the change at the onset is visible. */
  issueLeadMs?: number;
  /** Words naming each resource type ("database" → rds), from the resource registry. */
  typeWords: TypeWords;
}

/** Resource type → the words that name it in free text. */
export type TypeWords = Readonly<Record<string, readonly string[]>>;

export type ScopeResult<R extends Nameable> =
  | { ok: true; scope: Scope<R> }
  | { ok: false; problem: 'no-match' | 'bad-window' | 'nothing-given'; message: string; fix: string };


const SYMPTOM_WORDS: [Symptom, RegExp][] = [
  ['timeouts', /^(timeouts?|timed|timing-?out|hangs?|hanging|hung)$/],
  ['throttling', /^(throttl\w*|429|ratelimit\w*|rate-limit\w*)$/],
  ['permissions', /^(permissions?|denied|accessdenied\w*|unauthori[sz]ed|forbidden|403|iam|authz?|authori[sz]ation)$/],
  ['latency', /^(latency|latencies|slow\w*|sluggish|p9\d|p50|durations?|lag\w*|response-?times?)$/],
  ['capacity', /^(capacity|memory|oom|out-?of-?memory|cpu|disk|storage|full|connections?|saturat\w*|exhaust\w*|concurrency|scaling|limits?)$/],
  ['errors', /^(errors?|erroring|exceptions?|fail\w*|5xx|50\d|crash\w*|broken|faults?|faulting|failing)$/],
];

const STOP = new Set(
  'a an the in on of at to for from with and or is are was were be been it its this that these those my our their why what when where how who which high higher low lower lots many much some any all no not since after before during over under about into there here has have had do does did can could see seeing getting got keep keeps kept started starting start stop stopped seems again still very too up down out off new old'.split(' '),
);

const WORD_RE = /[A-Za-z0-9][A-Za-z0-9._-]*/g;

interface Word {
  raw: string;
  low: string;
}

function words(text: string): Word[] {
  return [...text.matchAll(WORD_RE)].map((m) => {
    const raw = m[0].replace(/[._-]+$/, '');
    return { raw, low: raw.toLowerCase() };
  }).filter((w) => w.raw.length > 0);
}

function parts(name: string): string[] {
  return name.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

function typesOf(typeWords: TypeWords, word: string): string[] {
  return Object.entries(typeWords)
    .filter(([, ws]) => ws.includes(word))
    .map(([t]) => t);
}

/** Finds a run of words equal to `seq`; returns its start index or -1. */
function findRun(ws: Word[], seq: string[]): number {
  outer: for (let i = 0; i + seq.length <= ws.length; i++) {
    for (let j = 0; j < seq.length; j++) if (ws[i + j]!.low !== seq[j]) continue outer;
    return i;
  }
  return -1;
}

export function resolveScope<R extends Nameable>(input: ScopeInput<R>): ScopeResult<R> {
  const text = (input.text ?? '').trim();
  const issueText = input.issue?.title ?? '';
  const all = words([text, issueText].filter(Boolean).join(' '));
  const window = resolveWindow(input);
  if ('problem' in window) return { ok: false, ...window };
  const env = input.env?.toLowerCase();
  const resources = input.resources;
  const typeOf = (word: string) => typesOf(input.typeWords, word);

  // Words split for name matching: "orders-api-handler" also as orders / api / handler.
  const flat: Word[] = all.flatMap((w) => {
    const ps = w.raw.split(/[._-]+/).filter(Boolean);
    return ps.length > 1 ? ps.map((p) => ({ raw: p, low: p.toLowerCase() })) : [w];
  });
  const used = new Set<number>(); // indexes into flat consumed as names
  const scores = new Map<R, { score: number; how: ScopeMatch['how']; at: number[] }>();
  const bump = (r: R, score: number, how: ScopeMatch['how'], at: number[]) => {
    const cur = scores.get(r) ?? { score: 0, how, at: [] };
    if (score >= 100 && cur.score < 100) cur.how = how;
    if (cur.score === 0) cur.how = how;
    cur.score += score;
    cur.at.push(...at);
    scores.set(r, cur);
  };

  const matches: ScopeMatch<R>[] = [];
  // Issue records name their resources exactly.
  for (const n of input.issue?.resources ?? []) {
    for (const r of resources) if (r.name === n) matches.push({ phrase: printableWord(n), resource: r, how: 'issue' });
  }

  // 1. full names.
  for (const r of resources) {
    const seq = parts(r.name);
    const i = findRun(flat, seq);
    if (i >= 0) {
      bump(r, 1000, 'name', range(i, seq.length));
      range(i, seq.length).forEach((k) => used.add(k));
    }
  }
  // 2. projects.
  const projects = [...new Set(resources.map((r) => r.project))];
  for (const p of projects) {
    const seq = parts(p);
    const i = findRun(flat, seq);
    if (i < 0 || seq.join('-') === env) continue;
    range(i, seq.length).forEach((k) => used.add(k));
    for (const r of resources) if (r.project === p) bump(r, 100, 'project', range(i, seq.length));
  }
  // 3. name parts.
  flat.forEach((w, i) => {
    if (w.low.length < 2 || STOP.has(w.low) || w.low === env || symptomOf(w.low)) return;
    let hit = false;
    for (const r of resources) {
      if (parts(r.name).includes(w.low)) {
        bump(r, 10, 'name-part', [i]);
        hit = true;
      }
    }
    if (hit) used.add(i);
  });

  // Type words that were not consumed as names.
  const types = new Set<string>();
  const typeAt = new Map<string, number[]>();
  flat.forEach((w, i) => {
    if (used.has(i)) return;
    for (const t of typeOf(w.low)) {
      types.add(t);
      typeAt.set(t, [...(typeAt.get(t) ?? []), i]);
    }
  });

  let chosen: R[] = [];
  if (scores.size) {
    let cands = [...scores.keys()];
    if (types.size && cands.some((r) => types.has(r.type))) cands = cands.filter((r) => types.has(r.type));
    const best = Math.max(...cands.map((r) => scores.get(r)!.score));
    // Keep the strongest tier: a full name beats a project, a project beats name parts.
    const tier = (s: number) => (s >= 1000 ? 3 : s >= 100 ? 2 : 1);
    cands = cands.filter((r) => tier(scores.get(r)!.score) === tier(best) && scores.get(r)!.score === best);
    chosen = cands;
    for (const r of chosen) {
      const s = scores.get(r)!;
      const at = new Set(s.at);
      // "API function": the adjacent type word of this resource's type belongs to the phrase.
      for (const k of typeAt.get(r.type) ?? []) if (at.has(k - 1) || at.has(k + 1)) at.add(k);
      matches.push({ phrase: phraseOf(flat, [...at]), resource: r, how: s.how });
    }
  } else if (types.size) {
    for (const r of resources) {
      if (!types.has(r.type)) continue;
      chosen.push(r);
      matches.push({ phrase: phraseOf(flat, typeAt.get(r.type) ?? []), resource: r, how: 'type' });
    }
  }

  const symptoms: Symptom[] = [];
  const unmatched: string[] = [];
  for (const [i, w] of flat.entries()) {
    const s = symptomOf(w.low, flat[i + 1]?.low);
    if (s) {
      if (!symptoms.includes(s)) symptoms.push(s);
      continue;
    }
    if (used.has(i) || typeOf(w.low).length || STOP.has(w.low) || w.low === env) continue;
    if (!unmatched.includes(w.raw)) unmatched.push(w.raw);
  }

  // Issue matches first, then text matches; one entry per resource.
  const seen = new Set<R>();
  const merged = matches.filter((m) => (seen.has(m.resource) ? false : (seen.add(m.resource), true)));
  const targets = resources.filter((r) => seen.has(r));

  if (!targets.length) {
    if (!text && !input.issue) {
      return { ok: false, problem: 'nothing-given', message: 'nothing to investigate: give a symptom ("Lambda errors in API function") or --issue', fix: nameableFix(resources) };
    }
    // Symptom words alone ("5xx errors since 14:00") mean the whole environment.
    if (symptoms.length && unmatched.length === 0 && types.size === 0 && resources.length) {
      for (const r of resources) merged.push({ phrase: 'whole environment', resource: r, how: 'type' });
      return { ok: true, scope: { text: safeScopeText(text || issueText), matches: merged, targets: [...resources], symptoms, unmatched, window } };
    }
    // Whole words first ("ordrs-workr" → orders-worker), then their parts.
    const tries = [...all.map((w) => w.raw).filter((w) => !STOP.has(w.toLowerCase()) && !symptomOf(w.toLowerCase())), ...unmatched];
    const near = tries.map((u) => closest(u, [...resources.map((r) => r.name), ...projects])).find(Boolean);
    const what = unmatched.length ? `"${unmatched.slice(0, 5).join(' ')}"` : types.size ? `type ${[...types].join('/')}` : 'the text';
    return {
      ok: false,
      problem: 'no-match',
      message: resources.length ? `${what} matches no live resource, project or resource type in this environment` : 'this environment has no live resources in the registry',
      fix: (near ? `did you mean "${near}"? ` : '') + nameableFix(resources),
    };
  }
  return { ok: true, scope: { text: safeScopeText(text || issueText), matches: merged, targets, symptoms, unmatched, window } };
}

function symptomOf(w: string, next?: string): Symptom | undefined {
  if (w === 'rate' && (next === 'limit' || next === 'limited' || next === 'exceeded' || next === 'limits')) return 'throttling';
  if (w === 'access' && next === 'denied') return 'permissions';
  for (const [s, re] of SYMPTOM_WORDS) if (re.test(w)) return s;
  return undefined;
}

function range(start: number, n: number): number[] {
  return Array.from({ length: n }, (_, k) => start + k);
}

function phraseOf(ws: Word[], at: number[]): string {
  return [...new Set(at)].sort((a, b) => a - b).map((i) => ws[i]!.raw).join(' ');
}

function printableWord(s: string): string {
  return (s.match(WORD_RE) ?? []).join(' ').slice(0, 120);
}

/** The scope's echo of the user's text: words only, bounded. */
function safeScopeText(s: string): string {
  return words(s).map((w) => w.raw).join(' ').slice(0, 200);
}

function nameableFix(resources: readonly Nameable[]): string {
  if (!resources.length) return 'deploy something to this environment, or pick another --env';
  const types = [...new Set(resources.map((r) => r.type))];
  const projects = [...new Set(resources.map((r) => r.project))];
  const names = resources.map((r) => r.name);
  const list = (xs: string[], n: number) => xs.slice(0, n).join(', ') + (xs.length > n ? `, … (${xs.length - n} more)` : '');
  return `name a resource (${list(names, 12)}), a project (${list(projects, 8)}) or a type (${types.join(', ')})`;
}

export function resolveWindow(input: Pick<ScopeInput<Nameable>, 'now' | 'sinceMs' | 'fromMs' | 'toMs' | 'defaultWindowMs' | 'issue' | 'issueLeadMs'>):
  | ScopeWindow
  | { problem: 'bad-window'; message: string; fix: string } {
  if (input.sinceMs !== undefined && input.fromMs !== undefined) {
    return { problem: 'bad-window', message: '--since and --from both given', fix: 'use --since 2h, or --from T [--to T]' };
  }
  const toMs = input.toMs ?? input.now;
  let fromMs: number;
  let source: string;
  if (input.fromMs !== undefined) {
    fromMs = input.fromMs;
    source = input.toMs !== undefined ? '--from/--to' : '--from';
  } else if (input.sinceMs !== undefined) {
    fromMs = toMs - input.sinceMs;
    source = `--since ${human(input.sinceMs)}`;
  } else if (input.issue?.startedAtMs !== undefined && input.issue.startedAtMs < toMs) {
    const lead = input.issueLeadMs ?? 30 * 60_000;
    fromMs = input.issue.startedAtMs - lead;
    source = `issue start − ${human(lead)}`;
  } else {
    fromMs = toMs - input.defaultWindowMs;
    source = `default ${human(input.defaultWindowMs)}`;
  }
  if (!(fromMs < toMs)) return { problem: 'bad-window', message: 'the window is empty: its start is not before its end', fix: 'give --from earlier than --to' };
  if (fromMs > input.now) return { problem: 'bad-window', message: 'the window starts in the future', fix: 'give a --from in the past' };
  return { fromMs, toMs, source };
}

export function human(ms: number): string {
  const units: [string, number][] = [['d', 86400e3], ['h', 3600e3], ['m', 60e3], ['s', 1e3]];
  for (const [u, n] of units) if (ms >= n && ms % n === 0) return `${ms / n}${u}`;
  for (const [u, n] of units) if (ms >= n) return `${(ms / n).toFixed(1)}${u}`;
  return `${ms}ms`;
}
