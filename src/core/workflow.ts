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
}

export interface WorkflowTemplate {
  name: string;
  description: string;
  steps: StepTemplate[];
}

export interface PlannedStep {
  key: string;
  id: string;
  title: string;
  run: string;
  env: string;
  human: boolean;
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
  steps: StepResult[];
}

export function checkTemplate(t: unknown, file: string): WorkflowTemplate {
  const bad = (field: string, fix: string) => new Error(`${file}: ${field}: ${fix}`);
  const o = t as Partial<WorkflowTemplate>;
  if (!o || typeof o.name !== 'string' || !/^[a-z][a-z0-9_-]{0,63}$/.test(o.name)) throw bad('name', 'a lower-case name');
  if (!Array.isArray(o.steps) || o.steps.length === 0) throw bad('steps', 'at least one [[steps]] table');
  const ids = new Set<string>();
  o.steps.forEach((s, i) => {
    if (!s || typeof s.id !== 'string' || !/^[a-z][a-z0-9_]*$/.test(s.id)) throw bad(`steps[${i}].id`, 'a lower-case id');
    if (ids.has(s.id)) throw bad(`steps[${i}].id`, `"${s.id}" is used twice`);
    ids.add(s.id);
    if (typeof s.run !== 'string' || !s.run.trim()) throw bad(`steps[${i}].run`, 'a helm-cloud command line');
  });
  return { name: o.name, description: String(o.description ?? ''), steps: o.steps.map((s) => ({ ...s, title: String(s.title ?? s.id) })) };
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

/** Fills {run} and {steps.ID.a.b} from earlier results; undefined names the placeholder that has no value. */
export function fill(run: string, runId: string, results: StepResult[]): { line?: string; missing?: string } {
  let missing: string | undefined;
  const line = run.replaceAll('{run}', runId).replace(/\{steps\.([a-z0-9_@.-]+)\}/gi, (m, path: string) => {
    const [id, ...fields] = path.split('.');
    let v: unknown = [...results].reverse().find((r) => r.key === id || r.key.startsWith(`${id}@`))?.json;
    for (const f of fields) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[f] : undefined;
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    missing ??= m;
    return m;
  });
  return missing ? { missing } : { line };
}
