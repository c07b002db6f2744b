/**
 * Alert correlation: which firing alerts probably share a cause. Deterministic and explainable: every link
 * between two alerts is a sum of named pieces of evidence, each with a fixed weight, and two alerts are linked
 * when the sum reaches LINK_SCORE and they started within the window of each other. Groups are the connected
 * components of the links; each group names its probable cause. No learning, no randomness.
 *
 * Evidence (weights): same resource 0.7; both started within the window after the same deploy of their project
 * 0.7; same project 0.3; a shared rare label (carried by few of the alerts, so it is specific) 0.6; started
 * within a third of the window 0.1. One piece of strong evidence links; weak ones only together.
 */
export interface CorrelationAlert {
  id: string;
  name: string;
  startsAt: number;
  labels: Record<string, string>;
  resource?: string;
  project?: string;
}

export interface CorrelationDeploy {
  id: string;
  project: string;
  atMs: number;
  version?: string;
  resources: string[];
}

export interface Evidence {
  kind: 'same-resource' | 'same-deploy' | 'same-project' | 'shared-label' | 'close-in-time';
  weight: number;
  detail: string;
}

export interface AlertGroup {
  alerts: string[];
  firstAt: number;
  cause: { kind: 'deploy' | 'resource' | 'label' | 'project' | 'none'; summary: string; deploy?: string };
  evidence: { between: [string, string]; score: number; evidence: Evidence[] }[];
}

export const LINK_SCORE = 0.6;
const W = { resource: 0.7, deploy: 0.7, project: 0.3, label: 0.6, time: 0.1 } as const;
/** Labels that say nothing about a cause: every alert has them, or they name the alert or the kind of metric. */
const GENERIC = new Set(['alertname', 'alarm', 'severity', 'env', 'environment', 'prometheus', 'monitor', 'receiver', 'helm_cloud_id', 'source', 'namespace', 'metric', 'metric_name', '__name__']);

/** The latest deploy of the alert's project (touching its resource when it names one) within `windowMs` before it. */
export function causingDeploy(a: CorrelationAlert, deploys: readonly CorrelationDeploy[], windowMs: number): CorrelationDeploy | undefined {
  let best: CorrelationDeploy | undefined;
  for (const d of deploys) {
    if (!a.project || d.project !== a.project) continue;
    if (a.resource && d.resources.length && !d.resources.includes(a.resource)) continue;
    if (d.atMs > a.startsAt || a.startsAt - d.atMs > windowMs) continue;
    if (!best || d.atMs > best.atMs) best = d;
  }
  return best;
}

export function correlate(alerts: readonly CorrelationAlert[], deploys: readonly CorrelationDeploy[], windowMs: number): AlertGroup[] {
  const list = [...alerts].sort((a, b) => a.startsAt - b.startsAt || a.id.localeCompare(b.id));
  // A shared label value is specific evidence when few alerts carry it (at most max(2, 15 %)), or when it comes in
  // a burst: most of its carriers (75 %) started within the window of the pair, yet they are at most half of the
  // alerts of that window (a tag every alert of the moment carries tells nothing).
  const carriers = new Map<string, number[]>();
  for (const a of list) for (const [k, v] of Object.entries(a.labels)) if (!GENERIC.has(k)) carriers.set(`${k}=${v}`, [...(carriers.get(`${k}=${v}`) ?? []), a.startsAt]);
  const rareLimit = Math.max(2, Math.floor(list.length * 0.15));
  const specific = (label: string, at: number) => {
    const c = carriers.get(label) ?? [];
    if (c.length <= rareLimit) return true;
    const near = c.filter((t) => Math.abs(t - at) <= windowMs).length;
    const all = list.filter((x) => Math.abs(x.startsAt - at) <= windowMs).length;
    return near / c.length >= 0.75 && near <= all / 2;
  };
  const deployOf = new Map(list.map((a) => [a.id, causingDeploy(a, deploys, windowMs)]));

  const parent = list.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const links: AlertGroup['evidence'] = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i]!;
      const b = list[j]!;
      const dt = b.startsAt - a.startsAt;
      if (dt > windowMs) break; // sorted by start: nothing later is within the window either
      const ev: Evidence[] = [];
      if (a.resource && a.resource === b.resource) ev.push({ kind: 'same-resource', weight: W.resource, detail: `both on ${a.resource}` });
      const da = deployOf.get(a.id);
      if (da && da === deployOf.get(b.id)) ev.push({ kind: 'same-deploy', weight: W.deploy, detail: `both began within ${Math.round(windowMs / 60_000)}m after deploy ${da.id} of ${da.project}` });
      else if (a.project && a.project === b.project) ev.push({ kind: 'same-project', weight: W.project, detail: `same project ${a.project}` });
      const shared = Object.entries(a.labels).filter(([k, v]) => !GENERIC.has(k) && b.labels[k] === v && specific(`${k}=${v}`, a.startsAt));
      if (shared.length) ev.push({ kind: 'shared-label', weight: W.label, detail: `shared ${shared.map(([k, v]) => `${k}=${v} (${carriers.get(`${k}=${v}`)!.length} of ${list.length} alerts carry it)`).join(', ')}` });
      if (dt <= windowMs / 3) ev.push({ kind: 'close-in-time', weight: W.time, detail: `started ${Math.round(dt / 60_000)}m apart` });
      const score = Math.round(ev.reduce((s, e) => s + e.weight, 0) * 100) / 100;
      if (score >= LINK_SCORE) {
        links.push({ between: [a.id, b.id], score, evidence: ev });
        parent[find(j)] = find(i);
      }
    }
  }

  const members = new Map<number, CorrelationAlert[]>();
  list.forEach((a, i) => members.set(find(i), [...(members.get(find(i)) ?? []), a]));
  const groups: AlertGroup[] = [];
  for (const m of members.values()) {
    const ids = new Set(m.map((a) => a.id));
    const evidence = links.filter((l) => ids.has(l.between[0]));
    groups.push({ alerts: m.map((a) => a.id), firstAt: m[0]!.startsAt, cause: causeOf(m, evidence, deployOf), evidence });
  }
  return groups.sort((a, b) => b.alerts.length - a.alerts.length || a.firstAt - b.firstAt || a.alerts[0]!.localeCompare(b.alerts[0]!));
}

