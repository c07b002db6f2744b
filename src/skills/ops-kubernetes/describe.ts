/**
 * `describe KIND NAME`: what `kubectl describe` tells a person, as data (sections of key/value lines) that
 * renders to text or Markdown — status, conditions, containers with image, limits and probes, pods, and
 * recent events. Pure: API objects and `now` in.
 */
import { renderTable } from '../../report/table.js';
import { age, isTerminal, podStatusWord, rolloutState, summarizePod, workloadCounts } from '../../core/k8s-workload.js';
import { eventMs, tsMs, type K8sCondition, type K8sContainer, type K8sContainerStatus, type K8sEvent, type K8sNode, type K8sPod, type K8sProbe, type K8sRevision, type K8sService, type K8sWorkload } from '../../core/k8s-types.js';

export interface DescribeSection {
  title: string;
  /** key/value lines; a value-only line has key "". */
  lines: [string, string][];
  /** A table (conditions, pods, events). */
  table?: { headers: string[]; rows: string[][] };
}

export interface Description {
  kind: string;
  name: string;
  namespace?: string;
  sections: DescribeSection[];
}

const kv = (k: string, v: unknown): [string, string] => [k, v === undefined || v === null || v === '' ? '<none>' : String(v)];
const labels = (m: Record<string, string> | undefined) => (m && Object.keys(m).length ? Object.entries(m).map(([k, v]) => `${k}=${v}`).join(', ') : '<none>');

export function probeText(p: K8sProbe | undefined): string | undefined {
  if (!p) return undefined;
  const how = p.httpGet
    ? `http-get ${p.httpGet.scheme === 'HTTPS' ? 'https' : 'http'}://:${p.httpGet.port ?? '?'}${p.httpGet.path ?? '/'}`
    : p.tcpSocket
      ? `tcp-socket :${p.tcpSocket.port ?? '?'}`
      : p.exec
        ? `exec [${(p.exec.command ?? []).join(' ')}]`
        : p.grpc
          ? `grpc :${p.grpc.port ?? '?'}`
          : 'unknown';
  return `${how} delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
}

function stateText(s: K8sContainerStatus['state'], now: number): string {
  if (!s) return '<unknown>';
  if (s.running) return `Running (started ${age(tsMs(s.running.startedAt), now)} ago)`;
  if (s.waiting) return `Waiting: ${s.waiting.reason ?? '?'}${s.waiting.message ? ` — ${s.waiting.message}` : ''}`;
  if (s.terminated) return `Terminated: ${s.terminated.reason ?? '?'} (exit ${s.terminated.exitCode ?? '?'})${s.terminated.finishedAt ? `, finished ${age(tsMs(s.terminated.finishedAt), now)} ago` : ''}`;
  return '<unknown>';
}

function containerSection(c: K8sContainer, status: K8sContainerStatus | undefined, now: number): DescribeSection {
  const lines: [string, string][] = [kv('Image', c.image)];
  if (c.ports?.length) lines.push(kv('Ports', c.ports.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`).join(', ')));
  if (c.command?.length) lines.push(kv('Command', c.command.join(' ')));
  if (c.args?.length) lines.push(kv('Args', c.args.join(' ')));
  if (status) {
    lines.push(kv('State', stateText(status.state, now)));
    if (status.lastState && Object.keys(status.lastState).length) lines.push(kv('Last State', stateText(status.lastState, now)));
    lines.push(kv('Ready', status.ready ? 'True' : 'False'), kv('Restart Count', status.restartCount));
  }
  lines.push(kv('Limits', labels(c.resources?.limits)), kv('Requests', labels(c.resources?.requests)));
  for (const [k, p] of [['Liveness', c.livenessProbe], ['Readiness', c.readinessProbe], ['Startup', c.startupProbe]] as const) {
    const t = probeText(p);
    if (t) lines.push(kv(k, t));
  }
  if (c.env?.length) lines.push(kv('Environment', c.env.map((e) => `${e.name}=${e.value ?? '<from a source>'}`).join(', ')));
  return { title: `Container ${c.name}`, lines };
}

