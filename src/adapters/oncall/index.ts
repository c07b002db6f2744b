/** Picks the backend `[oncall] backend` names; remote clients load only when used. */
import type { Workspace } from '../../config/load.js';
import type { OncallModel } from '../../config/oncall.js';
import { LocalBackend } from './local/index.js';
import type { OncallBackend } from './types.js';

export interface BackendOptions {
  now: () => number;
  /** Tests and the sandbox point remote backends at their servers. */
  fetch?: typeof fetch;
}

export async function openBackend(ws: Workspace, model: OncallModel, opts: BackendOptions): Promise<OncallBackend> {
  switch (model.backend) {
    case 'goalert': {
      const { openGoAlert } = await import('./goalert/index.js');
      return openGoAlert(model, opts);
    }
    case 'pagerduty': {
      const { openPagerDuty } = await import('./pagerduty/index.js');
      return openPagerDuty(model, opts);
    }
    default:
      return new LocalBackend(ws, model, opts.now);
  }
}

export type { OncallBackend } from './types.js';
