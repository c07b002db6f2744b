import type { OncallModel } from '../../../config/oncall.js';
import type { BackendOptions } from '../index.js';
import type { OncallBackend } from '../types.js';

export async function openPagerDuty(_m: OncallModel, _o: BackendOptions): Promise<OncallBackend> {
  throw new Error('pagerduty backend: not yet');
}
