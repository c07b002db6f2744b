/** ops-manager: health. Resolves the context and calls the skill; merges into one CommandResult. */
import { HelmError } from '../errors.js';
import type { Io } from '../io.js';
import type { CommandResult } from '../report/render.js';
import type { HealthRequest } from './requests.js';

export async function runHealth(req: HealthRequest, io: Io): Promise<CommandResult> {
  void req;
  void io;
  throw new HelmError('internal', 'health is not implemented yet');
}
