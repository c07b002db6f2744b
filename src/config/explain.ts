/** Turns zod issues into one actionable line each: file, key path, what was expected, the fix. */
import type { z } from 'zod';
import { HelmError } from '../errors.js';

// Kept here for config's callers; the pure matcher lives in core so core modules can suggest names too.
export { closest, editDistance } from '../core/closest.js';
import { closest } from '../core/closest.js';

/** Makes user-supplied text safe to print on one line: no control characters, bounded length. */
export function printable(text: unknown, max = 80): string {
  const s = typeof text === 'string' ? text : JSON.stringify(text) ?? String(text);
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '?');
  return clean.length > max ? clean.slice(0, max - 1) + '…' : clean;
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function describeType(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'a table/object';
  return `${typeof v} ${printable(v, 40)}`;
}

/** One line per issue. `allowedKeys(path)` lets the caller name valid keys for unknown-key errors. */
export function explainZod(file: string, error: z.ZodError, data: unknown, schema?: z.ZodType): string[] {
  const lines: string[] = [];
  for (const issue of error.issues) {
    const path = pathOf(issue.path);
    const at = path ? `${file}: ${path}` : file;
    const got = valueAt(data, issue.path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        for (const key of issue.keys) {
          const keyPath = path ? `${path}.${key}` : key;
          const known = schema ? keysAt(schema, issue.path) : [];
          const near = closest(key, known);
          lines.push(
            `${file}: ${keyPath}: unknown key. Fix: ${near ? `rename it to "${near}"` : 'remove it'}` +
              (known.length ? ` (valid keys: ${known.join(', ')})` : ''),
          );
        }
        break;
      }
      case 'invalid_type': {
        if (got === undefined) lines.push(`${at}: missing (expected ${issue.expected}). Fix: add it`);
        else lines.push(`${at}: expected ${issue.expected}, got ${describeType(got)}. Fix: change the value`);
        break;
      }
      case 'invalid_value': {
        const values = (issue as { values?: unknown[] }).values ?? [];
        const near = typeof got === 'string' ? closest(got, values.map(String)) : undefined;
        lines.push(
          `${at}: ${describeType(got)} is not allowed (expected one of ${values.map((v) => JSON.stringify(v)).join(', ')})` +
            (near ? `. Fix: did you mean "${near}"?` : '. Fix: use one of the listed values'),
        );
        break;
      }
      case 'invalid_union': {
        // SLO values: a number, or false to switch the SLO off.
        if (typeof got === 'number') lines.push(`${at}: ${describeType(got)} is invalid (expected a finite number ≥ 0, or false to switch it off). Fix: change the value`);
        else lines.push(`${at}: expected number (or false to switch it off), got ${describeType(got)}. Fix: change the value`);
        break;
      }
      case 'too_small':
      case 'too_big': {
        lines.push(`${at}: ${describeType(got)} is too ${issue.code === 'too_small' ? 'small' : 'big'} (expected ${bound(issue)}). Fix: change the value`);
        break;
      }
      case 'not_multiple_of': {
        lines.push(`${at}: ${describeType(got)} is invalid (expected a multiple of ${String((issue as { divisor?: unknown }).divisor)}). Fix: change the value`);
        break;
      }
      default: {
        // Our schemas word their own messages (refinements, formats); zod's defaults ("Invalid input") say nothing.
        const own = issue.message && !/^(Invalid|Too (small|big))\b/.test(issue.message) ? issue.message : 'a different value';
        lines.push(`${at}: ${describeType(got)} is invalid (expected ${own.replace(/[.\s]+$/, '')}). Fix: change the value`);
      }
    }
  }
  return lines;
}

export interface ForeignKey {
  /** Key path as users read it: deployments[0].resources[1].owner_team */
  keyPath: string;
  /** A known key at the same place that this one is probably a misspelling of. */
  near?: string;
}

/**
 * Keys in `data` that `schema` does not declare, depth first. Files another tool writes (registry/, shared/)
 * are read with these ignored: the tool may be newer than us; doctor lists them so a typo is still visible.
 */
export function foreignKeys(schema: z.ZodType, data: unknown, path: PropertyKey[] = []): ForeignKey[] {
  const out: ForeignKey[] = [];
  const kind = shapeAt(schema, path);
  if (data === null || typeof data !== 'object') return out;
  if (Array.isArray(data)) {
    if (kind === 'array') data.forEach((v, i) => out.push(...foreignKeys(schema, v, [...path, i])));
    return out;
  }
  if (kind === 'record') {
    for (const [k, v] of Object.entries(data)) out.push(...foreignKeys(schema, v, [...path, k]));
    return out;
  }
  if (!Array.isArray(kind)) return out;
  for (const [k, v] of Object.entries(data)) {
    if (kind.includes(k)) out.push(...foreignKeys(schema, v, [...path, k]));
    else out.push({ keyPath: pathOf([...path, k]), near: closest(k, kind) });
  }
  return out;
}

/**
 * Removes, in place, keys whose value is `null` where the schema makes the key optional (or gives a default):
 * a tool writing a shared file (registry/, shared/) may serialise an absent value as null (Python's None, Go's
 * nil pointer). A null where a value is required stays, and is reported. Returns `data`.
 */
