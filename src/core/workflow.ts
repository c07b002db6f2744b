/**
 * Workflows, the pure part: a template (steps as command lines with placeholders) → a plan for an environment,
 * and a run record → the first unfinished step. No I/O: the ops-manager loads templates, runs and persists.
 */
export interface StepTemplate {
  id: string;
  title: string;
  run: string;
  /** Run with --dry-run and stop for a person to confirm and apply. */
  human?: boolean;
  /** One step per environment (sre_health_review). */
  each_env?: boolean;
  /** Runs only when this holds: `steps.ID.FIELD == VALUE` (or `!=`); otherwise skipped with the reason. */
  when?: string;
}

export interface WorkflowTemplate {
  name: string;
  description: string;
  /** Run variables the steps read as {vars.NAME}: name → the form of its value, for the hint when one is missing. */
  vars: Record<string, string>;
  steps: StepTemplate[];
}

export interface PlannedStep {
  key: string;
  id: string;
  title: string;
  run: string;
  env: string;
  human: boolean;
  when?: string;
  /** Why the step will not run (its command family is not installed). */
  skip?: string;
}

export type StepStatus = 'running' | 'done' | 'skipped' | 'handoff' | 'failed';

export interface StepResult {
  key: string;
  command: string;
  status: StepStatus;
  exitCode?: number;
  verdict?: string;
  summary?: string;
  reason?: string;
  /** The step's JSON report, for {steps.ID.FIELD} placeholders of later steps. */
  json?: unknown;
  at: string;
}

export interface RunRecord {
  schema: 'helm-cloud/workflow-run@1';
  id: string;
  workflow: string;
  env: string;
  startedAt: string;
  status: 'running' | 'stopped' | 'done';
  /** --var values, kept so a resume reuses them (a --var given on resume overrides). */
  vars?: Record<string, string>;
  steps: StepResult[];
}

const NAME = /^[a-z][a-z0-9_]*$/;
const WHEN = /^steps\.([a-z][a-z0-9_]*)((?:\.[A-Za-z0-9_-]+)+)\s*(==|!=)\s*(\S+)$/;

/** `key=value` from --var; the message names the fix. */
export function parseVar(arg: string): { key: string; value: string } | { error: string } {
  const i = arg.indexOf('=');
  const key = i < 0 ? arg : arg.slice(0, i);
  if (i < 0 || !NAME.test(key)) return { error: `bad --var "${arg.slice(0, 60)}": use --var NAME=VALUE with a lower-case NAME, e.g. --var canary=orders-api@3` };
  return { key, value: arg.slice(i + 1) };
}

export function checkTemplate(t: unknown, file: string): WorkflowTemplate {
  const bad = (field: string, fix: string) => new Error(`${file}: ${field}: ${fix}`);
  const o = t as Partial<WorkflowTemplate>;
  if (!o || typeof o.name !== 'string' || !/^[a-z][a-z0-9_-]{0,63}$/.test(o.name)) throw bad('name', 'a lower-case name');
  if (!Array.isArray(o.steps) || o.steps.length === 0) throw bad('steps', 'at least one [[steps]] table');
  const vars = (o.vars ?? {}) as Record<string, unknown>;
  if (typeof vars !== 'object' || Array.isArray(vars)) throw bad('vars', 'a table of NAME = "the form of its value"');
  for (const [k, v] of Object.entries(vars)) if (!NAME.test(k) || typeof v !== 'string') throw bad(`vars.${k}`, 'a lower-case name = "the form of its value", e.g. canary = "FUNCTION@VERSION"');
  const ids = new Set<string>();
  o.steps.forEach((s, i) => {
    if (!s || typeof s.id !== 'string' || !NAME.test(s.id)) throw bad(`steps[${i}].id`, 'a lower-case id');
    if (ids.has(s.id)) throw bad(`steps[${i}].id`, `"${s.id}" is used twice`);
    if (typeof s.run !== 'string' || !s.run.trim()) throw bad(`steps[${i}].run`, 'a helm-cloud command line');
    for (const [, p] of s.run.matchAll(/\{([^{}]*)\}/g)) {
      const [head, first] = p!.split('.');
      const known = p === 'env' || p === 'run' || (head === 'vars' && first! in vars) || (head === 'steps' && ids.has(first!));
      if (!known) throw bad(`steps[${i}].run`, head === 'vars' ? `{${p}} is not declared: add ${first} = "…" under [vars]` : head === 'steps' ? `{${p}} reads no earlier step` : `unknown placeholder {${p}}: use {env}, {run}, {vars.NAME} or {steps.ID.FIELD}`);
    }
    if (s.when !== undefined) {
      const m = typeof s.when === 'string' ? WHEN.exec(s.when.trim()) : null;
      if (!m || !ids.has(m[1]!)) throw bad(`steps[${i}].when`, 'steps.ID.FIELD == VALUE (or !=) of an earlier step, e.g. "steps.verify.verdict == FAIL"');
    }
    ids.add(s.id);
  });
  return { name: o.name, description: String(o.description ?? ''), vars: vars as Record<string, string>, steps: o.steps.map((s) => ({ ...s, title: String(s.title ?? s.id) })) };
}

