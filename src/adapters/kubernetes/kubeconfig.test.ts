import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseContext, kubeconfigPaths, loadKubeconfig, staticTarget } from './kubeconfig.js';

function files(docs: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'helm-cloud-kubeconfig-'));
  for (const [name, text] of Object.entries(docs)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const A = `apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster: {server: "https://prod.example:6443", certificate-authority: certs/ca.pem}
- name: shared
  cluster: {server: "https://a.example"}
users:
- name: ops
  user: {tokenFile: token}
- name: sso
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1, command: aws-iam-authenticator}
contexts:
- name: prod
  context: {cluster: prod, user: ops}
- name: eks
  context: {cluster: prod, user: sso}
current-context: prod
`;
const B = `clusters:
- name: shared
  cluster: {server: "https://b.example"}
- name: dev
  cluster: {server: "http://127.0.0.1:8080", insecure-skip-tls-verify: true}
users:
- name: dev
  user: {username: admin, password: s3cret}
contexts:
- name: dev
  context: {cluster: dev, user: dev}
current-context: dev
`;

describe('kubeconfig', () => {
  it('merges files as kubectl does: the first definition and the first current-context win', () => {
    const dir = files({ 'a/config': A, 'b/config': B, 'a/certs/ca.pem': 'CA', 'a/token': 'tok-1\n' });
    const kc = loadKubeconfig(kubeconfigPaths({ KUBECONFIG: [join(dir, 'a/config'), join(dir, 'missing'), join(dir, 'b/config')].join(':') }).present);
    expect(kc.contexts).toEqual(['prod', 'eks', 'dev']);
    expect(chooseContext(kc, undefined)).toBe('prod');
    expect(kc.cluster('shared')?.def.server).toBe('https://a.example');
    // Paths are relative to the file that names them; the token file is read per request (it may rotate).
    const t = staticTarget(kc, 'prod')!;
    expect(t).toMatchObject({ server: 'https://prod.example:6443', rejectUnauthorized: true });
    expect(t.ca?.toString()).toBe('CA');
    expect(t.authorization()).toBe('Bearer tok-1');
    writeFileSync(join(dir, 'a/token'), 'tok-2');
    expect(t.authorization()).toBe('Bearer tok-2');
    expect(staticTarget(kc, 'dev')).toMatchObject({ server: 'http://127.0.0.1:8080', rejectUnauthorized: false });
    expect(staticTarget(kc, 'dev')!.authorization()).toBe(`Basic ${Buffer.from('admin:s3cret').toString('base64')}`);
  });

  it('leaves exec plugins to the Kubernetes client', () => {
    const dir = files({ config: A });
    expect(staticTarget(loadKubeconfig([join(dir, 'config')]), 'eks')).toBeUndefined();
  });

  it('an unknown --context names the closest; no kubeconfig names what was looked for', () => {
    const dir = files({ config: A });
    const kc = loadKubeconfig([join(dir, 'config')]);
    expect(() => chooseContext(kc, 'prd')).toThrow(/no context "prd" in the kubeconfig/);
    try {
      chooseContext(kc, 'prd');
    } catch (e) {
      expect((e as { fix?: string }).fix).toBe('did you mean --context prod?');
    }
    expect(() => kubeconfigPaths({ HOME: dir })).toThrow(/\.kube\/config does not exist and KUBECONFIG is not set/);
    expect(() => loadKubeconfig([join(files({ config: 'clusters: [' }), 'config')])).toThrow(/cannot read the kubeconfig/);
  });
});
