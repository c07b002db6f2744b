/**
 * Remediation safety policy (pure). The level comes from `[remediation]`; what happens next depends on the
 * level, the environment's protection, the TTY and the flags. No I/O here: the responder asks and acts.
 */
export type SafetyLevel = 'auto' | 'confirm' | 'never';

/**
 * An action whose own default safety is `never` (it destroys or opens access) is never executed, whatever
 * the config says: the action declares it (src/actions/<id>/index.ts `defaultSafety`), core names no action.
 */
export const neverExecuted = (defaultSafety: SafetyLevel | undefined): boolean => defaultSafety === 'never';

export interface RemediationPolicy {
  auto_remediate: readonly string[];
  require_confirmation: readonly string[];
  never_auto: readonly string[];
}

/** The [remediation] list that gives each level. */
export const LIST_OF: Record<SafetyLevel, string> = { auto: 'auto_remediate', confirm: 'require_confirmation', never: 'never_auto' };

export interface Safety {
  level: SafetyLevel;
  /** The level before a protected environment raised it (what the config says). */
  configured: SafetyLevel;
  reason: string;
  protected: boolean;
}

/**
 * `defaultSafety`: the action's declared default. `never` is a floor; otherwise it only explains an unlisted
 * action (unlisted is never_auto: design, "unknown actions are never"), naming the list to add it to.
 */
export function resolveSafety(action: string, policy: RemediationPolicy, env: { name: string; protected: boolean }, defaultSafety?: SafetyLevel): Safety {
  let configured: SafetyLevel;
  let reason: string;
  // Strictest list wins when an action is listed twice: a typo must not loosen safety.
  if (neverExecuted(defaultSafety)) {
    configured = 'never';
    reason = `${action} is never executed by helm-cloud (it destroys or opens access); follow the runbook`;
  } else if (policy.never_auto.includes(action)) {
    configured = 'never';
    reason = `${action} is listed in [remediation] never_auto`;
  } else if (policy.require_confirmation.includes(action)) {
    configured = 'confirm';
    reason = `${action} is listed in [remediation] require_confirmation`;
  } else if (policy.auto_remediate.includes(action)) {
    configured = 'auto';
    reason = `${action} is listed in [remediation] auto_remediate`;
  } else {
    configured = 'never';
    reason = `${action} is not listed in [remediation]; unlisted actions count as never_auto`;
    if (defaultSafety) reason += ` (its default is ${defaultSafety}: add it to ${LIST_OF[defaultSafety]})`;
  }
  let level = configured;
  if (env.protected && level === 'auto') {
    level = 'confirm';
    reason += `; ${env.name} is protected, so it asks even for auto actions`;
  }
  return { level, configured, reason, protected: env.protected };
}

/**
 * What to do about consent once a plan exists and would change something.
 * - proceed: go ahead (auto, or --yes given)
 * - ask: prompt on the TTY
 * - needs-yes: refused, a confirmation is needed and nobody can answer (exit 2: add --yes)
 * - never: refused, print the runbook (exit 3)
 * - plan-only: --dry-run, stop after the plan (exit 0)
 */
export type Consent = 'proceed' | 'ask' | 'needs-yes' | 'never' | 'plan-only';

export function consentFor(level: SafetyLevel, run: { dryRun: boolean; yes: boolean; interactive: boolean }): Consent {
  if (level === 'never') return 'never';
  if (run.dryRun) return 'plan-only';
  if (level === 'auto') return 'proceed';
  if (run.yes) return 'proceed';
  return run.interactive ? 'ask' : 'needs-yes';
}
