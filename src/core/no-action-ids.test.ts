/**
 * core names no action: what an action is, how a request names it and which hypothesis proposes it live in
 * src/actions/<id>/ and reach core as arguments. An id with an underscore is looked for as a word; an id that is
 * also an English word ("rollback") only as a quoted string.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../actions/index.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));
}

export function actionIdsIn(text: string, ids: readonly string[]): string[] {
  return ids.filter((id) => (id.includes('_') ? new RegExp(`\\b${id}\\b`) : new RegExp(`['"\`]${id}['"\`]`)).test(text));
}

describe('src/core names no registered action id', () => {
  it('finds an id where one is written (the scan can fail)', () => {
    expect(actionIdsIn("return { action: 'rollback' }", ACTION_IDS)).toEqual(['rollback']);
    expect(actionIdsIn('only increases (increase_capacity)', ACTION_IDS)).toEqual(['increase_capacity']);
    expect(actionIdsIn('no failure or rollback since', ACTION_IDS)).toEqual([]);
  });

  it.each(sources(import.meta.dirname).map((f) => [f.slice(import.meta.dirname.length + 1), f]))('%s', (_, file) => {
    expect(actionIdsIn(readFileSync(file, 'utf8'), ACTION_IDS)).toEqual([]);
  });
});
