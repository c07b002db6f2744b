import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESOURCE_TYPES as CONFIG_TYPES, SLO_KEYS as CONFIG_SLO_KEYS } from '../config/schemas.js';
import { loadResource, RESOURCE_TYPES, RESOURCES, SLO_KEYS, typeWords } from './index.js';
import { isNone } from './types.js';

const KINDS = ['errors', 'latency', 'throttles', 'traffic', 'cpu', 'memory', 'connections', 'storage', 'concurrency', 'backlog'];
const sample = { name: 'orders-x', region: 'eu-west-1', cluster: 'main', stage: 'prod', namespace: 'shop', arn: 'arn:aws:apigateway:eu-west-1::/restapis/abc123/stages/prod' };
const reason = (x: unknown) => (isNone(x) ? x.none : undefined);

describe('resource registry', () => {
  it('has exactly one entry per folder, and config validates against the same types', () => {
    const folders = readdirSync(import.meta.dirname).filter((f) => statSync(join(import.meta.dirname, f)).isDirectory());
    expect(folders.sort()).toEqual([...RESOURCE_TYPES].sort());
    expect(CONFIG_TYPES).toBe(RESOURCE_TYPES);
    expect(CONFIG_SLO_KEYS).toBe(SLO_KEYS);
  });

  describe.each([...RESOURCE_TYPES])('%s descriptor is complete', (type) => {
    const t = RESOURCES[type];

    it('names its folder, service and read call', () => {
      expect(t.type).toBe(type);
      expect(existsSync(join(import.meta.dirname, type, 'type.ts'))).toBe(true);
      expect(existsSync(join(import.meta.dirname, type, 'index.ts'))).toBe(true);
      expect(t.service).toMatch(/^[a-z0-9]+$/);
      expect(t.readOperation.length).toBeGreaterThan(0);
    });

    it('has CloudWatch metrics and dimensions, or says why not', () => {
      if (t.namespace) {
        expect(t.noCloudWatch).toBeUndefined();
        expect(t.dimensions(sample).length).toBeGreaterThan(0);
        expect(t.dimensions(sample).some((d) => d.value === sample.name)).toBe(true);
      } else {
        expect(t.noCloudWatch?.length).toBeGreaterThan(10);
        expect(t.dimensions(sample)).toEqual([]);
      }
    });

    it('has investigation metrics of known kinds in its own namespace, or says why not', () => {
      if (isNone(t.investigate)) {
        expect(t.investigate.none.length).toBeGreaterThan(10);
        return;
      }
      expect(t.namespace).not.toBe('');
      expect(t.investigate.length).toBeGreaterThan(0);
      for (const m of t.investigate) expect(KINDS).toContain(m.kind);
    });

    it('has a log source, or says why not', () => {
      const src = t.logs(sample);
      if (isNone(src)) expect(src.none.length).toBeGreaterThan(10);
      else expect(src.name).toContain(src.name.startsWith('API-Gateway') ? 'abc123' : sample.name);
    });

    it('has words in investigate and remediate text, or says why not', () => {
      if (isNone(t.words)) return expect(reason(t.words)!.length).toBeGreaterThan(10);
      expect(t.words.scope.length).toBeGreaterThan(0);
      expect(t.words.request.length).toBeGreaterThan(0);
      for (const w of [...t.words.scope, ...t.words.request]) expect(w).toMatch(/^[a-z0-9]+$/);
    });

    it('has Security Hub / Config types and an IAM prefix, or says why not', () => {
      if (isNone(t.findingTypes)) expect(t.findingTypes.none.length).toBeGreaterThan(10);
      else {
        expect(t.findingTypes.some((x) => /^Aws[A-Z]/.test(x))).toBe(true);
        expect(t.findingTypes.some((x) => /^AWS::[A-Za-z0-9]+::/.test(x))).toBe(true);
      }
      if (isNone(t.iamPrefix)) expect(t.iamPrefix.none.length).toBeGreaterThan(10);
      else expect(t.iamPrefix).toMatch(/^[a-z0-9-]+$/);
    });

    it('has a delete runbook command naming the resource', () => {
      expect(t.deleteCommand(sample)).toMatch(/^(aws|kubectl) /);
      if (!t.deleteCommand(sample).includes('<')) expect(t.deleteCommand(sample)).toContain(sample.name);
    });

    it('loads its reader; every SLO key is known and every configurable key is evaluated or explained', async () => {
      const d = await loadResource(type);
      expect(d.type).toBe(type);
      expect(d.namespace).toBe(t.namespace);
      const known = new Set(SLO_KEYS[type]);
      const evaluated = d.slos.map((s) => s.key);
      for (const k of evaluated) expect(known.has(k), `${type}.${k} missing from sloKeys`).toBe(true);
      const metricIds = new Set(d.metrics.map((m) => m.id));
      for (const s of d.slos) for (const m of [...s.metrics, ...(s.events?.bad ?? []), ...(s.events?.total ?? [])]) expect(metricIds.has(m), `${type}.${s.key} reads unknown metric ${m}`).toBe(true);
      if (!t.namespace) expect(d.metrics).toEqual([]);
      for (const k of SLO_KEYS[type]) {
        if (k === 'period_days') continue;
        expect(evaluated.includes(k) || Boolean(d.notEvaluated?.[k]), `${type}.${k} is neither evaluated nor explained`).toBe(true);
      }
    });
  });

  it('a word names the same type in investigate and remediate text wherever both list it', () => {
    const scope = typeWords('scope');
    const request = typeWords('request');
    for (const [type, ws] of Object.entries(scope)) {
      for (const w of ws) {
        const elsewhere = Object.entries(request).filter(([t, rs]) => t !== type && rs.includes(w) && !(request[type] ?? []).includes(w));
        expect(elsewhere, `"${w}" names ${type} in investigate but ${elsewhere.map(([t]) => t).join('/')} in remediate`).toEqual([]);
      }
    }
  });

  it('names the closest type for an unknown one', async () => {
    await expect(loadResource('lamda')).rejects.toMatchObject({ kind: 'input', fix: 'did you mean lambda?' });
  });
});
