/** ops-manager: investigate. Resolves the context and calls the skill; merges into one CommandResult. */
import { HelmError } from '../errors.js';
import type { Io } from '../io.js';
import type { CommandResult } from '../report/render.js';
import type { InvestigateRequest } from './requests.js';

export async function runInvestigate(req: InvestigateRequest, io: Io): Promise<CommandResult> {
  void req;
  void io;
  throw new HelmError('internal', 'investigate is not implemented yet');
}
