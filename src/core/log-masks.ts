/**
 * Log-message tokenizer and variable masks for the pattern miner.
 *
 *   tokenize(message: string): string[]   whitespace-split tokens, each already masked
 *   maskToken(token: string): string      one token with its variable parts replaced by WILDCARD
 *   lineKey(message: string): number      53-bit key of tokenize(message), without building it
 *   WILDCARD = '<*>'
 *
 * Masks (all generic; nothing here knows any particular log source):
 *   - numbers, signed or decimal, with short unit suffixes: 42, -7, 3.5, 100ms, 3m20s, 64KB, 12%
 *   - durations and sizes are the unit-suffix case above
 *   - hex: 0x1f, and hex runs of 8+ chars holding a digit (hashes, ids); digit-led hex like 08b4;
 *     letter-led hex runs of 6+ chars mixing 2+ digits with letters (object ids such as a69124c)
 *   - a token with several masked parts, one a hash (hex run of 8+ mixing digits and letters), is
 *     an instance name as a whole: Package_for_KB2928120~31bf3856ad364e35~amd64~~6.1.1.3 -> <*>
 *   - UUIDs, IPv4 (with port), MAC / IPv6-like groups, dates and times (2005-06-03-15.42.50.675872,
 *     12:04:59, 20171223-22:15:29:606): any token made only of digits/hex and separators
 *   - paths (/a/b, ./a, ~/a, C:\a), URLs (scheme://...), e-mail addresses
 *   - ids with a word prefix: blk_-123 -> blk_<*>, node-17 -> node-<*>, core.1234 -> core.<*>
 *   - key=value: the value is masked by the same rules (uid=0 -> uid=<*>)
 *   - boolean and null literals (true, false, null), alone or as a key=value / key:value value
 *   - month and weekday names when next to a masked number (the words of a timestamp)
 * A digit glued to the end of a word (ssh2, alt0, J12, CPU0) is left alone: such tokens are usually
 * names, and the miner's similarity already treats them as weak evidence.
 * Runs of masked parts joined only by separators collapse to one WILDCARD (10.0.0.1:80 -> <*>).
 * Surrounding brackets, quotes and trailing punctuation are kept: [10.0.0.1] -> [<*>].
 */

export const WILDCARD = '<*>';

const enum C {
  D0 = 48, D9 = 57, A = 65, F = 70, Z = 90, a = 97, f = 102, z = 122,
  Slash = 47, Backslash = 92, Colon = 58, Dot = 46, Tilde = 126, At = 64, Eq = 61, X = 120,
}

function isDigit(c: number): boolean {
  return c >= C.D0 && c <= C.D9;
}
function isAlpha(c: number): boolean {
  return (c >= C.a && c <= C.z) || (c >= C.A && c <= C.Z);
}
function isHexLetter(c: number): boolean {
  return (c >= C.a && c <= C.f) || (c >= C.A && c <= C.F);
}
function isAlnum(c: number): boolean {
  return isDigit(c) || isAlpha(c);
}
/** Separators inside numbers, dates, addresses and ids. */
function isNumSep(c: number): boolean {
  // . : - _ , / + # and space-less date glue
  return c === 46 || c === 58 || c === 45 || c === 95 || c === 44 || c === 47 || c === 43 || c === 35;
}
/** Leading chars peeled off before classifying a token. */
function isOpener(c: number): boolean {
  return c === 40 || c === 91 || c === 123 || c === 39 || c === 34 || c === 60 || c === 96; // ( [ { ' " < `
}
/** Trailing chars peeled off before classifying a token. */
function isCloser(c: number): boolean {
  // ) ] } ' " > ` , ; : . !
  return c === 41 || c === 93 || c === 125 || c === 39 || c === 34 || c === 62 || c === 96 ||
    c === 44 || c === 59 || c === 58 || c === 46 || c === 33;
}

const TIME_WORDS = new Set([
  'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
  'january', 'february', 'march', 'april', 'june', 'july', 'august', 'september', 'october', 'november',
  'december', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'monday', 'tuesday', 'wednesday',
  'thursday', 'friday', 'saturday', 'sunday',
]);

