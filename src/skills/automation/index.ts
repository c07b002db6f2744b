/**
 * Brakes on automation: the circuit breaker and progressive trust, persisted in the store under
 * `.fractary/plugins/helm-cloud/state/` — `circuit.json` (breakers by scope, locked read-modify-write),
 * `circuit.jsonl` (every transition with its reason) and `trust.jsonl` (every change of level; the level in
 * force is derived from it, so monitoring.toml is never rewritten). The responder asks `gate()` for the safety
 * level to use and reports each outcome to `record()`.
 */
import { admit, closedBreaker, DEFAULT_BREAKER, operate, record, scopesFor, tick, type Breaker, type BreakerConfig, type Transition } from '../../core/circuit.js';
import { defaultSafetyOf } from '../../actions/index.js';
import { neverExecuted, type Safety, type SafetyLevel } from '../../core/safety.js';
import { currentLevel, demotionFor, trustView, type TrustChange, type TrustEvidence, type TrustView } from '../../core/trust.js';
import type { Store } from '../../store/index.js';

export interface AutomationConfig {
  breaker: BreakerConfig;
  /** Verified successes before a promotion is suggested. */
  promoteAfter: number;
}

export const DEFAULT_AUTOMATION: AutomationConfig = { breaker: DEFAULT_BREAKER, promoteAfter: 5 };

const CIRCUIT = 'circuit.json';
const CIRCUIT_LOG = 'circuit.jsonl';
const TRUST_LOG = 'trust.jsonl';

type Breakers = Record<string, Breaker>;

export interface GateResult {
  safety: Safety;
  /** Warnings for the operator (breaker open, trust level in force). */
  notes: string[];
  /** Breaker scopes that admitted this run as a half-open trial. */
  trialScopes: string[];
}

export interface Outcome {
  env: string;
  action: string;
  /** A change was applied (not refused, skipped or planned). */
  applied: boolean;
  ok: boolean;
  /** Applied, but the verification found the symptom not fixed: this, not an API error, costs trust. */
  verificationFailed: boolean;
  /** Ran without a person confirming it. */
  automatic: boolean;
  detail: string;
  /** The action's level in monitoring.toml (trust starts there). */
  configured: SafetyLevel;
}

const isTransition = (r: unknown): r is Transition => Boolean(r) && typeof (r as Transition).scope === 'string' && typeof (r as Transition).to === 'string';
const isTrustChange = (r: unknown): r is TrustChange => Boolean(r) && typeof (r as TrustChange).action === 'string' && typeof (r as TrustChange).to === 'string';

export class Automation {
  constructor(
    private readonly state: Store,
    private readonly cfg: AutomationConfig,
    private readonly now: () => number,
  ) {}

  /** Breakers after time has passed (cool-downs ended become half-open, and that is recorded). */
  async breakers(): Promise<Breakers> {
    const transitions: Transition[] = [];
    const out = await this.state.updateJson<Breakers>(
      CIRCUIT,
      (cur) => {
        transitions.length = 0;
        const next: Breakers = { ...(cur ?? {}) };
        let changed = false;
        for (const [scope, b] of Object.entries(next)) {
          const t = tick(scope, b, this.now(), this.cfg.breaker);
          if (t.transition) {
            next[scope] = t.breaker;
            transitions.push(t.transition);
            changed = true;
          }
        }
        return changed ? next : undefined;
      },
      { what: 'the circuit breaker state', onInvalid: 'reset' },
    );
    for (const t of transitions) await this.state.append(CIRCUIT_LOG, t);
    return out ?? {};
  }

  /** Breakers as they stand now, read only: a cool-down that ended shows as half-open without being recorded (the next gate or `circuit status` records it). */
  async snapshot(): Promise<Breakers> {
    const cur = (await this.state.readJson<Breakers>(CIRCUIT, () => undefined)) ?? {};
    return Object.fromEntries(Object.entries(cur).map(([scope, b]) => [scope, tick(scope, b, this.now(), this.cfg.breaker).breaker]));
  }

  /**
   * Why the breaker state cannot be read (invalid JSON, a torn write), or undefined. A safety brake fails
   * closed: while it cannot be read, no automatic remediation runs and nothing overwrites it but a person's
   * `circuit open|close|reset`.
   */
  async unreadable(): Promise<string | undefined> {
    let why: string | undefined;
    await this.state.readJson(CIRCUIT, (e) => {
      why = `state/${CIRCUIT} is not valid JSON (${e.message})`;
      return undefined;
    });
    return why;
  }

  async transitions(): Promise<Transition[]> {
    return this.state.readLog(CIRCUIT_LOG, isTransition);
  }

  async trustChanges(): Promise<TrustChange[]> {
    return this.state.readLog(TRUST_LOG, isTrustChange);
  }

