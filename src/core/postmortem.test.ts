import { describe, expect, it } from 'vitest';
import { buildPostmortem, type PmInput } from './postmortem.js';

const t = (m: number) => Date.parse('2027-02-01T12:00:00Z') + m * 60_000;
const iso = (m: number) => new Date(t(m)).toISOString();
const base = (over: Partial<PmInput> = {}): PmInput => ({
  incident: { id: 'INC-4', title: 'queue backlog', urgency: 'high', status: 'resolved', createdAt: iso(0), resolvedAt: iso(30), alerts: [], issues: [], events: [{ at: iso(0), type: 'created' }, { at: iso(0), type: 'paged', tier: 1, users: ['ann'] }, { at: iso(30), type: 'resolved' }] },
  now: t(60),
  deploys: [],
  health: [],
  investigations: [],
  actions: [],
  alerts: [],
  issues: [],
  ...over,
});

describe('buildPostmortem', () => {
  it('says the SLO impact is unknown, not zero, when no health report was saved', () => {
    const p = buildPostmortem(base());
    expect(p.impact.slos).toEqual([]);
    expect(p.impact.note).toMatch(/^unknown: no health reports/);
    expect(p.times).toMatchObject({ detectMinutes: null, acknowledgeMinutes: null, mitigateMinutes: null, resolveMinutes: 30 });
  });

  it('asks why an incident that was never acknowledged was not, and why the policy had to escalate', () => {
    const inc = base().incident;
    inc.events.splice(2, 0, { at: iso(5), type: 'escalated', tier: 2, users: ['lead'], auto: true });
    const p = buildPostmortem(base({ incident: inc }));
    expect(p.actionItems.join('\n')).toMatch(/never acknowledged/);
    expect(p.actionItems.join('\n')).toMatch(/escalation tiers/);
    expect(p.timeline.map((e) => e.kind)).toEqual(['incident', 'page', 'escalation', 'resolve']);
  });

  it('counts an SLO interval without a burn rate as unknown time, and a failed remediation as an action item', () => {
    const health = (m: number, burn: number | null) => ({ at: t(m), environment: 'prod', verdict: 'UNHEALTHY', report: `r${m}`, resources: [{ id: 'sqs/orders', verdict: 'UNHEALTHY', reasons: ['age 900 s'], slos: [{ key: 'oldest_message_age_seconds', burn1h: burn, periodDays: 30, budgetConsumedPercent: null }] }] });
    const p = buildPostmortem(base({ health: [health(0, 2), health(10, null)], actions: [{ at: t(12), action: 'scale_resources', target: 'orders-worker', outcome: 'failed', reason: 'quota', environment: 'prod', operator: 'ann' }] }));
    expect(p.impact.slos[0]).toMatchObject({ slo: 'sqs/orders oldest_message_age_seconds' });
    expect(p.impact.slos[0]!.consumedPercent).toBeCloseTo((2 * 10) / (30 * 1440) * 100, 2);
    expect(p.impact.slos[0]!.basis).toMatch(/20 min without a burn rate/);
    expect(p.actionItems[0]).toMatch(/scale_resources on orders-worker .*failed: quota/);
    expect(p.times.mitigateMinutes).toBeNull();
  });
});
