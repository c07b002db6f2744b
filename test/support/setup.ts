/**
 * Per test file: point the SDK (and every CLI child process) at this worker's moto server with fake
 * credentials, fail fast (one attempt), and reset moto so each file starts from an empty account.
 */
import { beforeAll, inject } from 'vitest';

const endpoints = inject('motoEndpoints');
const slot = (Number(process.env.VITEST_POOL_ID ?? '1') - 1) % endpoints.length;
export const MOTO = endpoints[slot]!;

process.env.AWS_ENDPOINT_URL = MOTO;
process.env.AWS_ACCESS_KEY_ID = 'testing';
process.env.AWS_SECRET_ACCESS_KEY = 'testing';
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_DEFAULT_REGION = 'us-east-1';
process.env.HELM_CLOUD_MAX_ATTEMPTS = '1';
// moto answers large metric batches slowly on a loaded 2-core machine; fault tests set their own short timeout.
process.env.HELM_CLOUD_REQUEST_TIMEOUT_MS = '120000';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.NO_COLOR = '1';
delete process.env.AWS_PROFILE;
delete process.env.GITHUB_STEP_SUMMARY;

beforeAll(async () => {
  const res = await fetch(`${MOTO}/moto-api/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
});
