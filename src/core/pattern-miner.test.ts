import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { minePatterns, PatternMiner, type Pattern } from './pattern-miner.js';

const templates = (ps: Pattern[]) => ps.map((p) => p.template).sort();
const msgs = (...m: string[]) => m.map((message) => ({ message }));

describe('grouping', () => {
  it.each([
    [
      'lines differing only in numbers and addresses share one template',
      msgs(
        'Accepted password for fztu from 119.137.62.142 port 49116 ssh2',
        'Accepted password for fztu from 10.0.0.7 port 22 ssh2',
        'Accepted password for fztu from 192.168.1.1 port 50022 ssh2',
      ),
      ['Accepted password for fztu from <*> port <*> ssh2'],
    ],
    [
      'different words at the same place are different events',
      msgs(
        'Failed password for root from 1.2.3.4 port 22 ssh2',
        'Accepted password for root from 1.2.3.4 port 22 ssh2',
      ),
      ['Accepted password for root from <*> port <*> ssh2', 'Failed password for root from <*> port <*> ssh2'],
    ],
    [
      'a word with few values stays in the template',
      msgs('cupsd startup succeeded', 'cupsd shutdown succeeded', 'cupsd startup succeeded'),
      ['cupsd shutdown succeeded', 'cupsd startup succeeded'],
    ],
    [
      'a word position with many values becomes a variable (variableAfter = 4)',
      msgs(
        'Invalid user alice from 1.1.1.1',
        'Invalid user bob from 1.1.1.2',
        'Invalid user carol from 1.1.1.3',
        'Invalid user dave from 1.1.1.4',
        'Invalid user erin from 1.1.1.5',
      ),
      ['Invalid user <*> from <*>'],
    ],
    [
      'ids that differ only in their digits merge (U01 / U11)',
      msgs(
        'Node card VPD check: U11 node in processor card slot J16 do not match.',
        'Node card VPD check: U01 node in processor card slot J14 do not match.',
      ),
      ['Node card VPD check: <*> node in processor card slot <*> do not match.'],
    ],
    [
      'variable-length lists of ids collapse into one template',
      msgs(
        'BLOCK* ask 10.250.18.114:50010 to delete blk_-5140072410813878235',
        'BLOCK* ask 10.250.17.177:50010 to delete blk_-8570780307468499817 blk_-912255 blk_87675',
      ),
      ['BLOCK* ask <*> to delete blk_<*>'],
    ],
    [
      'different words at several places are different events',
      msgs('Received disconnect from 1.2.3.4: 11: Bye Bye [preauth]', 'Received disconnect from 1.2.3.4: 11: disconnected by user'),
      ['Received disconnect from <*>: Bye Bye [preauth]', 'Received disconnect from <*>: disconnected by user'],
    ],
  ])('%s', (_name, lines, expected) => {
    expect(templates(minePatterns(lines))).toEqual(expected);
  });

  // Variables found from position-wise variability within a family of clusters, not from masks:
  // every value below is a plain word that no mask touches.
  it.each([
    [
      'two word positions that each vary, every combination new, are both variables',
      msgs(
        'Registering class alpha.Event for class alpha.Handler',
        'Registering class beta.Event for class beta.Dispatcher',
        'Registering class gamma.Kind for class gamma.Router',
        'Registering class delta.Type for class delta.Launcher',
      ),
      ['Registering class <*> for class <*>'],
    ],
    [
      'a few word combinations that repeat are events (a state machine), not variables',
      msgs(
        ...['NEW to READY', 'READY to RUNNING', 'RUNNING to DONE', 'RUNNING to FAILED', 'FAILED to DONE']
          .flatMap((t) => [t, t])
          .map((t) => `job <*> moved from ${t} after check`),
      ),
      [
        'job <*> moved from FAILED to DONE after check',
        'job <*> moved from NEW to READY after check',
        'job <*> moved from READY to RUNNING after check',
        'job <*> moved from RUNNING to DONE after check',
        'job <*> moved from RUNNING to FAILED after check',
      ],
    ],
    [
      'words every line carries (a header) are no evidence that short messages are one event',
      msgs(
        ...Array.from({ length: 6 }, (_, i) => `level=info svc=api request served in ${i}ms`),
        ...['boot', 'wait', 'halt', 'reboot', 'probe'].map((w) => `level=info svc=api ${w} (command 7)`),
      ),
      [
        'level=info svc=api boot (command <*>)',
        'level=info svc=api halt (command <*>)',
        'level=info svc=api probe (command <*>)',
        'level=info svc=api reboot (command <*>)',
        'level=info svc=api request served in <*>',
        'level=info svc=api wait (command <*>)',
      ],
    ],
    [
      'a cluster made before its position turned variable joins the template when it does',
      msgs('Invalid user webmaster from 1.1.1.1', 'Invalid user test9 from 1.1.1.2', 'Invalid user test8 from 1.1.1.3'),
      ['Invalid user <*> from <*>'],
    ],
    [
      'a word place that other events carry with the same few words is a field (a host), not an event',
      msgs(
        ...Array.from({ length: 48 }, (_, i) => {
          const host = ['alpha', 'bravo', 'charlie'][i % 3];
          const body = ['disk check ok', 'worker started', 'cache warmed up in 5ms', 'config reloaded'][i % 4];
          return `${host} app: ${body}`;
        }),
      ),
      ['<*> app: cache warmed up in <*>', '<*> app: config reloaded', '<*> app: disk check ok', '<*> app: worker started'],
    ],
    [
      'two words at a place no other event carries stay apart, however often they repeat',
      msgs(...Array.from({ length: 40 }, (_, i) => `Failed ${i % 5 === 0 ? 'none' : 'password'} for invalid user bob from 10.0.0.${i}`)),
      ['Failed none for invalid user bob from <*>', 'Failed password for invalid user bob from <*>'],
    ],
    [
      'the word value of a key=value pair is a value: it differs softly, like a number',
      msgs(
        'Battery level=45 plugged=0 health=good status=full',
        'Battery level=12 plugged=1 health=cold status=charging',
        'Battery level=80 plugged=2 health=good status=discharging',
      ),
      ['Battery level=<*> plugged=<*> <*> <*>'],
    ],
    [
      'a key=value word and a key=value number are different kinds of value',
      msgs('login tty=console rhost= user=a', 'login tty=:0 rhost= user=a'),
      ['login tty=<*> rhost= user=a', 'login tty=console rhost= user=a'],
    ],
    [
      'in a long message one word with two values among many shared words is a value',
      msgs(
        ...Array.from({ length: 8 }, (_, i) =>
          `Checkpoint ${i} for stream orders completed in ${i * 7} ms: ${i} segments written, ${i} skipped, ` +
          `watermark at ${i * 100}, lag ${i} events, leader replica, mode ${i % 2 ? 'sync' : 'async'}`,
        ),
      ),
      ['Checkpoint <*> for stream orders completed in <*> ms: <*> segments written, <*> skipped, watermark at <*>, lag <*> events, leader replica, mode <*>'],
    ],
    [
      'words at several places that combine freely are independent variables',
      msgs(
        ...['hit', 'miss', 'stale'].flatMap((cache) =>
          ['token', 'cert', 'none'].map((auth) => `Request routed to shard 4 via primary path, cache ${cache}, auth ${auth}, total 12 ms`),
        ),
      ),
      ['Request routed to shard <*> via primary path, cache <*> auth <*> total <*> ms'],
    ],
    [
      'the same short messages with specific shared words merge once the position varies enough',
      msgs(...['boot', 'wait', 'halt', 'reboot', 'probe'].map((w) => `node scheduler ran ${w} (command 7)`)),
      ['node scheduler ran <*> (command <*>)'],
    ],
  ])('%s', (_name, lines, expected) => {
    expect(templates(minePatterns(lines))).toEqual(expected);
  });

  it('returns the same id for lines of one template and another id for another template', () => {
    const m = new PatternMiner();
    const a = m.add('connection from 10.0.0.1 port 22');
    const b = m.add('connection from 10.0.0.2 port 23');
    const c = m.add('disk /dev/sda1 is full');
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(m.size).toBe(2);
  });

  it('resolve() follows clusters that merged when a word became a variable', () => {
    const m = new PatternMiner();
    const ids = ['alice', 'bob', 'carol', 'dave'].map((u) => m.add(`session opened for user ${u} by uid 0`));
    // the first three words each make a cluster; the fourth merges them and joins the survivor
    expect(new Set(ids.slice(0, 3)).size).toBe(3);
    expect(ids.slice(0, 3)).toContain(ids[3]);
    const resolved = new Set(ids.map((id) => m.resolve(id)));
    expect(resolved.size).toBe(1);
    expect(m.patterns().map((p) => p.id)).toEqual([...resolved]);
    expect(m.patterns()[0]!.count).toBe(4);
  });
});

