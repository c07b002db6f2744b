// Generated logs with known templates: stress tests for the pattern miner (bench/synth.mjs).
//
//   generate(scenario, {lines, seed}) -> {lines: string[], truth: string[]}
//   SCENARIOS: names of the scenarios; 'mixed' interleaves all of them.
//
// Every value comes from a seeded PRNG and generated vocabularies (syllable words), so nothing
// here repeats a real log source. Each scenario stresses one thing real formats do and the LogHub
// sets we tune on rarely do:
//   proxy      host:port, byte counts, a lifetime written as "<1 sec" or "00:02" (token counts differ)
//   kv         long key=value runs: numeric, hex, boolean and word values; records in braces
//   windows    paths with embedded hashes, GUIDs, package names of several shapes, error names
//   java       class names with $ and dots, thread names, exception text as a multi-word variable
//   words      variables that are words: sparse high-cardinality users, mid-cardinality app names,
//              low-cardinality states in long messages; events that differ by one constant word
//   long       30-45-token messages with 8-12 variable positions, some words
//   multiword  variables spanning several tokens (reasons, quoted titles, names with spaces)
//   prefixes   many events sharing their first 3-4 words, differing at the end
// Each line's truth is the template (scenario/index) that produced it. Template weights follow a
// Zipf law, so some events are rare (seen a handful of times), as in real logs.
import { mulberry32 } from './random.mjs';

export const SCENARIOS = ['proxy', 'kv', 'windows', 'java', 'words', 'long', 'multiword', 'prefixes'];


const SYL = ['ka', 'lo', 'mi', 'ne', 'ru', 'ta', 'vo', 'zi', 'pe', 'gu', 'sha', 'dor', 'ben', 'qui', 'fla', 'tor', 'mun', 'dex', 'pri', 'sol'];

/** Value makers; each takes the PRNG and a per-scenario vocabulary store. */
function makers(r) {
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const word = (n = int(2, 3)) => Array.from({ length: n }, () => pick(SYL)).join('');
  const cap = (w) => w[0].toUpperCase() + w.slice(1);
  const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
  const HEX = (n) => hex(n).toUpperCase();
  const vocab = (n, f) => {
    const s = new Set();
    while (s.size < n) s.add(f());
    return [...s];
  };
  // A Zipf pick from a vocabulary: a few values common, most rare.
  const zipf = (xs) => xs[Math.min(xs.length - 1, Math.floor(xs.length * r() ** 2.5))];
  return { int, pick, word, cap, hex, HEX, vocab, zipf };
}

