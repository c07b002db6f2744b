/**
 * CI gates (health, audit, deploy pre_deploy_checklist / post_deploy_verify) leave their artifacts even when the
 * run stops before a verdict: credentials, endpoint or permissions (exit 4), an AWS API failure (3), a bug (70).
 * Bad input (exit 2) stops before the gate ran and leaves nothing.
 */
import { isHelmError } from '../errors.js';
import type { Io } from '../io.js';
import type { OutputFormat } from '../report/model.js';
import { publishGateFailure, type GateFailure } from '../report/publish.js';

/** The failure document's fields that are known before the run; its timing is measured here. */
export type GateSpec = Omit<GateFailure, 'startedAt' | 'elapsedMs'> & { output: OutputFormat };

export async function gated<T>(io: Io, g: GateSpec, run: () => Promise<T>): Promise<T> {
  const startedAt = Date.now();
  const t0 = performance.now();
  try {
    return await run();
  } catch (e) {
    if (isHelmError(e) && e.exitCode === 2) throw e;
    const doc = publishGateFailure(e, { ...g, startedAt, elapsedMs: performance.now() - t0 }, io);
    if (g.output === 'json') io.out(JSON.stringify(doc, null, 2));
    throw e; // the one-line message on stderr and the exit code stay the program's
  }
}