/** A whole core that is a number, date, time, address, hex id or UUID: digits/hex and separators. */
function isNumericCore(s: string, from: number, to: number): boolean {
  let digits = 0;
  let hexLetters = 0;
  let otherLetters = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) digits++;
    else if (isHexLetter(c)) hexLetters++;
    else if (isAlpha(c)) otherLetters++;
    else if (!isNumSep(c)) return false;
  }
  if (digits === 0) return false;
  if (otherLetters === 0 && hexLetters === 0) return true;
  if (otherLetters === 0 && to - from >= 8) return true; // hex ids, UUIDs, MACs
  // 0x-prefixed hex
  if (otherLetters === 1 && to - from > 2 && s.charCodeAt(from) === C.D0 && (s.charCodeAt(from + 1) | 32) === C.X) {
    for (let i = from + 2; i < to; i++) {
      const c = s.charCodeAt(i);
      if (!isDigit(c) && !isHexLetter(c)) return false;
    }
    return true;
  }
  return false;
}

/**
 * A digit-led alphanumeric segment: a number with unit suffixes (100ms, 3m20s, 64KB, 2nd) or a
 * digit-led hex group (08b4). A segment led by a letter (ssh2, J12) is a name and is kept.
 */
function isNumericSegment(s: string, from: number, to: number): boolean {
  if (!isDigit(s.charCodeAt(from))) {
    // a hex run holding digits: deadbeef01, or a short object id such as a69124c (6+ chars, 2+
    // digits: a word with a number glued on, ssh2 or eth10, has one run of each, not a mix)
    if (to - from < 6) return false;
    let digits = 0;
    for (let i = from; i < to; i++) {
      const c = s.charCodeAt(i);
      if (isDigit(c)) digits++;
      else if (!isHexLetter(c)) return false;
    }
    if (digits > 0 && to - from >= 8) sawHash = true;
    return to - from >= 8 ? digits > 0 : digits >= 2 && !isWordThenNumber(s, from, to);
  }
  if (to - from >= 8) {
    // a hash mixes digits and hex letters (a long plain number is a number, not a hash)
    let hex = true;
    let letter = false;
    for (let k = from; k < to && hex; k++) {
      const c = s.charCodeAt(k);
      if (isHexLetter(c)) letter = true;
      else hex = isDigit(c);
    }
    if (hex && letter) sawHash = true;
  }
  let i = from;
  while (i < to) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) break;
    i++;
  }
  // unit suffixes / hex groups: letters runs of at most 3, each followed by digits or the end
  while (i < to) {
    let run = 0;
    while (i < to && isAlpha(s.charCodeAt(i))) { i++; run++; }
    if (run > 3) {
      // digit-led hex like 0x7fffdeadbeef or 1fffffffe
      let hex = true;
      for (let k = from; k < to; k++) {
        const c = s.charCodeAt(k);
        if (!isDigit(c) && !isHexLetter(c) && !((c | 32) === C.X && k === from + 1)) { hex = false; break; }
      }
      return hex;
    }
    while (i < to && isDigit(s.charCodeAt(i))) i++;
  }
  return true;
}

/** letters then digits, nothing after (abc123, eth10): a name with a number, not a hex id */
function isWordThenNumber(s: string, from: number, to: number): boolean {
  let i = from;
  while (i < to && !isDigit(s.charCodeAt(i))) i++;
  while (i < to && isDigit(s.charCodeAt(i))) i++;
  return i === to;
}

/** Set by isNumericSegment when a masked part was a hash-like hex run (8+ chars). */
let sawHash = false;

function isPathOrUrlCore(s: string, from: number, to: number): boolean {
  const c0 = s.charCodeAt(from);
  const len = to - from;
  if (len < 2) return false;
  // URL: scheme://
  const u = s.indexOf('://', from);
  if (u > from && u < to) return true;
  // e-mail: x@y.z
  const at = s.indexOf('@', from);
  if (at > from && at < to - 3 && s.indexOf('.', at) > at + 1 && s.indexOf('.', at) < to - 1) return true;
  // Windows path C:\...
  if (len > 3 && isAlpha(c0) && s.charCodeAt(from + 1) === C.Colon && s.charCodeAt(from + 2) === C.Backslash) return true;
  // Unix path: /a/b, ./a, ../a, ~/a
  let start = from;
  if (c0 === C.Tilde || c0 === C.Dot) {
    while (start < to && s.charCodeAt(start) === C.Dot) start++;
    if (c0 === C.Tilde) start = from + 1;
    if (start < to && s.charCodeAt(start) === C.Slash && start + 1 < to) return true;
    return false;
  }
  if (c0 !== C.Slash) return false;
  const second = s.indexOf('/', from + 1);
  return second > from + 1 && second < to - 1;
}