  /** The safety level this run uses: trust's level in force, raised by protection and by an open breaker. */
  async gate(env: { name: string; protected: boolean }, action: string, base: Safety): Promise<GateResult> {
    const notes: string[] = [];
    let { level, reason } = base;
    const changes = await this.trustChanges();
    const trusted = currentLevel(base.configured, changes, env.name, action);
    if (trusted.last && !neverExecuted(await defaultSafetyOf(action))) {
      level = trusted.level;
      reason = `trust level ${trusted.level} for ${action} in ${env.name} (${trusted.last.by === 'automatic' ? 'automatically' : `by ${trusted.last.by}`} ${trusted.last.at ? new Date(trusted.last.at).toISOString() : ''}: ${trusted.last.reason}); monitoring.toml says ${base.configured}`;
      if (env.protected && level === 'auto') {
        level = 'confirm';
        reason += `; ${env.name} is protected, so it asks even for auto actions`;
      }
    }
    const trialScopes: string[] = [];
    const unreadable = level === 'auto' ? await this.unreadable() : undefined;
    if (unreadable) {
      level = 'confirm';
      reason += `; the circuit breaker state cannot be read (${unreadable}), so no automatic remediation runs: it needs a person's confirmation`;
      notes.push(`circuit breaker state unreadable: ${unreadable} — running ${action} needs confirmation (--yes); \`helm-cloud circuit reset --env ${env.name}\` starts the breakers afresh`);
    } else if (level === 'auto') {
      const breakers = await this.breakers();
      const scopes = scopesFor(env.name, action);
      const blocked = scopes.map((s) => ({ s, a: admit(breakers[s] ?? closedBreaker(this.now())) })).find((x) => !x.a.allowed);
      if (blocked && !blocked.a.allowed) {
        level = 'confirm';
        reason += `; the circuit breaker for ${blocked.s} is ${blocked.a.reason}, so no automatic remediation runs: it needs a person's confirmation`;
        notes.push(`circuit breaker ${blocked.s}: ${blocked.a.reason} — running ${action} needs confirmation (--yes) and is a manual remediation`);
      } else {
        for (const s of scopes) if ((breakers[s]?.state ?? 'closed') === 'half_open') trialScopes.push(s);
        if (trialScopes.length) {
          await this.state.updateJson<Breakers>(CIRCUIT, (cur) => {
            const next = { ...(cur ?? {}) };
            for (const s of trialScopes) if (next[s]) next[s] = { ...next[s]!, trial: true };
            return next;
          }, { what: 'the circuit breaker state', onInvalid: 'reset' });
          notes.push(`circuit breaker half-open for ${trialScopes.join(', ')}: this run is the trial; its verification closes or re-opens it`);
        }
      }
    }
    return { safety: { ...base, level, reason }, notes, trialScopes };
  }

  /** Feeds an outcome to the breakers (env and env/action) and to trust. Returns what changed. */
  async record(o: Outcome): Promise<{ transitions: Transition[]; demotion?: TrustChange }> {
    const transitions: Transition[] = [];
    const now = this.now();
    // An unreadable state is left for a person to reset, not replaced by this one outcome.
    if (!(await this.unreadable())) await this.state.updateJson<Breakers>(
      CIRCUIT,
      (cur) => {
        transitions.length = 0;
        const next: Breakers = { ...(cur ?? {}) };
        for (const scope of scopesFor(o.env, o.action)) {
          const b = next[scope] ?? closedBreaker(now);
          if (!o.applied) {
            // Nothing was judged: a trial that did not run frees the half-open breaker for the next one.
            if (b.trial) next[scope] = { ...b, trial: false };
            continue;
          }
          const r = record(scope, b, { ok: o.ok, detail: o.detail, automatic: o.automatic }, now, this.cfg.breaker);
          next[scope] = r.breaker;
          if (r.transition) transitions.push(r.transition);
        }
        return next;
      },
      { what: 'the circuit breaker state', onInvalid: 'reset' },
    );
    for (const t of transitions) await this.state.append(CIRCUIT_LOG, t);
    let demotion: TrustChange | undefined;
    if (o.applied && o.verificationFailed) {
      const changes = await this.trustChanges();
      const cur = currentLevel(o.configured, changes, o.env, o.action).level;
      demotion = demotionFor(cur, o.env, o.action, now, o.detail);
      if (demotion) await this.state.append(TRUST_LOG, demotion);
    }
    return { transitions, ...(demotion ? { demotion } : {}) };
  }

  async operate(scope: string, op: 'open' | 'close' | 'reset', who: string, why?: string): Promise<Transition | undefined> {
    let transition: Transition | undefined;
    await this.state.updateJson<Breakers>(
      CIRCUIT,
      (cur) => {
        const next: Breakers = { ...(cur ?? {}) };
        const r = operate(scope, next[scope] ?? closedBreaker(this.now()), op, this.now(), who, why);
        next[scope] = r.breaker;
        transition = r.transition;
        return next;
      },
      { what: 'the circuit breaker state', onInvalid: 'reset' },
    );
    if (transition) await this.state.append(CIRCUIT_LOG, transition);
    return transition;
  }

  async view(env: string, action: string, configured: SafetyLevel, evidence: readonly TrustEvidence[]): Promise<TrustView> {
    return trustView({ env, action, configured, changes: await this.trustChanges(), evidence, promoteAfter: this.cfg.promoteAfter, promotable: !neverExecuted(await defaultSafetyOf(action)) });
  }

  async setLevel(change: TrustChange): Promise<void> {
    await this.state.append(TRUST_LOG, change);
  }
}

/** Trust evidence from remediation log records (outcome lines only). */
export function evidenceFrom(records: readonly { time: string; environment: string; action: string; outcome: string; verification: { ok: boolean; status: string } | null }[]): TrustEvidence[] {
  return records
    .filter((r) => r.outcome !== 'intent')
    .map((r) => ({
      env: r.environment,
      action: r.action,
      at: Date.parse(r.time),
      result: r.outcome === 'applied' && r.verification?.ok && r.verification.status === 'verified' ? 'verified' : r.outcome === 'failed' || (r.outcome === 'applied' && r.verification && !r.verification.ok) ? 'failed' : 'other',
    }));
}