export function dropNullOptionals(schema: z.ZodType, data: unknown): unknown {
  type Def = { type?: string; shape?: Record<string, z.ZodType>; valueType?: unknown; element?: unknown };
  // A registry holds tens of thousands of objects of a few schemas: unwrap each schema once.
  const defs = new Map<unknown, Def | undefined>();
  const defOf = (s: unknown): Def | undefined => {
    if (!defs.has(s)) defs.set(s, (unwrapSchema(s) as { _zod?: { def?: Def } })._zod?.def);
    return defs.get(s);
  };
  const walk = (s: unknown, v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    const def = defOf(s);
    if (!def) return;
    if (Array.isArray(v)) {
      if (def.type === 'array') for (const x of v) walk(def.element, x);
      return;
    }
    const obj = v as Record<string, unknown>;
    if (def.type === 'record') {
      for (const k in obj) walk(def.valueType, obj[k]);
    } else if (def.type === 'object' && def.shape) {
      for (const k in obj) {
        const field = Object.hasOwn(def.shape, k) ? def.shape[k] : undefined;
        const x = obj[k];
        if (!field || (x !== null && typeof x !== 'object')) continue;
        if (x === null) {
          if (field.safeParse(undefined).success) delete obj[k];
        } else walk(field, x);
      }
    }
  };
  walk(schema, data);
  return data;
}

function unwrapSchema(s: unknown): unknown {
  for (let i = 0; i < 10; i++) {
    const def = (s as { _zod?: { def?: { type?: string; innerType?: unknown; in?: unknown } } })._zod?.def;
    if (def && (def.type === 'optional' || def.type === 'default' || def.type === 'nullable' || def.type === 'prefault')) s = def.innerType;
    else if (def && def.type === 'pipe') s = def.in;
    else break;
  }
  return s;
}

/** What the schema expects at `path`: the keys of an object, or 'record' / 'array' / undefined (a leaf). */
function shapeAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | 'record' | 'array' | undefined {
  let s: unknown = schema;
  for (const p of path) {
    s = unwrapSchema(s);
    const def = (s as { _zod?: { def?: { type?: string; shape?: Record<string, unknown>; valueType?: unknown; element?: unknown } } })._zod?.def;
    if (!def) return undefined;
    if (def.type === 'object' && def.shape) s = def.shape[String(p)];
    else if (def.type === 'record') s = def.valueType;
    else if (def.type === 'array') s = def.element;
    else return undefined;
  }
  s = unwrapSchema(s);
  const def = (s as { _zod?: { def?: { type?: string; shape?: Record<string, unknown> } } })._zod?.def;
  if (def?.type === 'object' && def.shape) return Object.keys(def.shape);
  if (def?.type === 'record') return 'record';
  if (def?.type === 'array') return 'array';
  return undefined;
}

/** The keys an object schema accepts at `path`, seeing through optional/default/record wrappers. */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const kind = shapeAt(schema, path);
  return Array.isArray(kind) ? kind : [];
}

/** A file with a problem on every one of 20 000 resources gets a screenful, not 20 000 lines. */
export const MAX_PROBLEM_LINES = 20;

export function configProblem(file: string, lines: string[]): HelmError {
  const shown = lines.length > MAX_PROBLEM_LINES ? [...lines.slice(0, MAX_PROBLEM_LINES), `… and ${lines.length - MAX_PROBLEM_LINES} more in ${file} (fix these, then run again to see the rest)`] : lines;
  const message = lines.length === 1 ? lines[0]! : `${lines.length} problems:\n  ${shown.join('\n  ')}`;
  // The lines already carry file and fix; describe() prints message as-is.
  return new HelmError('config', message);
}

/** "a number ≥ 0", "at least 1 item": a too_small / too_big issue's bound in words. */
export function bound(issue: z.core.$ZodIssue): string {
  const i = issue as { code: string; origin?: string; minimum?: number | bigint; maximum?: number | bigint; inclusive?: boolean };
  const n = i.code === 'too_small' ? i.minimum : i.maximum;
  const op = i.code === 'too_small' ? (i.inclusive === false ? '>' : '≥') : i.inclusive === false ? '<' : '≤';
  if (i.origin === 'string' || i.origin === 'array' || i.origin === 'set') {
    const unit = i.origin === 'string' ? 'character' : 'item';
    return `${i.code === 'too_small' ? 'at least' : 'at most'} ${String(n)} ${unit}${Number(n) === 1 ? '' : 's'}`;
  }
  return `a number ${op} ${String(n)}`;
}

/** One zod issue as "what was expected", in our words (for values that are not in a file, e.g. --param). */
export function expectedText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
    case 'too_big':
      return bound(issue);
    case 'invalid_type':
      return `a ${String((issue as { expected?: unknown }).expected)}`;
    case 'invalid_value':
      return `one of ${((issue as { values?: unknown[] }).values ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message && !/^(Invalid|Too (small|big))\b/.test(issue.message) ? issue.message.replace(/[.\s]+$/, '') : 'a different value';
  }
}