/** Is s[from, from + word.length) the lowercase word, in any case? */
function isWordAt(s: string, from: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if ((s.charCodeAt(from + k) | 32) !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * Boolean and null literals (true, false, null; any case) are values by type, like numbers: as a
 * whole token ("(true)," too) or as the value of key=value / key:value. Called for every plain
 * word, so it rejects on the last letters before looking further.
 */
function maskLiteral(tok: string): string {
  let to = tok.length;
  while (to > 0 && isCloser(tok.charCodeAt(to - 1))) to--;
  if (to < 4) return tok;
  const last = tok.charCodeAt(to - 1) | 32;
  let from: number;
  if (last === 101) {
    // ...e: true / false
    if (isWordAt(tok, to - 4, 'true')) from = to - 4;
    else if (to >= 5 && isWordAt(tok, to - 5, 'false')) from = to - 5;
    else return tok;
  } else if (last === 108) {
    if (isWordAt(tok, to - 4, 'null')) from = to - 4;
    else return tok;
  } else return tok;
  if (from > 0) {
    let k = 0;
    while (k < from && isOpener(tok.charCodeAt(k))) k++;
    const sep = tok.charCodeAt(from - 1);
    if (k !== from && sep !== C.Eq && sep !== C.Colon) return tok; // part of a longer word
  }
  return tok.slice(0, from) + WILDCARD + tok.slice(to);
}

/** Mask the variable parts of one whitespace-free token. */
export function maskToken(tok: string): string {
  const n = tok.length;
  // Fast path: plain words (no digit, no path/address punctuation, no inner dot) are returned as is.
  let digit = false;
  let slash = false;
  let dot = false;
  for (let i = 0; i < n; i++) {
    const c = tok.charCodeAt(i);
    if (c >= C.D0 && c <= C.D9) digit = true;
    else if (c === C.Slash || c === C.At || c === C.Backslash) slash = true;
    else if (c === C.Dot && i < n - 1) dot = true;
  }
  if (!digit && !slash && !dot) {
    // literals end in e or l, maybe followed by closing punctuation: most words leave here
    if (n < 4) return tok;
    let e = tok.charCodeAt(n - 1) | 32;
    if (e !== 101 && e !== 108) {
      if (!isCloser(tok.charCodeAt(n - 1))) return tok;
      e = tok.charCodeAt(n - 2) | 32;
      if (e !== 101 && e !== 108 && !isCloser(tok.charCodeAt(n - 2))) return tok;
    }
    return maskLiteral(tok);
  }

  let from = 0;
  let to = n;
  while (from < to && isOpener(tok.charCodeAt(from))) from++;
  while (to > from && isCloser(tok.charCodeAt(to - 1))) to--;
  if (from >= to) return tok;
  if (
    (digit && isNumericCore(tok, from, to)) ||
    (slash && isPathOrUrlCore(tok, from, to)) ||
    (dot && isHostCore(tok, from, to))
  ) {
    return tok.slice(0, from) + WILDCARD + tok.slice(to);
  }
  // key=value: mask the key's numbers and the value as a token of its own.
  const eq = tok.indexOf('=', from);
  if (eq >= from && eq < to - 1) {
    return tok.slice(0, from) + maskSegments(tok, from, eq) + '=' + maskToken(tok.slice(eq + 1));
  }
  if (!digit) return tok;
  sawHash = false;
  const masked = maskSegments(tok, from, to);
  // several masked parts, one a hash: an instance name (a package or build with its hash and
  // version), variable as a whole, whatever words it carries
  const idLike = masked.indexOf(WILDCARD) !== masked.lastIndexOf(WILDCARD) && (sawHash || isIdLike(masked));
  return tok.slice(0, from) + (idLike ? WILDCARD : masked) + tok.slice(to);
}

/**
 * An id built mostly of numbers (attempt_1445_0020_m_000001_0, container_1445_01_000002): at least
 * two masked parts and no more word parts than masked parts. Whole token becomes one wildcard.
 */
function isIdLike(masked: string): boolean {
  let wild = 0;
  let words = 0;
  let i = 0;
  const n = masked.length;
  while (i < n) {
    if (masked.startsWith(WILDCARD, i)) { wild++; i += 3; continue; }
    const c = masked.charCodeAt(i);
    if (isAlpha(c)) {
      words++;
      while (i < n && isAlnum(masked.charCodeAt(i))) i++;
      continue;
    }
    if (c !== 95 && c !== 45 && c !== 46 && c !== 58) return false; // only _ - . : glue
    i++;
  }
  return wild >= 2 && words <= wild;
}

const COMMON_TLDS = new Set(['com', 'net', 'org', 'edu', 'gov', 'io', 'mil', 'int']);

/**
 * A host name: dot-separated labels of [A-Za-z0-9-] ending in an all-lowercase top-level label of
 * 2-6 letters, with 3+ labels (or 2 labels and a common TLD), optionally followed by :port.
 */
function isHostCore(s: string, from: number, to: number): boolean {
  // strip :port
  const colon = s.lastIndexOf(':', to - 1);
  if (colon > from) {
    let allDigits = colon + 1 < to;
    for (let i = colon + 1; i < to; i++) if (!isDigit(s.charCodeAt(i))) { allDigits = false; break; }
    if (allDigits) to = colon;
  }
  let dots = 0;
  let labelStart = from;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === C.Dot) {
      if (i === labelStart) return false; // empty label
      dots++;
      labelStart = i + 1;
    } else if (!isAlnum(c) && c !== 45) return false;
  }
  const tldLen = to - labelStart;
  if (dots < 1 || tldLen < 2 || tldLen > 6) return false;
  for (let i = labelStart; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < C.a || c > C.z) return false;
  }
  return dots >= 2 || COMMON_TLDS.has(s.slice(labelStart, to));
}

