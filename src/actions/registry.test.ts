/** Registry lint: every entry loads, its id is its folder, its contract is complete, and it has a runbook. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESOURCE_TYPES } from '../config/schemas.js';
import { ACTION_IDS, loadAction } from './index.js';

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

  it('every action that can be applied has a second-run test against its real backend', () => {
    // AWS actions against moto; Kubernetes actions against the real API server.
    const tests = ['remediate-actions.test.ts', 'kubernetes.test.ts'].map((f) => readFileSync(join(import.meta.dirname, '../../test/integration', f), 'utf8')).join('\n');
    for (const id of ACTION_IDS.filter((i) => i !== 'delete_resources' && i !== 'modify_security_groups')) {
      expect(tests, id).toMatch(new RegExp(`describe\\('${id}`));
    }
  });

  it('delete_resources and modify_security_groups default to never', async () => {
    for (const id of ['delete_resources', 'modify_security_groups']) expect((await loadAction(id)).defaultSafety).toBe('never');
  });

  it('an unknown action is an input error naming the closest one', async () => {
    await expect(loadAction('restart_lamda')).rejects.toMatchObject({ kind: 'input', fix: expect.stringContaining('restart_lambda') });
  });
});
