/**
 * Deterministic reading of a free-text remediation request ("increase RDS max connections to 200") into
 * action, target and parameters. Pure and table-driven: intent rules in order, numbers with units, and
 * targets resolved only against the registry resources handed in — it never invents a target. Anything it
 * cannot read exactly is refused with the reason and examples (the caller exits 2).
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

export const EXAMPLES = [
  'restart the orders lambda',
  'scale the api service to 6 tasks',
  'increase RDS max connections to 200',
  'increase memory of checkout-handler to 1 GB',
  'raise the timeout of orders-worker to 30s',
  'increase storage of orders-db to 100 GB',
  'set reserved concurrency of orders-worker to 50',
  'roll back checkout',
  'flush the api cache',
];

/** Words that name resource types; they narrow the candidates when they fit the action. */
const TYPE_WORDS: Record<string, string[]> = {
  lambda: ['lambda'], lambdas: ['lambda'], function: ['lambda'], functions: ['lambda'], fn: ['lambda'],
  rds: ['rds'], database: ['rds'], databases: ['rds'], db: ['rds'], postgres: ['rds'], postgresql: ['rds'], mysql: ['rds'], mariadb: ['rds'], aurora: ['rds'],
  ecs: ['ecs_service'], service: ['ecs_service'], services: ['ecs_service'], container: ['ecs_service'], containers: ['ecs_service'], fargate: ['ecs_service'],
  api: ['apigateway'], apigateway: ['apigateway'], gateway: ['apigateway'], stage: ['apigateway'],
  cache: ['apigateway', 'elasticache'], redis: ['elasticache'], memcached: ['elasticache'], elasticache: ['elasticache'], valkey: ['elasticache'],
  bucket: ['s3'], s3: ['s3'], table: ['dynamodb'], dynamodb: ['dynamodb'], queue: ['sqs'], sqs: ['sqs'],
};

const STOP = new Set(
  'the a an to of on in for please our my its it at by and with up down out back from set make can you now this that is are be all new value'.split(' '),
);

type Intent = { action: string; params: Record<string, string>; said: string } | { refuse: string };

