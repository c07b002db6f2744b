/** The ops-manager orchestrator: one entry per command. Commands import these lazily. */
export { runHealth } from './health.js';
export { runInvestigate } from './investigate.js';
export { runRemediate } from './remediate.js';
export { runAudit } from './audit.js';
export { runDashboard } from './dashboard.js';
export { runEscalate } from './escalate.js';
export { runDoctor } from './doctor.js';
export { resolveContext, type OpsContext, type CommonOptions } from './context.js';
