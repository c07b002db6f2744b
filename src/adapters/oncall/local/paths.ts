/** Where local on-call state lives, relative to `.fractary` (import-free so the per-command hook stays cheap). */
export const ONCALL_DIR = 'plugins/helm-cloud/oncall';
export const INCIDENTS_FILE = `${ONCALL_DIR}/incidents.jsonl`;
export const OVERRIDES_FILE = `${ONCALL_DIR}/overrides.jsonl`;
export const ONCALL_LOCK = `${ONCALL_DIR}/.lock`;