/** Segment-wise masking: alphanumeric runs split by punctuation; numeric runs become WILDCARD. */
function maskSegments(s: string, from: number, to: number): string {
  let out = '';
  let i = from;
  let lastWasWild = false;
  let pendingSep = '';
  while (i < to) {
    const c = s.charCodeAt(i);
    if (!isAlnum(c)) {
      let j = i;
      while (j < to && !isAlnum(s.charCodeAt(j))) j++;
      pendingSep += s.slice(i, j);
      i = j;
      continue;
    }
    let j = i;
    while (j < to && isAlnum(s.charCodeAt(j))) j++;
    const wild = isNumericSegment(s, i, j);
    if (wild && lastWasWild && isSepRun(pendingSep)) {
      // <*>.<*> collapses into one wildcard
    } else {
      // a '-' right before a number, after punctuation, is its sign: blk_-42 -> blk_<*>
      if (wild && pendingSep.length >= 2 && pendingSep.endsWith('-')) pendingSep = pendingSep.slice(0, -1);
      out += pendingSep + (wild ? WILDCARD : s.slice(i, j));
    }
    pendingSep = '';
    lastWasWild = wild;
    i = j;
  }
  return out + pendingSep;
}

function isSepRun(sep: string): boolean {
  for (let k = 0; k < sep.length; k++) if (!isNumSep(sep.charCodeAt(k))) return false;
  return true;
}

function isWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

/**
 * A 53-bit key for the masked token sequence of a message, computed without building it. Each
 * masked token is hashed on its own (two independent 32-bit hashes) and the token hashes are
 * chained. Tokens maskToken leaves alone (most words) are hashed in place from the message;
 * numbers, times and addresses (openers + WILDCARD + closers) likewise; other tokens are masked,
 * through a small memo of recent ones. Two messages with the same masked sequence have the same
 * key, and tokenize turns them into the same tokens (its whole-line steps depend on that sequence
 * alone); two different sequences share a key only if both 32-bit hashes collide at once (about
 * one lookup in 10^11 with 50,000 keys in use). The miner's fast path: a line whose key it has
 * seen goes to that line's cluster without tokenizing, joining or hashing a string.
 */