function conditionsTable(cs: K8sCondition[] | undefined): DescribeSection | undefined {
  if (!cs?.length) return undefined;
  return { title: 'Conditions', lines: [], table: { headers: ['TYPE', 'STATUS', 'REASON', 'MESSAGE'], rows: cs.map((c) => [c.type, c.status, c.reason ?? '', c.message ?? '']) } };
}

/** Events, oldest first, as kubectl shows them (type, reason, age, from, message; repeats counted). */
export function eventsSection(events: readonly K8sEvent[], now: number, limit = 20): DescribeSection {
  const sorted = [...events].sort((a, b) => (eventMs(a) ?? 0) - (eventMs(b) ?? 0)).slice(-limit);
  if (!sorted.length) return { title: 'Events', lines: [['', '<none>']] };
  return {
    title: 'Events',
    lines: [],
    table: {
      headers: ['TYPE', 'REASON', 'AGE', 'FROM', 'MESSAGE'],
      rows: sorted.map((e) => [e.type ?? '', e.reason ?? '', `${age(eventMs(e), now)}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}`, e.source?.component ?? e.reportingComponent ?? '', e.message ?? '']),
    },
  };
}

function podsTable(pods: readonly K8sPod[], now: number): DescribeSection {
  if (!pods.length) return { title: 'Pods', lines: [['', '<none>']] };
  return {
    title: 'Pods',
    lines: [],
    table: {
      headers: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'NODE'],
      rows: pods.map((p) => {
        const s = summarizePod(p);
        return [s.name, s.ready, s.status, `${s.restarts}${s.lastRestartMs ? ` (${age(s.lastRestartMs, now)} ago)` : ''}`, age(s.createdMs, now), s.node ?? '<none>'];
      }),
    },
  };
}

export function describeWorkload(w: K8sWorkload, pods: readonly K8sPod[], revisions: readonly K8sRevision[], events: readonly K8sEvent[], now: number): Description {
  const c = workloadCounts(w);
  const r = rolloutState(w);
  const head: [string, string][] = [
    kv('Name', w.metadata.name),
    kv('Namespace', w.metadata.namespace),
    kv('CreationTimestamp', `${w.metadata.creationTimestamp ?? '?'} (${age(tsMs(w.metadata.creationTimestamp), now)} ago)`),
    kv('Labels', labels(w.metadata.labels)),
    kv('Selector', labels(w.spec?.selector?.matchLabels)),
  ];
  if (w.kind === 'DaemonSet') head.push(kv('Pods', `${c.desired} desired | ${c.current} scheduled | ${c.ready} ready | ${c.updated} updated | ${c.available} available`));
  else head.push(kv('Replicas', `${c.desired} desired | ${c.updated} updated | ${c.current} total | ${c.available} available | ${Math.max(0, c.current - c.available)} unavailable`));
  const strategy = w.spec?.strategy ?? w.spec?.updateStrategy;
  if (strategy?.type) head.push(kv('StrategyType', strategy.type));
  if (w.spec?.strategy?.rollingUpdate) head.push(kv('RollingUpdateStrategy', `${w.spec.strategy.rollingUpdate.maxUnavailable ?? '25%'} max unavailable, ${w.spec.strategy.rollingUpdate.maxSurge ?? '25%'} max surge`));
  if (w.spec?.updateStrategy?.rollingUpdate?.partition) head.push(kv('Partition', w.spec.updateStrategy.rollingUpdate.partition));
  if (w.kind === 'StatefulSet') head.push(kv('PodManagementPolicy', w.spec?.podManagementPolicy ?? 'OrderedReady'), kv('UpdateRevision', w.status?.updateRevision), kv('CurrentRevision', w.status?.currentRevision));
  if (w.spec?.progressDeadlineSeconds !== undefined) head.push(kv('ProgressDeadline', `${w.spec.progressDeadlineSeconds}s`));
  if (w.spec?.paused) head.push(kv('Paused', 'true'));
  head.push(kv('Rollout', `${r.state}: ${r.message}`));
  const sections: DescribeSection[] = [{ title: `${w.kind ?? 'Workload'} ${w.metadata.name}`, lines: head }];
  for (const ct of w.spec?.template?.spec?.initContainers ?? []) sections.push(initSection(containerSection(ct, undefined, now), ct));
  for (const ct of w.spec?.template?.spec?.containers ?? []) sections.push(containerSection(ct, undefined, now));
  const cond = conditionsTable(w.status?.conditions);
  if (cond) sections.push(cond);
  if (revisions.length) {
    const sorted = [...revisions].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
    sections.push({
      title: 'Revisions',
      lines: [],
      table: {
        headers: ['REVISION', 'NAME', 'PODS', 'IMAGES', 'CREATED'],
        rows: sorted.map((x) => [String(x.revision ?? '?'), x.metadata.name, revisionPods(w, x, pods), (x.spec?.template?.spec?.containers ?? []).map((ct) => ct.image ?? '?').join(', ') || '-', `${age(tsMs(x.metadata.creationTimestamp), now)} ago`]),
      },
    });
  }
  sections.push(podsTable(pods, now), eventsSection(events, now));
  return { kind: w.kind ?? 'Workload', name: w.metadata.name, namespace: w.metadata.namespace, sections };
}

