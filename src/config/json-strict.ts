/**
 * JSON.parse accepts duplicate keys (last wins) and reports byte offsets. Registry and settings files are
 * hand-edited, so a duplicate key is a silent bug: this scanner finds duplicates and turns offsets into
 * line:column before we trust JSON.parse.
 */
export interface JsonProblem {
  message: string;
  line: number;
  column: number;
  keyPath?: string;
}

export function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/** Parses text as JSON; returns the value or the first problem (syntax error or duplicate key). */
export function parseJsonStrict(text: string): { ok: true; value: unknown } | { ok: false; problem: JsonProblem } {
  // The scanner validates syntax (with a position V8 does not always give) and finds duplicate keys.
  const problem = scan(text);
  if (problem) return { ok: false, problem };
  return { ok: true, value: JSON.parse(text) };
}

class Stop {
  constructor(
    readonly offset: number,
    readonly message: string,
    readonly keyPath?: string,
  ) {}
}

/**
 * Deeper nesting than any file helm-cloud reads needs: the scanner (and JSON.parse, zod and the key walks
 * after it) recurse per level, so a deeper document is refused by position instead of exhausting the stack.
 */
export const MAX_DEPTH = 256;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function scan(text: string): JsonProblem | undefined {
  let i = 0;
  const path: string[] = [];
  const describe = (at: number) => (at >= text.length ? 'end of file' : `'${JSON.stringify(text[at]).slice(1, -1)}'`);
  const fail = (message: string, at = i, keyPath?: string): never => {
    throw new Stop(at, message, keyPath);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || text[i] === '\n')) i++;
  };
  /** Scans a string; returns its value only for keys (values are decoded once, by JSON.parse). */
  const str = (decode = true): string => {
    const start = i;
    let escaped = false;
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail('control character inside a string (escape it)');
      if (text[i] === '\\') {
        escaped = true;
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('invalid \\u escape');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail('invalid escape in a string');
      } else i++;
    }
    if (i >= text.length) fail('unterminated string', start);
    i++;
    if (!decode) return '';
    return escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
  };
  /** After a member or element: ',' means another follows (true); the closer ends the container (false). */
  const next = (close: '}' | ']'): boolean => {
    ws();
    if (text[i] === ',') {
      i++;
      ws();
      if (text[i] === close) fail(`trailing comma before '${close}'`);
      return true;
    }
    if (text[i] === close) {
      i++;
      return false;
    }
    return fail(`expected ',' or '${close}', found ${describe(i)}`);
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if ((c === '{' || c === '[') && path.length >= MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a quoted key, found ${describe(i)}`);
        const keyAt = i;
        const key = str();
        if (seen.has(key)) fail(`duplicate key "${key.slice(0, 60)}"`, keyAt, [...path, key].join('.'));
        seen.add(key);
        ws();
        if (text[i] !== ':') fail(`expected ':' after a key, found ${describe(i)}`);
        i++;
        path.push(key);
        value();
        path.pop();
        if (!next('}')) return;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (let n = 0; ; n++) {
        path.push(String(n));
        value();
        path.pop();
        if (!next(']')) return;
      }
    }
    if (c === '"') {
      str(false);
      return;
    }
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m && m[0].length) {
      i += m[0].length;
      return;
    }
    fail(`expected a value, found ${describe(i)}`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${describe(i)} after the end of the document`);
    return undefined;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const { line, column } = lineCol(text, e.offset);
    return { message: e.keyPath ? e.message : `invalid JSON: ${e.message}`, line, column, keyPath: e.keyPath };
  }
}