function scenario(name, r) {
  const { int, pick, word, cap, hex, HEX, vocab, zipf } = makers(r);
  const ip = () => `${int(10, 223)}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
  const hosts = vocab(60, () => `${word()}.${word(2)}.${pick(['com', 'net', 'org', 'io'])}`);
  const users = vocab(400, () => word(int(2, 4)));
  const apps = vocab(12, () => `${cap(word())}${pick(['.exe', '.exe', 'd', 'Helper', ''])}`);
  const states = ['RUNNING', 'PAUSED', 'STOPPED', 'DRAINING'];
  const pkgs = vocab(30, () => `${pick(['com', 'org', 'net'])}.${word()}.${word()}`);
  const classes = vocab(40, () => `${pick(pkgs)}.${cap(word())}${pick(['', '', '$' + cap(word()), '$$anon$' + int(1, 9)])}`);
  const reasons = ['timed out', 'connection reset by peer', 'no route to host', 'refused', 'broken pipe while writing response body', 'host unreachable'];
  const titles = vocab(50, () => Array.from({ length: int(1, 5) }, () => cap(word())).join(' '));
  const errNames = vocab(6, () => `E_${word().toUpperCase()}_${word().toUpperCase()}`);
  const hostport = () => (r() < 0.5 ? `${pick(hosts)}:${pick([80, 443, 5070, 8080])}` : `${ip()}:${int(1, 65535)}`);
  const dur = () => (r() < 0.4 ? '<1 sec' : r() < 0.7 ? `00:${String(int(0, 59)).padStart(2, '0')}` : `${String(int(0, 9)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}`);
  const guid = () => `{${HEX(8)}-${HEX(4)}-${HEX(4)}-${HEX(4)}-${HEX(12)}}`;
  const ver = () => `${int(1, 10)}.${int(0, 3)}.${int(1000, 9999)}.${int(1000, 30000)}`;
  const pkgName = () =>
    pick([
      () => `Package_for_KB${int(2000000, 4999999)}~${hex(16)}~amd64~~${ver()}`,
      () => `Package_${int(1, 99)}_for_KB${int(2000000, 4999999)}~${hex(16)}~amd64~~${ver()}`,
      () => `Package_for_RollupFix~${hex(16)}~amd64~~${ver()}`,
      () => `Microsoft-Windows-${cap(word())}-${cap(word())}-Package~${hex(16)}~amd64~${pick(['en-US', 'de-DE', '~'])}~${ver()}`,
    ])();
  const winPath = () => `C:\\Windows\\${pick(['winsxs', 'servicing', 'System32'])}\\${pick(['amd64', 'x86', 'wow64'])}_${word()}-${word()}_${hex(16)}_${ver()}_none_${hex(16)}\\${word()}.${pick(['dll', 'mum', 'cat'])}`;
  const kvWord = () => pick(['idle', 'busy', 'syncing', 'degraded', 'ok', 'warming', 'cold']);
  const record = () => `Record{${hex(7)} u${int(0, 3)} ${pick(pkgs)}/.${cap(word())} t${int(1, 999)}}`;
  const thread = () => `[pool-${int(1, 9)}-thread-${int(1, 40)}]`;
  const T = {
    proxy: [
      [() => pick(apps), ' - ', hostport, ' open through proxy ', hostport, ' HTTPS'],
      [() => pick(apps), ' - ', hostport, ' close, ', () => int(0, 99999), ' bytes sent, ', () => int(0, 99999), ' bytes received, lifetime ', dur],
      [() => pick(apps), ' - ', hostport, ' close, ', () => int(1000, 9e6), ' bytes (', () => (r() * 900).toFixed(2), ' KB) sent, ', () => int(1000, 9e6), ' bytes (', () => (r() * 900).toFixed(2), ' MB) received, lifetime ', dur],
      [() => pick(apps), ' - ', hostport, ' error : Could not connect through proxy ', hostport, ' - Proxy server cannot establish a connection with the target, status code ', () => int(400, 599)],
      [() => pick(apps), ' - ', hostport, ' error : A connection request was canceled before the completion.'],
      [() => pick(apps), ' *** Log is full *** ', () => int(10, 99), ' entries dropped'],
      ['DNS lookup of ', () => pick(hosts), ' answered ', ip, ' in ', () => int(1, 900), 'ms'],
    ],
    kv: [
      ['setVisibility vis=0x', () => hex(4), ' mask=0x', () => hex(4), ' old=0x', () => hex(4), ' new=0x', () => hex(4), ' diff=0x', () => hex(4), ' stackVis=', () => int(0, 3), ' dockedVis=', () => int(0, 3), ' fullscreen=', () => pick(['true', 'false']), ' state=', kvWord],
      ['Skipping ', record, ' -- going to hide'],
      ['Starting window ', record, ' from=', () => pick(pkgs), ' animate=', () => pick(['true', 'false']), ' allDrawn=', () => pick(['true', 'false']), ' reason=', kvWord],
      ['acquire lock=', () => int(1e8, 9e8), ', flags=0x', () => hex(2), ', tag="', () => pick(['*alarm*', 'WakeLock', 'NetSync', 'LocationScan']), '", name=', () => pick(pkgs), ', ws=null, uid=', () => int(1000, 19999), ', pid=', () => int(100, 30000)],
      ['release lock=', () => int(1e8, 9e8), ', flags=0x', () => hex(2), ', total_time=', () => int(0, 99999), 'ms'],
      ['printFreezing opening app wtoken = ', record, ', allDrawn= ', () => pick(['true', 'false']), ', startingDisplayed = ', () => pick(['true', 'false']), ', startingMoved = ', () => pick(['true', 'false']), ', isRelaunching = ', () => pick(['true', 'false'])],
      ['Battery level=', () => int(0, 100), ' scale=100 plugged=', () => int(0, 2), ' health=', () => pick(['good', 'cold', 'overheat']), ' status=', () => pick(['charging', 'discharging', 'full'])],
    ],
    windows: [
      ['Loaded Servicing Stack v', ver, ' with Core: ', winPath],
      ['Read out cached package applicability for package: ', pkgName, ', ApplicableState: ', () => int(0, 112), ', CurrentState:', () => int(0, 112)],
      ['Session: ', () => `${int(1e7, 9e7)}_${int(1e9, 4e9)}`, ' initialized by client ', () => pick(['UpdateAgent.', 'Package Manager Provider.', 'TrustedService.'])],
      ['Failed to get next element [HRESULT = 0x', () => hex(8), ' - ', () => pick(errNames), ']'],
      ['Expecting attribute name [HRESULT = 0x', () => hex(8), ' - ', () => pick(errNames), ']'],
      ['Warning: Unrecognized packageExtended attribute.'],
      ['Appl: detect Parent, Package: ', pkgName, ', Parent: ', pkgName, ', Disposition = Detect, VersionComp: ', () => pick(['EQ', 'GT', 'LT']), ', ServiceComp: ', () => pick(['EQ', 'GE', 'GT']), ', BuildComp: ', () => pick(['EQ', 'GE']), ', DistributionComp: ', () => pick(['GE', 'EQ']), ', RevisionComp: ', () => pick(['GE', 'EQ']), ', Exist: present'],
      ['Registered ', guid, ' for component ', () => `${cap(word())}-${cap(word())}`, ' at ', winPath],
      ['SQM: Queued ', () => int(0, 9), ' file(s) for upload with pattern: C:\\Windows\\servicing\\sqm\\*_', () => pick(['std', 'all']), '.sqm, flags: 0x', () => int(1, 9)],
    ],
    java: [
      ['Registering class ', () => pick(classes), ' for class ', () => pick(classes)],
      [thread, ' ', () => pick(classes), ': Exception in handler: ', () => pick(classes), ': ', () => pick(reasons)],
      ['Started ', () => pick(classes), ' in ', () => (r() * 20).toFixed(3), ' seconds (JVM running for ', () => (r() * 30).toFixed(3), ')'],
      [thread, ' Found block rdd_', () => int(0, 99), '_', () => int(0, 99), ' locally'],
      [thread, ' Running task ', () => int(0, 99), '.0 in stage ', () => int(0, 30), '.0 (TID ', () => int(0, 9999), ')'],
      [thread, ' Finished task ', () => int(0, 99), '.0 in stage ', () => int(0, 30), '.0 (TID ', () => int(0, 9999), '). ', () => int(900, 9999), ' bytes result sent to driver'],
      ['Shutdown hook called for ', () => pick(classes)],
      ['Interrupted while waiting for message on queue'],
      ['Notification: ', () => int(1, 3), ' (n.leader), 0x', () => hex(1), ' (n.zxid), 0x', () => hex(1), ' (n.round), ', () => pick(['LOOKING', 'FOLLOWING', 'LEADING']), ' (n.state), ', () => int(1, 3), ' (n.sid), 0x', () => hex(1), ' (n.peerEpoch), ', () => pick(['LOOKING', 'FOLLOWING', 'LEADING']), ' (my state)'],
    ],
    words: [
      ['session opened for user ', () => zipf(users), ' by (uid=', () => int(0, 999), ')'],
      ['session closed for user ', () => zipf(users)],
      ['Accepted publickey for ', () => zipf(users), ' from ', ip, ' port ', () => int(1024, 65535), ' ssh2'],
      ['Rejected publickey for ', () => zipf(users), ' from ', ip, ' port ', () => int(1024, 65535), ' ssh2'],
      [() => pick(apps), ' started with profile ', () => pick(['default', 'minimal', 'full', 'debug', 'safe']), ' and ', () => int(1, 64), ' workers'],
      ['Worker ', () => int(1, 99), ' of pool ', () => zipf(users), ' is now ', () => pick(states), ' after ', () => int(1, 999), ' ms of scheduling delay on queue ', () => pick(['main', 'batch', 'io'])],
      ['data_thread() got no answer from any [', () => `${cap(word())}_${pick('ABCDEF')}${int(1, 9)}`, '] datasource'],
      ['User ', () => zipf(users), ' logged in from ', () => pick(hosts)],
      ['User ', () => zipf(users), ' logged out from ', () => pick(hosts)],
      ['Mounted volume ', () => pick(users), ' read-only'],
    ],
    long: [
      ['Worker ', () => pick(users), ' finished job ', () => int(1, 9e5), ' of batch ', () => pick(users), ' in queue ', () => pick(['main', 'batch', 'io', 'bulk', 'slow']), ' with status ', () => pick(states), ' after ', () => int(1, 999), ' retries; input ', () => int(1, 9e6), ' bytes from ', () => pick(hosts), ', output ', () => int(1, 9e6), ' bytes to ', () => pick(hosts), ', peak memory ', () => int(1, 999), ' MB, cpu ', () => (r() * 99).toFixed(1), '%, owner ', () => pick(users), ', priority ', () => pick(['low', 'normal', 'high'])],
      ['Checkpoint ', () => int(1, 99999), ' for stream ', () => pick(users), ' completed in ', () => int(1, 9999), ' ms: ', () => int(1, 999), ' segments written, ', () => int(1, 999), ' segments skipped, ', () => int(1, 99), ' files compacted, watermark at ', () => int(1e9, 2e9), ', lag ', () => int(0, 9999), ' events, leader ', () => pick(hosts), ', mode ', () => pick(['sync', 'async'])],
      ['Checkpoint ', () => int(1, 99999), ' for stream ', () => pick(users), ' failed after ', () => int(1, 9999), ' ms: ', () => int(1, 999), ' segments written, ', () => int(1, 999), ' segments skipped, ', () => int(1, 99), ' files compacted, watermark at ', () => int(1e9, 2e9), ', lag ', () => int(0, 9999), ' events, leader ', () => pick(hosts), ', mode ', () => pick(['sync', 'async'])],
      ['Request ', () => hex(16), ' from ', ip, ' for tenant ', () => pick(users), ' routed to shard ', () => int(1, 64), ' on ', () => pick(hosts), ' via ', () => pick(['primary', 'replica']), ' path with ', () => int(1, 9), ' hops, cache ', () => pick(['hit', 'miss', 'stale']), ', auth ', () => pick(['token', 'cert', 'anonymous']), ', total ', () => int(1, 9999), ' ms, upstream ', () => int(1, 9999), ' ms'],
    ],
    multiword: [
      ['Connection to ', hostport, ' closed: ', () => pick(reasons)],
      ['Upload of "', () => pick(titles), '" finished in ', () => int(1, 999), ' ms'],
      ['Job ', () => int(1, 9999), ' failed: ', () => pick(reasons), ' (attempt ', () => int(1, 5), ')'],
      ['Playing track ', () => pick(titles), ' by ', () => pick(titles)],
      ['Retrying request to ', () => pick(hosts), ' because ', () => pick(reasons)],
      ['Opened document ', () => pick(titles), '.txt for editing'],
    ],
    prefixes: [
      ['Failed to open file ', () => `/var/${word()}/${word()}.${pick(['log', 'db'])}`, ': permission denied'],
      ['Failed to open file ', () => `/var/${word()}/${word()}.${pick(['log', 'db'])}`, ': no such file'],
      ['Failed to open socket ', hostport, ': address in use'],
      ['Failed to open socket ', hostport],
      ['Failed to read config section ', () => pick(['net', 'auth', 'store', 'log']), ' from ', () => `/etc/${word()}.conf`],
      ['Failed to write checkpoint ', () => int(1, 9999), ' to ', () => pick(hosts)],
      ['Failed to write index ', () => int(1, 9999), ' to ', () => pick(hosts)],
      ['Failed to resolve host ', () => pick(hosts)],
      ['Failed to resolve service ', () => pick(users), ' in zone ', () => pick(['a', 'b', 'c'])],
      ['Failed to start service ', () => pick(users), ' after ', () => int(1, 9), ' attempts'],
      ['Failed to stop service ', () => pick(users), ' after ', () => int(1, 9), ' attempts'],
    ],
  };
  return T[name];
}

/** Lines of one scenario (or 'mixed': all of them interleaved), with their true templates. */
export function generate(name, { lines = 4000, seed = 1 } = {}) {
  const r = mulberry32(seed * 7919 + [...name].reduce((s, c) => s * 31 + c.charCodeAt(0), 0));
  const names = name === 'mixed' ? SCENARIOS : [name];
  const templates = [];
  for (const n of names) scenario(n, r).forEach((t, i) => templates.push({ id: `${n}/${i}`, parts: t }));
  // Zipf weights over a shuffled order: some templates common, some rare
  const order = templates.map((_, i) => i).sort(() => r() - 0.5);
  const weight = new Array(templates.length);
  order.forEach((t, rank) => (weight[t] = 1 / (rank + 1)));
  const total = weight.reduce((s, w) => s + w, 0);
  const out = [];
  const truth = [];
  for (let i = 0; i < lines; i++) {
    let x = r() * total;
    let k = 0;
    while (k < templates.length - 1 && (x -= weight[k]) > 0) k++;
    const t = templates[k];
    out.push(t.parts.map((p) => (typeof p === 'function' ? String(p()) : p)).join(''));
    truth.push(t.id);
  }
  return { lines: out, truth };
}