describe('values of several words', () => {
  const reasons = ['timed out', 'connection reset by peer', 'refused', 'no route to host', 'broken pipe while writing'];

  it('one event whose value in the middle spans a varying number of words is one pattern, counts and rates summed', () => {
    const m = new PatternMiner({ rateBucketMs: 60_000 });
    const ids = reasons.flatMap((r, k) => [1, 2].map((a) => m.add(`Job ${100 + k} failed: ${r} (attempt ${a})`, k * 60_000)));
    expect(new Set(ids.map((id) => m.resolve(id))).size).toBe(1);
    const [p, ...rest] = m.patterns();
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ template: 'Job <*> failed: <*> (attempt <*>)', count: 10, firstSeen: 0, lastSeen: 4 * 60_000, id: m.resolve(ids[0]!) });
    expect(p!.rate.map((b) => b.count)).toEqual([2, 2, 2, 2, 2]);
  });

  it('sizes in different units are one value', () => {
    const ps = minePatterns(msgs(...['16.0 B', '2.1 KB', '310.5 KB', '1.2 MB', '4.4 MB', '8 GB'].map((v, k) => `Block b${k} stored in memory (estimated size ${v}, free ${k + 1}.5 ${k % 2 ? 'MB' : 'KB'})`)));
    expect(ps).toHaveLength(1);
    expect(ps[0]!.template).toMatch(/^Block <\*> stored in memory \(estimated size <\*> <\*> free <\*> <\*>$/);
    // one unit throughout stays in the template
    expect(templates(minePatterns(msgs('took 12 ms', 'took 7 ms', 'took 300 ms')))).toEqual(['took <*> ms']);
  });

  it('fewer distinct values than variableAfter stay separate events', () => {
    const ps = minePatterns(msgs(...reasons.slice(0, 3).flatMap((r) => [1, 2].map((a) => `Job 7 failed: ${r} (attempt ${a})`))));
    expect(ps).toHaveLength(3);
  });

  it('a trailing text is not a span: it is what names the event in many logs (an errno text, a reason)', () => {
    const ps = minePatterns(msgs(...['No child processes', 'Bad file descriptor', 'Block device required', 'Permission denied', 'Is a directory'].map((e, k) => `Error creating node map from file /p/m${k}.map: ${e}`)));
    expect(ps).toHaveLength(5);
  });

  it('a header shared with other events is no context: messages between a host field and a common last word stay apart', () => {
    const events = ['syslogd startup', 'klogd startup', 'Initializing random number generator:', 'Starting pcmcia:', 'Setting network parameters:', 'rpc.idmapd startup'];
    const lines: string[] = [];
    for (let i = 0; i < 40; i++) lines.push(`bravo app[${1000 + i}]: session ${i} closed for user u${i}`, `bravo app[${2000 + i}]: connection from 10.0.0.${i} accepted`);
    events.forEach((e, k) => lines.push(`bravo app[${3000 + k}]: ${e} succeeded`));
    const ps = minePatterns(msgs(...lines));
    expect(ps.filter((p) => p.template.endsWith('succeeded')).length).toBeGreaterThanOrEqual(events.length - 1);
    expect(ps.some((p) => p.template === 'bravo app[<*>]: <*> succeeded')).toBe(false);
  });
});