/** Expands a template for an environment (or every one, for each_env steps); marks steps whose command is absent. */
export function plan(t: WorkflowTemplate, env: string, envs: string[], commands: readonly string[]): PlannedStep[] {
  return t.steps.flatMap((s) =>
    (s.each_env ? envs : [env]).map((e) => {
      const run = s.run.replaceAll('{env}', e);
      const cmd = run.trim().split(/\s+/)[0]!;
      return {
        key: s.each_env ? `${s.id}@${e}` : s.id,
        id: s.id,
        title: s.title.replaceAll('{env}', e),
        run,
        env: e,
        human: Boolean(s.human),
        ...(s.when ? { when: s.when.trim() } : {}),
        ...(commands.includes(cmd) ? {} : { skip: `the ${cmd} family is not installed in this helm-cloud` }),
      };
    }),
  );
}

/** The first step not finished (a step killed mid-run stays `running`, so it runs again). */
export function nextStep(steps: PlannedStep[], record: RunRecord): number {
  const finished = new Set(record.steps.filter((r) => r.status === 'done' || r.status === 'skipped' || r.status === 'handoff').map((r) => r.key));
  const i = steps.findIndex((s) => !finished.has(s.key));
  return i < 0 ? steps.length : i;
}

const field = (results: StepResult[], id: string, fields: string[]): unknown => {
  let v: unknown = [...results].reverse().find((r) => r.key === id || r.key.startsWith(`${id}@`))?.json;
  for (const f of fields) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[f] : undefined;
  return v;
};

/**
 * Fills {run}, {vars.NAME} and {steps.ID.a.b} from the run's variables and earlier results. `missing` names the
 * first placeholder that has no value; `vars` every run variable the line lacks (so one hint names them all).
 */
export function fill(run: string, runId: string, results: StepResult[], vars: Record<string, string> = {}): { line?: string; missing?: string; vars?: string[] } {
  let missing: string | undefined;
  const lacking: string[] = [];
  const line = run
    .replaceAll('{run}', runId)
    .replace(/\{vars\.([a-z0-9_]+)\}/g, (m, k: string) => {
      if (vars[k] !== undefined && vars[k] !== '') return vars[k]!;
      missing ??= m;
      if (!lacking.includes(k)) lacking.push(k);
      return m;
    })
    .replace(/\{steps\.([a-z0-9_@.-]+)\}/gi, (m, path: string) => {
      const [id, ...fields] = path.split('.');
      const v = field(results, id!, fields);
      if (typeof v === 'string' || typeof v === 'number') return String(v);
      missing ??= m;
      return m;
    });
  return missing ? { missing, ...(lacking.length ? { vars: lacking } : {}) } : { line };
}

/** Why a step that reads run variables nobody gave is skipped: the --var flags to pass, with the form of each. */
export function varsHint(names: string[], forms: Record<string, string>): string {
  return `no value for ${names.map((n) => `{vars.${n}}`).join(', ')}: pass ${names.map((n) => `--var ${n}=${forms[n] ?? 'VALUE'}`).join(' ')}`;
}

/** A step's `when` against earlier results: undefined when it holds, else why the step is skipped. */
export function unmet(when: string | undefined, results: StepResult[]): string | undefined {
  if (!when) return undefined;
  const [, id, path, op, want] = WHEN.exec(when)!;
  const v = field(results, id!, path!.slice(1).split('.'));
  const got = typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  const holds = op === '==' ? got === want : got !== want;
  return holds ? undefined : `only when ${when} (it is ${got ?? 'not reported'})`;
}
