/** Which Node.js versions helm-cloud supports (package.json `engines`), as a doctor check. */
export const SUPPORTED_NODE = '^20.19.0 || ^22.12.0 || ^24.0.0';

export function nodeSupportCheck(version: string): { check: string; status: 'PASS' | 'FAIL' | 'NOTE'; detail: string; fix?: string } {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const check = 'Node.js version';
  if (major === 22 || major === 24) return { check, status: 'PASS', detail: `${version} (supported: 22, 24; 20.19+ until the AWS SDK drops it)` };
  if (major === 20 && minor >= 19) {
    // Passes: it works today. The detail carries the AWS SDK's notice that the CLI keeps off every run's stderr.
    return { check, status: 'PASS', detail: `${version} works; AWS SDK releases after early January 2027 require Node 22: move to Node 22 or 24 (LTS)` };
  }
  if (major > 24) return { check, status: 'NOTE', detail: `${version} is newer than the tested versions (20.19+, 22, 24)` };
  return { check, status: 'FAIL', detail: `${version} is too old (supported: ${SUPPORTED_NODE})`, fix: 'install Node 22 or 24 (LTS)' };
}
