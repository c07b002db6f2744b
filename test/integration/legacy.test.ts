/**
 * Legacy faber-cloud v1.x forms, end to end. `/fractary-faber-cloud:ops-manage <op>` must print exactly one
 * deprecation line on stderr naming the new command and otherwise behave like the new command. Each form runs
 * both as separate argv and as one quoted argument (the way a Claude Code shim passes "$ARGUMENTS"), and
 * the bare `ops-manage <op>`. The new commands' outputs are not hard-coded: every legacy run is compared with
 * the new form run on the same project (exit code, JSON `command`, verdict and schema; or the error line).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { environmentsFor, makeProject, moto, registryWith, runCli, Seeder, type CliResult } from '../support/index.js';

let project: string;

beforeAll(async () => {
  const seeder = new Seeder({ endpoint: moto() });
  await seeder.createFunction('api');
  project = makeProject({
    'shared/environments.json': environmentsFor(moto()),
    'registry/deployments.json': registryWith([{ env: 'test', resources: [{ type: 'lambda', name: 'api' }] }]),
  });
});

/** [legacy operation, new command, arguments (as separate argv; the text argument may hold spaces)] */
const CASES: [string, string, string[]][] = [
  ['check-health', 'health', ['--env=test']],
  ['query-logs', 'investigate', ['ERROR in api', '--env=test', '--since=1h']],
  ['investigate', 'investigate', ['api failing', '--env=test', '--since=1h']],
  ['remediate', 'remediate', ['--env=test', '--action=restart_lambda', '--target=api', '--dry-run']],
  ['audit', 'audit', ['--type=cost', '--env=test']],
];

const quote = (a: string) => (/\s/.test(a) ? `"${a}"` : a);
const DEPRECATION = /^deprecated: .*$/gm;

/** What must match between the legacy and the new form: not timestamps, not run-specific details. */
function behaviour(r: CliResult): Record<string, unknown> {
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(r.stdout) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  const errors = r.stderr
    .replace(DEPRECATION, '')
    .split('\n')
    .filter((l) => l.startsWith('error:'));
  return json ? { code: r.code, command: json.command, schema: json.schema, verdict: json.verdict, exitCode: json.exitCode, errors } : { code: r.code, stdout: r.stdout, errors };
}

describe.each(CASES)('legacy ops-manage %s → %s', (op, cmd, args) => {
  let fresh: CliResult;
  beforeAll(async () => {
    fresh = await runCli([cmd, ...args, '--output=json'], { cwd: project });
  });

  const forms: [string, () => string[]][] = [
    ['/fractary-faber-cloud:ops-manage as separate argv', () => ['/fractary-faber-cloud:ops-manage', op, ...args, '--output=json']],
    ['/fractary-faber-cloud:ops-manage as one quoted argument', () => [['/fractary-faber-cloud:ops-manage', op, ...args.map(quote), '--output=json'].join(' ')]],
    ['/fractary-faber-cloud:ops-manage quoted with the operation, options separate', () => [`/fractary-faber-cloud:ops-manage ${op}`, ...args, '--output=json']],
    ['bare ops-manage', () => ['ops-manage', op, ...args, '--output=json']],
  ];

  for (const [form, argv] of forms) it(`${form}: one deprecation line naming \`helm-cloud ${cmd}\`, same exit code and JSON command as \`${cmd}\``, async () => {
    const legacy = await runCli(argv(), { cwd: project });
    const lines = legacy.stderr.match(DEPRECATION) ?? [];
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`\`helm-cloud ${cmd}\``);
    expect(lines[0]).toContain(op);
    expect(fresh.stderr).not.toMatch(DEPRECATION);
    expect(behaviour(legacy)).toEqual(behaviour(fresh));
    // Where the new command reports JSON, the legacy form must name the new command in it.
    if (behaviour(fresh).command !== undefined) expect(behaviour(legacy).command).toBe(cmd);
  });
});

describe('legacy forms that do not exist', () => {
  it('an unknown ops-manage operation exits 2 and suggests the closest one, without a deprecation line', async () => {
    const r = await runCli(['/fractary-faber-cloud:ops-manage', 'check-helth', '--env=test'], { cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown ops-manage operation "check-helth".*did you mean .*check-health/);
    expect(r.stderr).not.toMatch(DEPRECATION);
  });

  it('ops-manage with no operation exits 2 listing the operations', async () => {
    const r = await runCli(['/fractary-faber-cloud:ops-manage'], { cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/operations: check-health, query-logs, investigate, remediate, audit/);
  });
});

/** v1.x options (MIGRATION.md "Options that changed"): each runs as its new option, with one line naming it. */
const OPTION_CASES: [string[], string[], RegExp][] = [
  [['check-health', '--env=test', '--service=api'], ['health', '--env=test', '--resource', 'api'], /^deprecated: --service=api is now --resource api/m],
  [['check-health', '--env=test', '--timeframe=2h'], ['health', '--env=test', '--window', '2h'], /^deprecated: --timeframe=2h is now --window 2h/m],
  [['query-logs', '--env=test', '--filter=ERROR', '--timeframe=1h'], ['investigate', 'ERROR', '--env=test', '--since', '1h'], /^deprecated: --filter=ERROR is now part of the symptom text/m],
  [['remediate', '--env=test', '--action=restart', '--service=api', '--dry-run'], ['remediate', '--env=test', '--action', 'restart_lambda', '--target', 'api', '--dry-run'], /^deprecated: --action=restart is now --action restart_lambda/m],
  [['audit', '--env=test', '--focus=cost'], ['audit', '--type', 'cost', '--env=test'], /^deprecated: --focus=cost is now --type cost/m],
];

describe.each(OPTION_CASES)('legacy options %j', (legacy, modern, line) => {
  it('behave like the new options and say so once each', async () => {
    const [old, now] = await Promise.all([
      runCli(['/fractary-faber-cloud:ops-manage', ...legacy, '--output=json'], { cwd: project }),
      runCli([...modern, '--output=json'], { cwd: project }),
    ]);
    expect(old.stderr).toMatch(line);
    expect(old.stderr).not.toMatch(/unknown option/);
    const options = legacy.filter((a) => /^--(service|timeframe|filter|action|focus)=/.test(a)).length;
    expect(old.stderr.match(DEPRECATION)).toHaveLength(1 + options);
    expect(behaviour(old)).toEqual(behaviour(now));
  });
});
