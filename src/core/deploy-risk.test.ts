import { describe, expect, it } from 'vitest';
import { assessRisk, type RiskInputs } from './deploy-risk.js';

const calm: RiskInputs = {
  errorBudgetRemainingPercent: 90,
  budgetBlockPercent: 0,
  health: 'HEALTHY',
  openIncidents: 0,
  firingAlerts: { critical: 0, warning: 0 },
  window: { open: true, lateWeek: false, reason: 'inside window Mon–Fri 09:00–17:00' },
  changeFailure: { deploys: 10, failures: 0 },
  diff: { changes: 0, summary: 'no changes' },
  protectedEnv: false,
};

describe('assessRisk', () => {
  it('a calm release is low risk with every factor shown', () => {
    const r = assessRisk(calm);
    expect(r.level).toBe('low');
    expect(r.score).toBe(0);
    expect(r.factors.map((f) => f.id)).toEqual(['error_budget', 'health', 'incidents', 'alerts', 'timing', 'change_failure_rate', 'change_size', 'protected', 'migration', 'blast_radius']);
  });

  it('an exhausted error budget blocks whatever the score', () => {
    const r = assessRisk({ ...calm, errorBudgetRemainingPercent: -20 });
    expect(r.blocked).toBe(true);
    expect(r.level).toBe('blocked');
    expect(r.blockers[0]).toMatch(/error budget exhausted/);
  });

  it('a freeze blocks', () => {
    const r = assessRisk({ ...calm, window: { open: false, freeze: 'end-of-year', lateWeek: false, reason: 'freeze' } });
    expect(r.blockers).toEqual(['change freeze: end-of-year']);
  });

  it('a migration on a protected environment, late Friday, with a high blast radius is high risk', () => {
    const r = assessRisk({
      ...calm,
      protectedEnv: true,
      changesText: 'db migration + new endpoints',
      blastRadius: 'high',
      window: { open: false, lateWeek: true, reason: 'outside every change window' },
    });
    expect(r.level).toBe('high');
    expect(r.factors.find((f) => f.id === 'migration')!.detail).toContain('migration');
  });

  it('unknown inputs count half their weight and say so', () => {
    const r = assessRisk({ ...calm, openIncidents: null, firingAlerts: null });
    const incidents = r.factors.find((f) => f.id === 'incidents')!;
    expect(incidents.status).toBe('unknown');
    expect(incidents.points).toBe(8);
    expect(r.score).toBe(13);
  });

  it('a recent change-failure rate adds in proportion', () => {
    const r = assessRisk({ ...calm, changeFailure: { deploys: 10, failures: 5 } });
    expect(r.factors.find((f) => f.id === 'change_failure_rate')!.points).toBe(15);
  });

  it('the score is deterministic', () => {
    const input = { ...calm, changesText: 'schema change', blastRadius: 'medium' as const };
    expect(assessRisk(input)).toEqual(assessRisk(input));
  });
});
