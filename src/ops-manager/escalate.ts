/** ops-manager: escalate. Resolves the context and calls the skill; merges into one CommandResult. */
import { HelmError } from '../errors.js';
import type { Io } from '../io.js';
import type { CommandResult } from '../report/render.js';
import type { EscalateRequest } from './requests.js';

export async function runEscalate(req: EscalateRequest, io: Io): Promise<CommandResult> {
  void req;
  void io;
  throw new HelmError('internal', 'escalate is not implemented yet');
}
