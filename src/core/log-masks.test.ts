import { describe, expect, it } from 'vitest';
import { isUnitAt, lineKey, maskToken, tokenize, WILDCARD } from './log-masks.js';

describe('maskToken masks each variable kind', () => {
  it.each([
    // kind, token, masked
    ['integer', '42', '<*>'],
    ['signed integer', '-127633188', '<*>'],
    ['decimal', '3.14159', '<*>'],
    ['number in brackets keeps the brackets', '(1)', '(<*>)'],
    ['number with trailing comma', '4096,', '<*>,'],
    ['duration ms', '100ms', '<*>'],
    ['compound duration', '3m20s', '<*>'],
    ['size with unit', '64KB', '<*>'],
    ['percent keeps its sign', '12%', '<*>%'],
    ['hex 0x', '0x1fffffffe', '<*>'],
    ['long hex id', 'deadbeef01234567', '<*>'],
    ['uuid', '550e8400-e29b-41d4-a716-446655440000', '<*>'],
    ['ipv4', '10.251.73.220', '<*>'],
    ['ipv4 with port', '10.251.73.220:50010', '<*>'],
    ['ipv4 in brackets', '[173.234.31.186]', '[<*>]'],
    ['ipv6', 'fe80::1ff:fe23:4567:890a', '<*>'],
    ['mac address', '00:1a:2b:3c:4d:5e', '<*>'],
    ['date-time', '2005-06-03-15.42.50.675872', '<*>'],
    ['clock time', '03:55:15', '<*>'],
    ['unix path', '/etc/httpd/conf/workers2.properties', '<*>'],
    ['quoted path', "'/udev/vcsa2'", "'<*>'"],
    ['relative path', './bin/run', '<*>'],
    ['windows path', 'C:\\Windows\\system32', '<*>'],
    ['url', 'https://example.com/a?b=1', '<*>'],
    ['email', 'ops@example.org', '<*>'],
    ['host name', 'ns.marryaldkfaczcz.com', '<*>'],
    ['host name with port', 'MSRA-SA-39.fareast.corp.microsoft.com:7109', '<*>'],
    ['host in parens', '(host8.topspot.net)', '(<*>)'],
    ['block id keeps its word prefix', 'blk_-6952295868487656571', 'blk_<*>'],
    ['node id keeps its word prefix', 'node-246', 'node-<*>'],
    ['core id', 'core.1234', 'core.<*>'],
    ['id made mostly of numbers', 'attempt_1445144423722_0020_m_000000_0', '<*>'],
    ['key=value number', 'uid=0', 'uid=<*>'],
    ['key=value ip', 'rhost=218.188.2.4', 'rhost=<*>'],
    ['key=value host', 'rhost=ns.example.com', 'rhost=<*>'],
    ['key=value list', 'type=40002,7163.0,old=6983.0', 'type=<*>,old=<*>'],
    ['call with number', 'mice.c(1234)]:', 'mice.c(<*>)]:'],
    ['boolean literal', 'false', '<*>'],
    ['boolean in punctuation', '(True),', '(<*>),'],
    ['key=boolean', 'isEmpty=true', 'isEmpty=<*>'],
    ['key:null', 'parent:null;', 'parent:<*>;'],
    ['short object id in a record', 'Record{a69124c', 'Record{<*>'],
    ['name carrying a hash and a version', 'Package_for_KB2928120~31bf3856ad364e35~amd64~~6.1.1.3,', '<*>,'],
  ])('%s: %s -> %s', (_kind, token, masked) => {
    expect(maskToken(token)).toBe(masked);
  });

  it.each([
    ['plain word', 'Failed'],
    ['word with punctuation', 'failure;'],
    ['name ending in a digit', 'ssh2'],
    ['interface name', 'alt0'],
    ['word then number, hex letters only', 'abc123'],
    ['key=word value', 'user=root'],
    ['empty value', 'logname='],
    ['java-like class name (not a host)', 'org.apache.hadoop.mapreduce.v2.app.MRAppMaster'],
    ['two-label name without a common TLD', 'rpc.statd'],
    ['sentence end', 'done.'],
    ['symbols', '****'],
    ['word holding a literal', 'untrue'],
    ['word starting with a literal', 'nullable'],
    ['literal glued to a word', 'is_false'],
  ])('leaves constants alone: %s (%s)', (_kind, token) => {
    expect(maskToken(token)).toBe(token);
  });
});