interface Num {
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

function intentOf(t: string): Intent | undefined {
  if (/\b(security[ -]?groups?|firewall|ingress|egress|open (the )?port|inbound rules?)\b/.test(t)) return { action: 'modify_security_groups', params: {}, said: 'security group change' };
  if (/\b(delete|destroy|terminate|tear down|teardown|deprovision)\b/.test(t) || /\bremove\b(?!.*\bconcurrency\b)/.test(t)) return { action: 'delete_resources', params: {}, said: 'delete' };
  if (/\b(roll ?-?back|revert|downgrade)\b/.test(t) || /\bprevious (version|revision|task definition)\b/.test(t)) {
    const v = /\b(?:version|revision|v)\s*:?\s*(\d+)\b/.exec(t);
    return { action: 'rollback', params: v ? { version: v[1]! } : {}, said: v ? `roll back to version ${v[1]}` : 'roll back to the previous version' };
  }
  if (/\b(flush|clear|purge|invalidate|empty|wipe|reset)\b.*\bcaches?\b|\bcaches?\b.*\b(flush|clear|purge|invalidate)\b/.test(t)) return { action: 'clear_cache', params: {}, said: 'clear the cache' };

  const num = targetNumber(t);
  const needNumber = (what: string): Intent =>
    num && 'relative' in num
      ? { refuse: `"by" a relative amount is not supported: give the target value of ${what} (e.g. "to 1024 MB")` }
      : { refuse: `no target value for ${what}: say "to <number>"` };

  if (/\bmax(imum)?[ _-]?conn(ection)?s?\b|\bconnection limit\b/.test(t)) {
    if (!num || 'relative' in num) return needNumber('max_connections');
    if (!isInt(num.value)) return { refuse: `max_connections must be a whole number, not ${num.value}` };
    return { action: 'modify_db_parameter', params: { name: 'max_connections', value: String(num.value) }, said: `set DB parameter max_connections to ${num.value}` };
  }
  const param = /\b(?:parameter|param)\s+([a-z_][a-z0-9_.]*)\s*(?:to|=)\s*([a-z0-9_.-]+)/.exec(t);
  if (param) return { action: 'modify_db_parameter', params: { name: param[1]!, value: param[2]! }, said: `set DB parameter ${param[1]} to ${param[2]}` };

  if (/\bconcurrency\b/.test(t)) {
    if (/\b(remove|unreserve|unset)\b/.test(t)) return { action: 'scale_resources', params: { reserved_concurrency: 'none' }, said: 'remove the reserved concurrency' };
    if (!num || 'relative' in num) return needNumber('reserved concurrency');
    if (!isInt(num.value)) return { refuse: `reserved concurrency must be a whole number, not ${num.value}` };
    return { action: 'scale_resources', params: { reserved_concurrency: String(num.value) }, said: `set reserved concurrency to ${num.value}` };
  }

  const capacity: [RegExp, string, string, (n: Num) => number | string, string][] = [
    [/\b(memory|ram)\b/, 'memory_mb', 'memory', memoryMb, 'MB'],
    [/\btime ?outs?\b/, 'timeout_s', 'timeout', seconds, 's'],
    [/\b(storage|disk|allocated storage)\b/, 'storage_gb', 'storage', storageGb, 'GB'],
  ];
  for (const [re, key, what, conv, unit] of capacity) {
    if (!re.test(t)) continue;
    if (DECREASE.test(t)) return { refuse: `only increases are supported for ${what} (increase_capacity); lower it through a deploy` };
    if (!num || 'relative' in num) return needNumber(what);
    const v = conv(num);
    if (typeof v === 'string') return { refuse: v };
    return { action: 'increase_capacity', params: { [key]: String(v) }, said: `increase ${what} to ${v} ${unit}` };
  }
  const cls = /\b(db\.[a-z0-9]+\.[a-z0-9]+)\b/.exec(t);
  if (cls || /\binstance (class|size|type)\b/.test(t)) {
    if (!cls) return { refuse: 'no instance class given: name it, e.g. "to db.r6g.large"' };
    if (DECREASE.test(t)) return { refuse: 'only increases are supported for the instance class (increase_capacity)' };
    return { action: 'increase_capacity', params: { instance_class: cls[1]! }, said: `change the instance class to ${cls[1]}` };
  }

  if (/\bscale\b|\b(tasks?|replicas?|desired count|instances?|containers?)\b/.test(t) && num) {
    if ('relative' in num) return needNumber('the service size');
    if (!isInt(num.value)) return { refuse: `a task count must be a whole number, not ${num.value}` };
    return { action: 'scale_resources', params: { count: String(num.value) }, said: `scale to ${num.value}` };
  }
  if (/\bscale\b/.test(t)) return needNumber('the service size');

  if (/\b(restart|re-start|recycle|bounce|reboot|refresh|cycle|kick|reset)\b/.test(t)) return { action: 'restart_lambda', params: {}, said: 'restart (fresh execution environments)' };
  return undefined;
}

function words(s: string): string[] {
  return s.split(/[^a-z0-9]+/).filter(Boolean);
}

function plural(w: string): string {
  return w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w;
}

export function parseRequest(text: string, resources: readonly NlResource[], appliesTo: Readonly<Record<string, readonly string[]>>): ParseResult {
  const refuse = (reason: string, candidates?: string[]): ParseResult => ({ ok: false, reason, ...(candidates ? { candidates } : {}), examples: EXAMPLES });
  const t = text
    .toLowerCase()
    .replace(/[\u2018\u2019\u201c\u201d"'`]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!t) return refuse('the request is empty');
  if (t.length > 300) return refuse('the request is longer than 300 characters; say one change in one sentence');

  const intent = intentOf(t);
  if (!intent) return refuse('no remediation recognised (restart, scale, increase, roll back, clear cache, set a DB parameter)');
  if ('refuse' in intent) return refuse(intent.refuse);
  const types = appliesTo[intent.action] ?? [];

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
    return refuse(`${intent.action} applies to ${types.join(' or ')}, but the request names ${[...namedAll].join('/')}`);
  }
  const pool = resources.filter((r) => types.includes(r.type) && (named.size === 0 || named.has(r.type)));
  const describe = (r: NlResource) => `${r.name} (${r.type}, project ${r.project})`;
  if (!pool.length) {
    return refuse(`${intent.action} applies to ${types.join(' or ')}, and the registry holds none${named.size ? ` of type ${[...named].join('/')}` : ''} in this environment`, resources.map(describe));
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
      const leftover = textWords.filter((w) => !STOP.has(w) && !/^\d/.test(w) && !grammar.has(plural(w)) && !INTENT_WORDS.has(plural(w)));
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
  const params = { ...intent.params };
  // "count" is the type-neutral size: for ECS it is the desired count.
  if (params.count !== undefined && r.type === 'ecs_service') {
    params.desired_count = params.count;
    delete params.count;
  } else if (params.count !== undefined && r.type === 'lambda') {
    params.reserved_concurrency = params.count;
    delete params.count;
  }
  const ps = Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ');
  return {
    ok: true,
    reading: { action: intent.action, target: r.name, params, readAs: `${intent.said} → ${intent.action} on ${describe(r)} [${how}]${ps ? `; params ${ps}` : ''}` },
  };
}

/** Words that belong to the request's grammar, not to a resource name (used to tell "no name" from "unknown name"). */
const INTENT_WORDS = new Set(
  (
    'restart re start recycle bounce reboot refresh cycle kick reset scale increase raise bump grow add more higher boost double set change ' +
    'roll rollback revert downgrade previous version revision flush clear purge invalidate empty wipe cache caches memory ram timeout ' +
    'storage disk allocated instance class size type max maximum conn connection connections limit concurrency reserved task tasks replica ' +
    'replicas desired count container containers mb gb tb s sec secs second seconds min mins minute minutes ms parameter param delete ' +
    'destroy terminate remove security group groups firewall ingress open port again quickly immediately now prod production test staging'
  )
    .split(' ')
    .map(plural),
);
