/**
 * A corpus of malformed and hostile files and arguments, each with its expected exit code and message.
 * Every case also checks: no stack trace, no raw control characters echoed, no file half-written.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentsFor, makeProject, registryWith, runCli, type FileMap } from '../support/index.js';
import { corruptedFiles, isCrash, record } from './ledger.js';

interface Case {
  name: string;
  files?: FileMap;
  args: string[];
  exit: number;
  message: RegExp;
  /** Build the project some other way (e.g. a huge file). */
  prepare?: (project: string) => void;
}

const lambda = { type: 'lambda', name: 'orders-api-handler' };
const reg = registryWith([{ project: 'orders', resources: [lambda] }]);
const health = ['health', '--env', 'test', '--output', 'json'];

const CASES: Case[] = [
  // TOML
  { name: 'TOML: unclosed table header', files: { 'plugins/helm-cloud/monitoring.toml': '[slos.lambda\nerror_rate_percent = 1' }, args: health, exit: 2, message: /monitoring\.toml.*invalid TOML at line 1/ },
  { name: 'TOML: bare word value', files: { 'plugins/helm-cloud/monitoring.toml': '[monitoring]\nhealth_check_interval = five\n' }, args: health, exit: 2, message: /invalid TOML at line 2/ },
  { name: 'TOML: duplicate key', files: { 'plugins/helm-cloud/monitoring.toml': '[slos.lambda]\nerror_rate_percent = 1\nerror_rate_percent = 2\n' }, args: health, exit: 2, message: /invalid TOML/ },
  { name: 'TOML: duplicate table', files: { 'plugins/helm-cloud/monitoring.toml': '[remediation]\n[remediation]\n' }, args: health, exit: 2, message: /invalid TOML/ },
  { name: 'TOML: unterminated string', files: { 'plugins/helm-cloud/monitoring.toml': '[monitoring]\ndefault_window = "1h\n' }, args: health, exit: 2, message: /invalid TOML at line 2/ },
  { name: 'TOML: wrong type (string for number)', files: { 'plugins/helm-cloud/monitoring.toml': '[slos.lambda]\np95_latency_ms = "fast"\n' }, args: health, exit: 2, message: /slos\.lambda\.p95_latency_ms: expected number/ },
  { name: 'TOML: wrong type (table for array)', files: { 'plugins/helm-cloud/monitoring.toml': '[remediation.auto_remediate]\nx = 1\n' }, args: health, exit: 2, message: /remediation\.auto_remediate: expected array/ },
  { name: 'TOML: negative SLO', files: { 'plugins/helm-cloud/monitoring.toml': '[slos.rds]\ncpu_percent = -5\n' }, args: health, exit: 2, message: /slos\.rds\.cpu_percent/ },
  { name: 'TOML: unknown top-level key', files: { 'plugins/helm-cloud/monitoring.toml': 'alerting = true\n' }, args: health, exit: 2, message: /alerting: unknown key/ },
  { name: 'TOML: unknown SLO key with a suggestion', files: { 'plugins/helm-cloud/monitoring.toml': '[slos.apigateway]\np95_latncy_ms = 900\n' }, args: health, exit: 2, message: /rename it to "p95_latency_ms"/ },
  { name: 'TOML: binary garbage', files: { 'plugins/helm-cloud/monitoring.toml': '\u0000\u0001\u0002PK' }, args: health, exit: 2, message: /monitoring\.toml/ },
  {
    name: 'TOML: a 50 MB file',
    args: health,
    exit: 2,
    message: /monitoring\.toml: is 50\.0 MB; the limit is 1 MB/,
    prepare: (p) => {
      mkdirSync(join(p, '.fractary/plugins/helm-cloud'), { recursive: true });
      writeFileSync(join(p, '.fractary/plugins/helm-cloud/monitoring.toml'), Buffer.alloc(50 * 1024 * 1024, 0x23));
    },
  },
  // JSON
  { name: 'JSON: registry truncated', files: { 'registry/deployments.json': '{"version":1,"deployments":[{"id":"a"' }, args: health, exit: 2, message: /deployments\.json.*invalid JSON.*line 1/ },
  { name: 'JSON: registry is an array', files: { 'registry/deployments.json': '[]' }, args: health, exit: 2, message: /deployments\.json.*expected object/ },
  { name: 'JSON: registry missing version', files: { 'registry/deployments.json': { deployments: [] } }, args: health, exit: 2, message: /version: /i },
  { name: 'JSON: registry wrong version', files: { 'registry/deployments.json': { version: 2, deployments: [] } }, args: health, exit: 2, message: /version/ },
  { name: 'JSON: duplicate deployment field', files: { 'registry/deployments.json': '{"version":1,"deployments":[{"id":"a","id":"b"}]}' }, args: health, exit: 2, message: /duplicate key "id"/ },
  { name: 'JSON: duplicate deployment id', files: { 'registry/deployments.json': { version: 1, deployments: [reg.deployments[0], reg.deployments[0]] } }, args: health, exit: 2, message: /duplicate deployment id/ },
  { name: 'JSON: resource without a name', files: { 'registry/deployments.json': registryWith([{ resources: [{ type: 'lambda' } as never] }]) }, args: health, exit: 2, message: /resources\[0\]\.name: missing/ },
  { name: 'JSON: environments with a trailing comma', files: { 'shared/environments.json': '{"environments":{"test":{"region":"us-east-1"},}}' }, args: health, exit: 2, message: /environments\.json.*invalid JSON/ },
  { name: 'JSON: environments empty', files: { 'shared/environments.json': { environments: {} } }, args: health, exit: 2, message: /at least one environment/ },
  { name: 'JSON: protected as a string', files: { 'shared/environments.json': { environments: { test: { region: 'us-east-1', protected: 'yes' } } } }, args: health, exit: 2, message: /environments\.test\.protected: expected boolean/ },
  { name: 'JSON: UTF-8 BOM is accepted', files: { 'shared/environments.json': '\uFEFF{"environments":{"test":{"region":"us-east-1"}}}', 'registry/deployments.json': { version: 1, deployments: [] } }, args: health, exit: 1, message: /UNKNOWN|no resources|nothing/i },
  // credentials
  { name: 'credentials: secret access key', files: { 'shared/aws-credentials.json': { profiles: { test: { account_id: '123456789012', aws_secret_access_key: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } } } }, args: health, exit: 2, message: /refused.*never secrets/ },
  { name: 'credentials: secret-shaped value under an innocent key', files: { 'shared/aws-credentials.json': { profiles: { test: { account_id: '123456789012', description: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } } } }, args: health, exit: 2, message: /40-character value shaped like a secret/ },
  { name: 'credentials: session token', files: { 'shared/aws-credentials.json': { profiles: { test: { account_id: '123456789012' } }, aws_session_token: 'FwoGZXIvYXdzE' } }, args: health, exit: 2, message: /refused/ },
  { name: 'credentials: secret is not echoed', files: { 'shared/aws-credentials.json': { profiles: { test: { account_id: '123456789012', password: 'hunter2-very-secret' } } } }, args: health, exit: 2, message: /^(?![\s\S]*hunter2)[\s\S]*refused/ },
  // arguments
  { name: 'env with a path separator', args: ['health', '--env', '../../etc/passwd'], exit: 2, message: /not a valid environment name/ },
  { name: 'env with a slash', args: ['health', '--env', 'prod/eu'], exit: 2, message: /not a valid environment name/ },
  { name: 'env with control characters', args: ['health', '--env', 'te\u001b[2Jst'], exit: 2, message: /not a valid environment name/ },
  { name: 'env unknown, unicode', args: ['health', '--env', 'prød'], exit: 2, message: /environment/ },
  { name: 'env empty', args: ['health', '--env', ''], exit: 2, message: /environment/ },
  { name: 'window negative', args: ['health', '--env', 'test', '--window', '-5m'], exit: 2, message: /--window/ },
  { name: 'window absurd unit', args: ['health', '--env', 'test', '--window', '5y'], exit: 2, message: /--window.*not a duration/ },
  { name: 'resource not in the registry', args: [...health, '--resource', 'no-such-fn'], exit: 2, message: /no-such-fn/ },
  { name: 'resource name with query operators', args: [...health, '--resource', 'x" | filter @message like /.*/'], exit: 2, message: /not in the registry|unknown resource|no resource/i },
  { name: 'investigate: text that names nothing', args: ['investigate', 'quantum flux capacitor meltdown', '--env', 'test', '--output', 'json'], exit: 2, message: /nothing|no resource|match/i },
  { name: 'investigate: Insights syntax in the text', args: ['investigate', '| stats count(*) by bin(5m) | filter @message like /x/', '--env', 'test', '--output', 'json'], exit: 2, message: /nothing|no resource|match/i },
  { name: 'investigate: control characters in the text', args: ['investigate', 'errors \u0007\u001b]0;pwned\u0007 in zzz', '--env', 'test', '--output', 'json'], exit: 2, message: /^(?![\s\S]*\u001b)[\s\S]*(nothing|no resource|match)/i },
  { name: 'investigate: bad issue id', args: ['investigate', '--issue', '../../etc/passwd', '--env', 'test'], exit: 2, message: /not an issue id/ },
  { name: 'investigate: unknown issue', args: ['investigate', '--issue', 'infra-999', '--env', 'test'], exit: 2, message: /no issue record infra-999/ },
  { name: 'investigate: bad --from', args: ['investigate', 'errors', '--env', 'test', '--from', 'last tuesday'], exit: 2, message: /--from.*not a time/ },
  { name: 'investigate: max-lines zero', args: ['investigate', 'errors', '--env', 'test', '--max-lines', '0'], exit: 2, message: /--max-lines/ },
  { name: 'remediate: unknown action', args: ['remediate', '--action', 'reboot_universe', '--target', 'orders-api-handler', '--env', 'test', '--output', 'json'], exit: 2, message: /reboot_universe/ },
  { name: 'remediate: target not in the registry', args: ['remediate', '--action', 'restart_lambda', '--target', 'ghost-fn', '--env', 'test', '--output', 'json'], exit: 2, message: /ghost-fn/ },
  { name: 'remediate: unreadable request', args: ['remediate', 'make it better somehow', '--env', 'test', '--output', 'json'], exit: 2, message: /e\.g\.|example|could not read|cannot read/i },
  { name: 'remediate: shell metacharacters in a request', args: ['remediate', 'restart $(rm -rf /) `id`; drop table', '--env', 'test', '--output', 'json'], exit: 2, message: /.+/ },
  { name: 'remediate: bad --param', args: ['remediate', '--action', 'scale_resources', '--target', 'orders-api-handler', '--param', 'no-equals', '--env', 'test'], exit: 2, message: /key=value/ },
  { name: 'audit: unknown type', args: ['audit', '--type', 'vibes', '--env', 'test'], exit: 2, message: /--type|vibes/ },
  { name: 'escalate: hostile issue id', args: ['escalate', '--issue', 'infra-001/../../x'], exit: 2, message: /not an issue id/ },
  { name: 'slash: unknown namespace', args: ['/fractary-helm-cloudx:health'], exit: 2, message: /unknown slash command/ },
  { name: 'slash: unbalanced quote', args: ['/fractary-helm-cloud:investigate "errors --env=test'], exit: 2, message: /unbalanced quote/ },
];

describe('bad input corpus', () => {
  for (const c of CASES) {
    it(`${c.name} → exit ${c.exit}`, async () => {
      const project = makeProject({ 'shared/environments.json': environmentsFor(), 'registry/deployments.json': reg, ...(c.files ?? {}) });
      c.prepare?.(project);
      const before = readdirSync(join(project, '.fractary'), { recursive: true }).sort();
      const r = await runCli(c.args, { cwd: project });
      const crash = isCrash(r);
      const corrupted = corruptedFiles(join(project, '.fractary')).filter((f) => !Object.keys(c.files ?? {}).includes(f));
      record({ case: `bad-input: ${c.name}`, crash, corruptedFiles: corrupted });
      expect(crash, r.stderr).toBe(false);
      expect(r.code, r.stderr).toBe(c.exit);
      expect(r.stderr + r.stdout).toMatch(c.message);
      // No raw terminal control characters reach the operator's terminal.
      expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      if (c.exit === 2) {
        expect(readdirSync(join(project, '.fractary'), { recursive: true }).sort()).toEqual(before);
        expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
      }
      expect(corrupted).toEqual([]);
    });
  }
});