function causeOf(m: CorrelationAlert[], evidence: AlertGroup['evidence'], deployOf: Map<string, CorrelationDeploy | undefined>): AlertGroup['cause'] {
  const count = (kind: Evidence['kind']) => evidence.filter((l) => l.evidence.some((e) => e.kind === kind)).length;
  const deploys = [...new Set(m.map((a) => deployOf.get(a.id)).filter(Boolean))] as CorrelationDeploy[];
  if (m.length > 1 && count('same-deploy') && deploys.length) {
    const d = deploys.sort((a, b) => m.filter((x) => deployOf.get(x.id) === b).length - m.filter((x) => deployOf.get(x.id) === a).length)[0]!;
    const lag = Math.round((m.find((a) => deployOf.get(a.id) === d)!.startsAt - d.atMs) / 60_000);
    return { kind: 'deploy', deploy: d.id, summary: `deploy ${d.id} of ${d.project}${d.version ? ` (${d.version})` : ''}, ${lag}m before the first alert` };
  }
  const resources = new Set(m.map((a) => a.resource));
  if (m.length > 1 && resources.size === 1 && m[0]!.resource) return { kind: 'resource', summary: `a fault of ${m[0]!.resource}` };
  if (m.length > 1 && count('shared-label')) {
    const labels = new Map<string, number>();
    for (const a of m) for (const [k, v] of Object.entries(a.labels)) if (!GENERIC.has(k) && m.filter((b) => b.labels[k] === v).length > 1) labels.set(`${k}=${v}`, m.filter((b) => b.labels[k] === v).length);
    const top = [...labels.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    if (top) return { kind: 'label', summary: `a shared dependency: ${top[0]} (${top[1]} of ${m.length} alerts)` };
  }
  if (m.length > 1 && m[0]!.project && m.every((a) => a.project === m[0]!.project)) return { kind: 'project', summary: `project ${m[0]!.project}` };
  return { kind: 'none', summary: m.length > 1 ? 'related by timing and labels' : 'unrelated to the other firing alerts' };
}

/** Pairwise precision and recall of predicted groups against true groups (pairs of alerts put together). */
export function pairwiseScores(predicted: readonly string[][], truth: readonly string[][]): { precision: number; recall: number; predictedPairs: number; truePairs: number } {
  const pairs = (groups: readonly string[][]) => {
    const s = new Set<string>();
    for (const g of groups) {
      const sorted = [...g].sort();
      for (let i = 0; i < sorted.length; i++) for (let j = i + 1; j < sorted.length; j++) s.add(`${sorted[i]}\u0000${sorted[j]}`);
    }
    return s;
  };
  const p = pairs(predicted);
  const t = pairs(truth);
  let hit = 0;
  for (const x of p) if (t.has(x)) hit++;
  return { precision: p.size ? hit / p.size : 1, recall: t.size ? hit / t.size : 1, predictedPairs: p.size, truePairs: t.size };
}