describe('pattern fields', () => {
  it('counts lines, keeps first/last seen from timestamps (in any order) and the first example', () => {
    const m = new PatternMiner();
    m.add('timeout after 30ms on /api/a', 5_000);
    m.add('timeout after 45ms on /api/b', 1_000);
    m.add('timeout after 12ms on /api/c', 9_000);
    m.add('disk full', 7_000);
    const [top, other] = m.patterns();
    expect(top).toMatchObject({
      template: 'timeout after <*> on <*>',
      count: 3,
      firstSeen: 1_000,
      lastSeen: 9_000,
      example: 'timeout after 30ms on /api/a',
    });
    expect(other).toMatchObject({ template: 'disk full', count: 1, firstSeen: 7_000, lastSeen: 7_000 });
  });

  it('sorts patterns by count, most frequent first', () => {
    const ps = minePatterns(msgs('b 1', 'a x y', 'b 2', 'a x y', 'b 3'));
    expect(ps.map((p) => [p.template, p.count])).toEqual([
      ['b <*>', 3],
      ['a x y', 2],
    ]);
  });

  it('leaves time fields empty when no line has a timestamp', () => {
    const [p] = minePatterns(msgs('hello 1', 'hello 2'));
    expect(p!.firstSeen).toBeUndefined();
    expect(p!.lastSeen).toBeUndefined();
    expect(p!.rate).toEqual([]);
  });
});