/** A ReplicaSet's ready/desired; a ControllerRevision's pods are those labelled with its name (ready/total). */
function revisionPods(w: K8sWorkload, x: K8sRevision, pods: readonly K8sPod[]): string {
  if (w.kind === 'Deployment') return `${x.status?.readyReplicas ?? 0}/${x.spec?.replicas ?? 0}`;
  const mine = pods.filter((p) => p.metadata.labels?.['controller-revision-hash'] === x.metadata.name && !isTerminal(p));
  return `${mine.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length}/${mine.length}`;
}

const initSection = (s: DescribeSection, c: K8sContainer): DescribeSection => ({ ...s, title: `${c.restartPolicy === 'Always' ? 'Sidecar' : 'Init'} Container ${c.name}` });

/** A ReplicaSet as `kubectl describe rs` shows it: replicas current/desired, pod phases, its template, owner. */
export function describeReplicaSet(rs: K8sRevision, pods: readonly K8sPod[], events: readonly K8sEvent[], now: number): Description {
  const phase = (p: string) => pods.filter((x) => (x.status?.phase ?? 'Pending') === p).length;
  const owner = (rs.metadata.ownerReferences ?? []).find((o) => o.controller) ?? rs.metadata.ownerReferences?.[0];
  const revision = rs.metadata.annotations?.['deployment.kubernetes.io/revision'];
  const head: [string, string][] = [
    kv('Name', rs.metadata.name),
    kv('Namespace', rs.metadata.namespace),
    kv('CreationTimestamp', `${rs.metadata.creationTimestamp ?? '?'} (${age(tsMs(rs.metadata.creationTimestamp), now)} ago)`),
    kv('Selector', labels(rs.spec?.selector?.matchLabels)),
    kv('Labels', labels(rs.metadata.labels)),
    kv('Controlled By', owner ? `${owner.kind}/${owner.name}` : undefined),
    ...(revision ? [kv('Revision', revision)] : []),
    kv('Replicas', `${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 0} desired`),
    kv('Ready', `${rs.status?.readyReplicas ?? 0} ready / ${rs.status?.availableReplicas ?? 0} available`),
    kv('Pods Status', `${phase('Running')} Running / ${phase('Pending')} Waiting / ${phase('Succeeded')} Succeeded / ${phase('Failed')} Failed`),
  ];
  const sections: DescribeSection[] = [{ title: `ReplicaSet ${rs.metadata.name}`, lines: head }];
  for (const ct of rs.spec?.template?.spec?.containers ?? []) sections.push(containerSection(ct, undefined, now));
  const cond = conditionsTable(rs.status?.conditions);
  if (cond) sections.push(cond);
  sections.push(podsTable(pods, now), eventsSection(events, now));
  return { kind: 'ReplicaSet', name: rs.metadata.name, namespace: rs.metadata.namespace, sections };
}

