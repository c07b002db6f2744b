import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESOURCE_TYPES, SLO_KEYS } from '../config/schemas.js';
import { loadResource, RESOURCES } from './index.js';

describe('resource registry', () => {
  it('has exactly one entry per resource type and one folder per entry', () => {
    const folders = readdirSync(import.meta.dirname).filter((f) => statSync(join(import.meta.dirname, f)).isDirectory());
    expect(Object.keys(RESOURCES).sort()).toEqual([...RESOURCE_TYPES].sort());
    expect(folders.sort()).toEqual([...RESOURCE_TYPES].sort());
  });

  it.each([...RESOURCE_TYPES])('%s: descriptor key matches, every SLO key is known, every configurable key is evaluated or explained', async (type) => {
    const d = await loadResource(type);
    expect(d.type).toBe(type);
    const known = new Set(SLO_KEYS[type]);
    const evaluated = d.slos.map((s) => s.key);
    for (const k of evaluated) expect(known.has(k), `${type}.${k} missing from SLO_KEYS`).toBe(true);
    const metricIds = new Set(d.metrics.map((m) => m.id));
    for (const s of d.slos) for (const m of [...s.metrics, ...(s.events?.bad ?? []), ...(s.events?.total ?? [])]) expect(metricIds.has(m), `${type}.${s.key} reads unknown metric ${m}`).toBe(true);
    for (const k of SLO_KEYS[type]) {
      if (k === 'period_days') continue;
      expect(evaluated.includes(k) || Boolean(d.notEvaluated?.[k]), `${type}.${k} is neither evaluated nor explained`).toBe(true);
    }
  });

  it('names the closest type for an unknown one', async () => {
    await expect(loadResource('lamda')).rejects.toMatchObject({ kind: 'input', fix: 'did you mean lambda?' });
  });
});