describe('rate over time', () => {
  it.each([
    [
      'one bucket per rateBucketMs, out-of-order lines land in their bucket',
      { rateBucketMs: 1000 },
      [0, 10, 999, 1000, 3500, 1500],
      1000,
      [
        { bucketStartMs: 0, count: 3 },
        { bucketStartMs: 1000, count: 2 },
        { bucketStartMs: 3000, count: 1 },
      ],
    ],
    [
      'over maxRateBuckets the width doubles and neighbours merge',
      { rateBucketMs: 1000, maxRateBuckets: 2 },
      [0, 1000, 2000, 3000],
      2000,
      [
        { bucketStartMs: 0, count: 2 },
        { bucketStartMs: 2000, count: 2 },
      ],
    ],
    [
      'widening repeats until the buckets fit',
      { rateBucketMs: 1000, maxRateBuckets: 2 },
      [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000],
      8000,
      [
        { bucketStartMs: 0, count: 8 },
        { bucketStartMs: 8000, count: 1 },
      ],
    ],
  ])('%s', (_name, opts, stamps, width, rate) => {
    const m = new PatternMiner(opts);
    stamps.forEach((t, i) => m.add(`request ${i} failed`, t));
    const [p] = m.patterns();
    expect(p!.rateBucketMs).toBe(width);
    expect(p!.rate).toEqual(rate);
    expect(p!.rate.reduce((s, b) => s + b.count, 0)).toBe(stamps.length);
  });
});

describe('bounded memory', () => {
  it('never keeps more than maxClusters clusters and keeps the most recent ones', () => {
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
    const m = new PatternMiner({ maxClusters: 3 });
    let maxSeen = 0;
    words.forEach((w, i) => {
      m.add(`${w} subsystem ${w} failed`, i);
      maxSeen = Math.max(maxSeen, m.size);
    });
    expect(maxSeen).toBeLessThanOrEqual(3);
    const kept = templates(m.patterns());
    expect(kept.length).toBeLessThanOrEqual(3);
    expect(kept).toContain('juliet subsystem juliet failed');
    expect(kept).not.toContain('alpha subsystem alpha failed');
    // every eviction is counted, with the lines the evicted clusters held
    expect(m.evicted.clusters).toBe(words.length - m.size);
    expect(m.evicted.lines + m.patterns().reduce((s, p) => s + p.count, 0)).toBe(words.length);
  });

  it('keeps the cluster count flat however many lines of known templates arrive', () => {
    const m = new PatternMiner({ maxRateBuckets: 4 });
    for (let i = 0; i < 20_000; i++) m.add(`worker ${i % 97} finished job ${i} in ${i % 1000}ms`, i * 1000);
    const ps = m.patterns();
    expect(ps).toHaveLength(1);
    expect(ps[0]!.count).toBe(20_000);
    expect(ps[0]!.rate.length).toBeLessThanOrEqual(4);
  });

  it('stores a bounded example for a huge line', () => {
    const [p] = minePatterns(msgs('x'.repeat(50_000)));
    expect(p!.example.length).toBe(2000);
  });
});

describe('purity', () => {
  it.each(['pattern-miner.ts', 'log-masks.ts'])('%s imports no I/O, environment or clock', (file) => {
    const src = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
    const imports = [...src.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports.every((i) => i!.startsWith('./'))).toBe(true);
    expect(src).not.toMatch(/process\.|Date\.now|new Date\(|performance\.now/);
  });
});