export function describePod(p: K8sPod, events: readonly K8sEvent[], now: number): Description {
  const s = summarizePod(p);
  const head: [string, string][] = [
    kv('Name', p.metadata.name),
    kv('Namespace', p.metadata.namespace),
    kv('Node', p.spec?.nodeName),
    kv('Start Time', p.status?.startTime),
    kv('Labels', labels(p.metadata.labels)),
    kv('Status', `${podStatusWord(p)} (phase ${p.status?.phase ?? '?'})`),
    kv('IP', p.status?.podIP),
    kv('Controlled By', s.owner),
    kv('QoS Class', p.status?.qosClass),
  ];
  if (p.status?.reason || p.status?.message) head.push(kv('Reason', `${p.status.reason ?? ''}${p.status.message ? ` — ${p.status.message}` : ''}`));
  const sections: DescribeSection[] = [{ title: `Pod ${p.metadata.name}`, lines: head }];
  const statuses = new Map((p.status?.containerStatuses ?? []).map((c) => [c.name, c]));
  const inits = new Map((p.status?.initContainerStatuses ?? []).map((c) => [c.name, c]));
  for (const c of p.spec?.initContainers ?? []) sections.push(initSection(containerSection(c, inits.get(c.name), now), c));
  for (const c of p.spec?.containers ?? []) sections.push(containerSection(c, statuses.get(c.name), now));
  const cond = conditionsTable(p.status?.conditions);
  if (cond) sections.push(cond);
  sections.push(eventsSection(events, now));
  return { kind: 'Pod', name: p.metadata.name, namespace: p.metadata.namespace, sections };
}

export function describeService(svc: K8sService, endpoints: readonly K8sPod[], events: readonly K8sEvent[], now: number): Description {
  const ports = (svc.spec?.ports ?? []).map((p) => `${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol ?? 'TCP'} → ${p.targetPort ?? p.port}${p.nodePort ? ` (node ${p.nodePort})` : ''}`);
  const ready = endpoints.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  const head: [string, string][] = [
    kv('Name', svc.metadata.name),
    kv('Namespace', svc.metadata.namespace),
    kv('Labels', labels(svc.metadata.labels)),
    kv('Selector', labels(svc.spec?.selector)),
    kv('Type', svc.spec?.type ?? 'ClusterIP'),
    kv('IP', svc.spec?.clusterIP),
    ...(svc.spec?.externalName ? [kv('External Name', svc.spec.externalName)] : []),
    kv('Ports', ports.join(', ')),
    kv('Ready Pods', svc.spec?.selector ? `${ready.length} of ${endpoints.length} selected pods ready${ready.length ? `: ${ready.slice(0, 8).map((p) => `${p.metadata.name}${p.status?.podIP ? ` (${p.status.podIP})` : ''}`).join(', ')}` : ''}` : 'no selector: endpoints are managed by hand'),
  ];
  return { kind: 'Service', name: svc.metadata.name, namespace: svc.metadata.namespace, sections: [{ title: `Service ${svc.metadata.name}`, lines: head }, eventsSection(events, now)] };
}

export function describeNode(n: K8sNode, pods: readonly K8sPod[], events: readonly K8sEvent[], now: number): Description {
  const head: [string, string][] = [
    kv('Name', n.metadata.name),
    kv('Labels', labels(n.metadata.labels)),
    kv('CreationTimestamp', n.metadata.creationTimestamp),
    kv('Capacity', labels(n.status?.capacity)),
    kv('Allocatable', labels(n.status?.allocatable)),
    kv('Non-terminated Pods', String(pods.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed').length)),
  ];
  const sections: DescribeSection[] = [{ title: `Node ${n.metadata.name}`, lines: head }];
  const cond = conditionsTable(n.status?.conditions);
  if (cond) sections.push(cond);
  sections.push(eventsSection(events, now));
  return { kind: 'Node', name: n.metadata.name, sections };
}

/** Plain text in kubectl's layout: "Key:  value" lines, indented sections, tables. */
export function describeText(d: Description): string {
  const out: string[] = [];
  for (const [i, s] of d.sections.entries()) {
    const indent = i === 0 ? '' : '  ';
    if (i > 0) out.push(`${s.title}:`);
    const width = Math.max(0, ...s.lines.map(([k]) => k.length));
    for (const [k, v] of s.lines) out.push(k ? `${indent}${`${k}:`.padEnd(width + 2)}${v}` : `${indent}${v}`);
    if (s.table) out.push(renderTable(s.table.headers, s.table.rows, { indent: indent.length }));
  }
  return out.join('\n');
}
