/** Registry lint: every entry loads, its id is its folder, its contract is complete, and it has a runbook. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import TOML from '@iarna/toml';
import { LIST_OF, type SafetyLevel } from '../core/safety.js';
import { RESOURCE_TYPES } from '../resources/index.js';
import { ACTION_IDS, loadAction, loadAllActions } from './index.js';

const ACTIONS_BY_DEFAULT: Record<string, string[]> = { auto: [], confirm: [], never: [] };
for (const a of await loadAllActions()) ACTIONS_BY_DEFAULT[a.defaultSafety]!.push(a.id);
const HYPOTHESIS_KINDS = ['deploy_regression', 'throttling', 'timeout_limit', 'memory_limit', 'dependency_timeout', 'database_saturation', 'permission_error', 'traffic_surge', 'application_error', 'health_finding', 'crash_loop', 'failed_probe', 'bad_image'];

describe('action registry', () => {
  for (const id of ACTION_IDS) {
    it(`${id}: id matches its folder, declares permissions and applies to known types`, async () => {
      const a = await loadAction(id);
      expect(a.id).toBe(id);
      expect(existsSync(join(import.meta.dirname, id, 'index.ts'))).toBe(true);
      expect(a.permissions.length).toBeGreaterThan(0);
      expect(a.appliesTo.length).toBeGreaterThan(0);
      for (const t of a.appliesTo) expect(RESOURCE_TYPES).toContain(t);
      const rb = a.runbook(undefined, {});
      expect(rb.steps.length).toBeGreaterThan(0);
      expect(rb.cli.length).toBeGreaterThan(0);
      expect(rb.console).toBeTruthy();
    });
  }

  it('the example monitoring.toml lists every action under its default safety (init copies it; health merges over it)', () => {
    const example = TOML.parse(readFileSync(join(import.meta.dirname, '../../config/monitoring.example.toml'), 'utf8')) as { remediation: Record<string, string[]> };
    const listed = (level: string) => [...(example.remediation[LIST_OF[level as SafetyLevel]] ?? [])].sort();
    for (const level of ['auto', 'confirm', 'never']) expect(listed(level), LIST_OF[level as SafetyLevel]).toEqual(ACTIONS_BY_DEFAULT[level]!.sort());
  });

  it('every action is named by a request or says why not, and its remedies answer known hypotheses', async () => {
    for (const id of ACTION_IDS) {
      const a = await loadAction(id);
      if ('none' in a.phrases) expect(a.phrases.none.length, id).toBeGreaterThan(10);
      else {
        expect(a.phrases.rules.length, id).toBeGreaterThan(0);
        for (const w of a.phrases.words) expect(w).toMatch(/^[a-z]+$/);
      }
      for (const r of a.remedies ?? []) expect(HYPOTHESIS_KINDS, id).toContain(r.hypothesis);
    }
  });

  it('delete_resources and modify_security_groups default to never', async () => {
    for (const id of ['delete_resources', 'modify_security_groups']) expect((await loadAction(id)).defaultSafety).toBe('never');
  });

  it('an unknown action is an input error naming the closest one', async () => {
    await expect(loadAction('restart_lamda')).rejects.toMatchObject({ kind: 'input', fix: expect.stringContaining('restart_lambda') });
  });
});
