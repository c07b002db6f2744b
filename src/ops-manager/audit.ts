/** ops-manager: audit. Resolves the context and calls the skill; merges into one CommandResult. */
import { HelmError } from '../errors.js';
import type { Io } from '../io.js';
import type { CommandResult } from '../report/render.js';
import type { AuditRequest } from './requests.js';

export async function runAudit(req: AuditRequest, io: Io): Promise<CommandResult> {
  void req;
  void io;
  throw new HelmError('internal', 'audit is not implemented yet');
}
