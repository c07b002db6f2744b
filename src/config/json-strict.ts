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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    const { line, column } = m ? lineCol(text, Number(m[1])) : { line: 1, column: 1 };
    return { ok: false, problem: { message: `invalid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}`, line, column } };
  }
  const dup = findDuplicateKey(text);
  if (dup) return { ok: false, problem: dup };
  return { ok: true, value };
}

/** Walks valid JSON text and reports the first object key that appears twice. */
function findDuplicateKey(text: string): JsonProblem | undefined {
  let i = 0;
  const path: string[] = [];
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): JsonProblem | undefined => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return undefined;
      }
      for (;;) {
        ws();
        const keyAt = i;
        const key = str();
        if (seen.has(key)) {
          const { line, column } = lineCol(text, keyAt);
          const keyPath = [...path, key].join('.');
          return { message: `duplicate key "${key}"`, line, column, keyPath };
        }
        seen.add(key);
        ws();
        i++; // colon
        path.push(key);
        const p = value();
        path.pop();
        if (p) return p;
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        i++; // closing brace
        return undefined;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return undefined;
      }
      let n = 0;
      for (;;) {
        path.push(String(n++));
        const p = value();
        path.pop();
        if (p) return p;
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        i++;
        return undefined;
      }
    }
    if (c === '"') {
      str();
      return undefined;
    }
    while (i < text.length && !',]} \t\r\n'.includes(text[i]!)) i++;
    return undefined;
  };
  return value();
}