describe('tokenize', () => {
  it.each([
    ['splits on any whitespace', 'a  b\tc', ['a', 'b', 'c']],
    [
      'masks a timestamp including month and weekday names',
      'connection at Sun Jul 10 03:55:15 2005',
      ['connection', 'at', WILDCARD],
    ],
    ['keeps month words that are not next to a number', 'may fail', ['may', 'fail']],
    [
      'collapses a run of ids of any length',
      'delete blk_1 blk_-2 blk_3 blk_4',
      ['delete', 'blk_<*>'],
    ],
    [
      'collapses a repeated group of three tokens',
      'nodesets node-1 0x1f <ok> node-2 0x2f <ok> node-3 0x3f <ok>',
      ['nodesets', 'node-<*>', WILDCARD, '<ok>'],
    ],
    ['does not collapse repeated words', 'Bye Bye', ['Bye', 'Bye']],
  ])('%s', (_name, message, tokens) => {
    expect(tokenize(message)).toEqual(tokens);
  });
});

describe('lineKey', () => {
  it.each([
    ['numbers differ', 'read 42 bytes from [10.0.0.1], took 3ms', 'read 7 bytes from [10.0.0.9], took 12ms'],
    ['a number and the wildcard it masks to', 'retry (5) of job', 'retry (<*>) of job'],
    ['whitespace runs', 'a  b\tc', 'a b c'],
    ['ids with a word prefix', 'delete blk_-123 now', 'delete blk_456 now'],
    ['a recurring masked token, seen before', 'uid=0 euid=0 tty=x', 'uid=7 euid=3 tty=x'],
  ])('is equal for messages that mask alike: %s', (_name, x, y) => {
    expect(tokenize(x)).toEqual(tokenize(y));
    expect(lineKey(x)).toBe(lineKey(y));
  });

  it.each([
    ['a word', 'session opened for root', 'session closed for root'],
    ['token order', 'a b', 'b a'],
    ['token boundaries', 'ab c', 'a bc'],
    ['a word and a number', 'port x', 'port 7'],
    ['key=value words', 'user=root', 'user=guest'],
  ])('differs for messages that mask differently: %s', (_name, x, y) => {
    expect(tokenize(x)).not.toEqual(tokenize(y));
    expect(lineKey(x)).not.toBe(lineKey(y));
  });

  it('agrees with tokenize over generated messages: equal keys only for equal token sequences', () => {
    const words = ['a', 'x1', '0x1f', '(7)', 'blk_-9', 'uid=3', 'true', 'host.example.com', '/a/b', 'b.', '12:00', 'Ok'];
    const byKey = new Map<number, string>();
    let seed = 7;
    for (let i = 0; i < 3000; i++) {
      const parts: string[] = [];
      const len = 1 + (i % 5);
      for (let k = 0; k < len; k++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        parts.push(words[seed % words.length]!);
      }
      const msg = parts.join(' ');
      const toks = tokenize(msg).join(' ');
      const key = lineKey(msg);
      const seen = byKey.get(key);
      if (seen !== undefined) expect(seen).toBe(toks);
      else byKey.set(key, toks);
    }
    expect(byKey.size).toBeGreaterThan(100);
  });
});

describe('isUnitAt', () => {
  it('a unit of size or time right after a number, closing punctuation allowed', () => {
    const toks = tokenize('size 384.0 B, free 17.2 MB) took 12 ms and 5 seconds; MB alone');
    expect(toks.map((_, k) => isUnitAt(toks, k))).toEqual([false, false, true, false, false, true, false, false, true, false, false, true, false, false]);
  });
});
