import { describe, expect, it } from 'vitest';
import { complete, type CompletionSpec } from './complete.js';
import { parseLine } from './shell.js';

const spec: CompletionSpec = {
  commands: {
    health: { actions: [], flags: ['--env', '--resource', '--watch', '--window', '--help'] },
    circuit: { actions: ['status', 'open', 'close', 'reset'], flags: ['--env', '--action', '--help'] },
    incident: { actions: ['create', 'list', 'show'], flags: ['--env', '--help'] },
    alerts: { actions: ['list', 'acknowledge', 'escalate'], flags: ['--env', '--help'] },
    init: { actions: [], flags: ['--force', '--help'] },
  },
  slash: { 'fractary-helm-cloud:health': 'health', 'fractary-helm-cloud:circuit': 'circuit' },
  builtins: ['env', 'exit', 'help'],
  envs: ['prod', 'staging', 'test'],
  resources: ['api-fn', 'orders-db'],
  alerts: ['A-1f2e3d4c', 'A-9a8b7c6d'],
  incidents: ['INC-1', 'INC-12', 'INC-2'],
};

describe('shell completion', () => {
  it('completes alert ids after an alerts action and incident ids after an incident action', () => {
    expect(complete('/alerts acknowledge A-1', spec)).toEqual([['A-1f2e3d4c'], 'A-1']);
    expect(complete('/incident show INC-1', spec)).toEqual([['INC-1', 'INC-12'], 'INC-1']);
    expect(complete('/incident show ', spec)).toEqual([['INC-1', 'INC-12', 'INC-2'], '']);
    expect(complete('/circuit status ', spec)[0]).not.toContain('INC-1');
  });
  it('completes command names, short and full slash forms', () => {
    expect(complete('/ci', spec)).toEqual([['/circuit'], '/ci']);
    expect(complete('/e', spec)).toEqual([['/env', '/exit'], '/e']);
    expect(complete('/fractary-helm-cloud:h', spec)).toEqual([['/fractary-helm-cloud:health'], '/fractary-helm-cloud:h']);
  });
  it('completes actions, then flags, of the command on the line (short or full form)', () => {
    expect(complete('/circuit s', spec)).toEqual([['status'], 's']);
    expect(complete('/fractary-helm-cloud:circuit re', spec)).toEqual([['reset'], 're']);
    expect(complete('/circuit status --a', spec)).toEqual([['--action'], '--a']);
    expect(complete('/health --w', spec)).toEqual([['--watch', '--window'], '--w']);
  });
  it('completes environment names after --env, --env= and /env, and resources after --resource', () => {
    expect(complete('/health --env p', spec)).toEqual([['prod'], 'p']);
    expect(complete('/health --env=s', spec)).toEqual([['--env=staging'], '--env=s']);
    expect(complete('/env ', spec)).toEqual([['prod', 'staging', 'test'], '']);
    expect(complete('/health --resource o', spec)).toEqual([['orders-db'], 'o']);
  });
  it('offers nothing for an unknown command', () => {
    expect(complete('/nope --e', spec)).toEqual([[], '--e']);
  });
});

describe('shell lines', () => {
  it('maps short forms to commands and adds the sticky environment only where none is given', () => {
    expect(parseLine('/health --watch', 'prod', spec)).toEqual({ kind: 'run', argv: ['health', '--watch', '--env', 'prod'] });
    expect(parseLine('/health --env=test', 'prod', spec)).toEqual({ kind: 'run', argv: ['health', '--env=test'] });
    expect(parseLine('/init', 'prod', spec)).toEqual({ kind: 'run', argv: ['init'] });
    expect(parseLine('/fractary-helm-cloud:health', 'prod', spec)).toEqual({ kind: 'run', argv: ['/fractary-helm-cloud:health', '--env', 'prod'] });
  });
  it('knows the builtins, skips comments and blanks, and names the closest command for a typo', () => {
    expect(parseLine('  # a comment', undefined, spec)).toEqual({ kind: 'skip' });
    expect(parseLine('', undefined, spec)).toEqual({ kind: 'skip' });
    expect(parseLine('/env prod', undefined, spec)).toEqual({ kind: 'env', env: 'prod' });
    expect(parseLine('/exit', undefined, spec)).toEqual({ kind: 'exit' });
    expect(parseLine('/help circuit', undefined, spec)).toEqual({ kind: 'run', argv: ['circuit', '--help'] });
    expect(() => parseLine('/helth', undefined, spec)).toThrow(/unknown command "\/helth"/);
  });
});
