/** ops-manager: remediate. Resolves the context and calls the skill; merges into one CommandResult. */
import { HelmError } from '../errors.js';
import type { Io } from '../io.js';
import type { CommandResult } from '../report/render.js';
import type { RemediateRequest } from './requests.js';

export async function runRemediate(req: RemediateRequest, io: Io): Promise<CommandResult> {
  void req;
  void io;
  throw new HelmError('internal', 'remediate is not implemented yet');
}