export function lineKey(message: string): number {
  let l1 = 0x811c9dc5 | 0;
  let l2 = 0x2f8a7f1b | 0;
  const n = message.length;
  let i = 0;
  while (i < n) {
    let c = message.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) { i++; continue; }
    // one pass over the token: its end, whether maskToken leaves it alone, and its hashes
    let a = 0x811c9dc5 | 0;
    let b = 0x2f8a7f1b | 0;
    let plain = true;
    const start = i;
    while (i < n) {
      c = message.charCodeAt(i);
      if (c === 32 || (c >= 9 && c <= 13)) break;
      if ((c >= C.D0 && c <= C.D9) || c === C.Slash || c === C.At || c === C.Backslash) plain = false;
      else if (c === C.Dot && i + 1 < n && !isWhitespace(message.charCodeAt(i + 1))) plain = false;
      a = Math.imul(a ^ c, 0x01000193);
      b = (Math.imul(b, 0x3b9) + c) | 0;
      i++;
    }
    if (plain && i - start >= 4) {
      // a literal (true, false, null) ends in e or l, maybe before closing punctuation
      let e = message.charCodeAt(i - 1) | 32;
      if (e !== 101 && e !== 108) {
        if (isCloser(message.charCodeAt(i - 1))) {
          e = message.charCodeAt(i - 2) | 32;
          if (e === 101 || e === 108 || isCloser(message.charCodeAt(i - 2))) plain = false;
        }
      } else plain = false;
    }
    if (!plain) {
      let from = start;
      let to = i;
      while (from < to && isOpener(message.charCodeAt(from))) from++;
      while (to > from && isCloser(message.charCodeAt(to - 1))) to--;
      if (isNumberCore(message, from, to)) {
        // a number, time or address: maskToken makes it openers + WILDCARD + closers
        let x = 0x811c9dc5 | 0;
        let y = 0x2f8a7f1b | 0;
        for (let k = start; k < i; k++) {
          let ch = message.charCodeAt(k);
          if (k === from) {
            x = Math.imul(Math.imul(x ^ 60, 0x01000193) ^ 42, 0x01000193); // '<', '*'
            y = (Math.imul((Math.imul(y, 0x3b9) + 60) | 0, 0x3b9) + 42) | 0;
            ch = 62; // '>'
            k = to - 1;
          }
          x = Math.imul(x ^ ch, 0x01000193);
          y = (Math.imul(y, 0x3b9) + ch) | 0;
        }
        a = x;
        b = y;
      } else {
        // recurring tokens ("jk2_init()", "uid=0"): the memo knows their masked hashes by their
        // raw ones (both 32-bit hashes must match, as for line keys)
        const slot = a & (MEMO_SIZE - 1);
        if (memoSet[slot] === 1 && memoRawA[slot] === a && memoRawB[slot] === b) {
          a = memoA[slot]!;
          b = memoB[slot]!;
        } else {
          memoSet[slot] = 1;
          memoRawA[slot] = a;
          memoRawB[slot] = b;
          const t = maskToken(message.slice(start, i));
          a = 0x811c9dc5 | 0;
          b = 0x2f8a7f1b | 0;
          for (let k = 0; k < t.length; k++) {
            const ch = t.charCodeAt(k);
            a = Math.imul(a ^ ch, 0x01000193);
            b = (Math.imul(b, 0x3b9) + ch) | 0;
          }
          memoA[slot] = a;
          memoB[slot] = b;
        }
      }
    }
    // chain the token's hashes into the line's
    l1 = Math.imul(l1 ^ a, 0x01000193);
    l1 ^= l1 >>> 15;
    l2 = Math.imul((Math.imul(l2, 0x3b9) + b) | 0, 0x85ebca6b);
    l2 ^= l2 >>> 13;
  }
  return (l1 >>> 0) * 2097152 + (l2 >>> 11);
}

