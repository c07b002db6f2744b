/** ops-manager: dashboard. Reads central Helm files; no AWS. */
import { HelmError } from '../errors.js';
import type { Io } from '../io.js';
import type { CommandResult } from '../report/render.js';
import type { DashboardRequest } from './requests.js';

export async function runDashboard(req: DashboardRequest, io: Io): Promise<CommandResult> {
  void req;
  void io;
  throw new HelmError('internal', 'dashboard is not implemented yet');
}
