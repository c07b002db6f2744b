/**
 * Remediation plans (pure): the exact changes, blast radius, reversibility, and the IAM the change needs.
 * An action computes its target state; `diffState` turns current → target into changes, and an empty list
 * means the resource is already in the target state (the second run of a remediation changes nothing).
 */
export type Scalar = string | number | boolean | null;

export interface Change {
  field: string;
  from: Scalar;
  to: Scalar;
}

export interface Plan {
  changes: Change[];
  /** Who and what is affected, in one or two sentences. */
  blastRadius: string;
  reversible: boolean;
  /** How to undo (a helm-cloud command where one exists, else the manual step), or why it cannot be undone. */
  undo: string;
  permissions: string[];
  /** Why there is nothing to change, when changes is empty. */
  noopReason?: string;
  /** Things the operator should know before saying yes (e.g. a pending reboot). */
  warnings: string[];
}

/** Changes for every field of `target` whose value differs from `current`, in the target's key order. */
export function diffState(current: Record<string, Scalar | undefined>, target: Record<string, Scalar | undefined>): Change[] {
  const out: Change[] = [];
  for (const [field, to] of Object.entries(target)) {
    if (to === undefined) continue;
    const from = current[field] ?? null;
    if (!sameValue(from, to)) out.push({ field, from, to });
  }
  return out;
}

export function sameValue(a: Scalar | undefined, b: Scalar | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  // Values read back from AWS are often strings ("200") where the plan holds numbers (200).
  return String(a) === String(b);
}

/** Fields of the plan whose value in `after` is not what the plan set. */
export function unmetChanges(changes: readonly Change[], after: Record<string, Scalar | undefined>): Change[] {
  return changes.filter((c) => !sameValue(after[c.field] ?? null, c.to));
}

export function describeChange(c: Change): string {
  const v = (x: Scalar) => (x === null ? '(none)' : String(x));
  return `${c.field}: ${v(c.from)} → ${v(c.to)}`;
}

/** "30m", "2h" etc. for idempotency windows. */
export function formatMinutes(min: number): string {
  return min % 60 === 0 && min >= 60 ? `${min / 60}h` : `${min}m`;
}