/**
 * lineKey's memo of masked-token hashes, indexed by the raw token's hash: tokens such as
 * "jk2_init()" or "uid=0" recur on most lines of their event. Fixed size; a pure function's cache.
 */
const MEMO_SIZE = 4096;
const memoSet = new Uint8Array(MEMO_SIZE);
const memoRawA = new Int32Array(MEMO_SIZE);
const memoRawB = new Int32Array(MEMO_SIZE);
const memoA = new Int32Array(MEMO_SIZE);
const memoB = new Int32Array(MEMO_SIZE);

/**
 * A core of digits and number separators holding a digit: maskToken turns a token that is such a
 * core between openers and closers into openers + WILDCARD + closers.
 */
function isNumberCore(s: string, from: number, to: number): boolean {
  if (from >= to) return false;
  let digit = false;
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (isDigit(c)) digit = true;
    else if (!isNumSep(c)) return false;
  }
  return digit;
}

/** Units of size and time that follow a number as their own token ("384.0 B", "12 ms", "5 seconds"). */
const UNITS = new Set([
  'b', 'kb', 'mb', 'gb', 'tb', 'pb', 'kib', 'mib', 'gib', 'tib', 'k', 'm', 'g',
  'ns', 'us', 'µs', 'ms', 's', 'sec', 'secs', 'min', 'mins', 'h', 'hr', 'hrs',
  'second', 'seconds', 'minute', 'minutes', 'hour', 'hours', 'day', 'days',
]);

/**
 * Is toks[k] the unit of the number before it? Such a unit belongs to the value: "17.2 MB" and
 * "384.0 B" are one size, whichever unit the value happened to need.
 */
export function isUnitAt(toks: readonly string[], k: number): boolean {
  if (k === 0 || toks[k - 1] !== WILDCARD) return false;
  const t = toks[k]!;
  let to = t.length;
  while (to > 0 && isCloser(t.charCodeAt(to - 1))) to--;
  return to > 0 && to <= 7 && UNITS.has(t.slice(0, to).toLowerCase());
}

/** Split on whitespace and mask every token. */
export function tokenize(message: string): string[] {
  const out: string[] = [];
  const n = message.length;
  let wild = false;
  let i = 0;
  while (i < n) {
    while (i < n && isWhitespace(message.charCodeAt(i))) i++;
    if (i >= n) break;
    let j = i;
    while (j < n && !isWhitespace(message.charCodeAt(j))) j++;
    const raw = message.slice(i, j);
    const t = maskToken(raw);
    if (t !== raw) wild = true;
    out.push(t);
    i = j;
  }
  if (!wild) return out; // nothing masked: no timestamp words, no repeats to collapse
  // Month / weekday names next to a masked number are part of a timestamp (right to left, so
  // "Sun Jul <*>" masks both words).
  for (let k = out.length - 1; k >= 0; k--) {
    const t = out[k]!;
    if (t.length < 3 || t.length > 9) continue;
    if ((k > 0 && out[k - 1] === WILDCARD) || (k + 1 < out.length && out[k + 1] === WILDCARD)) {
      if (TIME_WORDS.has(t.toLowerCase())) out[k] = WILDCARD;
    }
  }
  collapseRepeats(out);
  return out;
}

/**
 * Lists of variable length (a run of ids, "node-<*> <*> <ok>" repeated) collapse to one period:
 * a group of 1..MAX_PERIOD tokens holding a wildcard that repeats right after itself is dropped.
 */
const MAX_PERIOD = 3;
function collapseRepeats(toks: string[]): void {
  for (let p = 1; p <= MAX_PERIOD; p++) {
    if (toks.length < 2 * p) continue;
    let w = p; // write index; toks[0..w) kept
    for (let r = p; r < toks.length; r++) {
      // does toks[r..r+p) repeat the kept group toks[w-p..w)?
      if (r + p <= toks.length) {
        let rep = true;
        let wild = false;
        for (let k = 0; k < p; k++) {
          const a = toks[w - p + k]!;
          if (a !== toks[r + k]) { rep = false; break; }
          if (a.includes(WILDCARD)) wild = true;
        }
        if (rep && wild) { r += p - 1; continue; }
      }
      toks[w++] = toks[r]!;
    }
    toks.length = w;
  }
}
