/**
 * Import directions of helm-cloud (docs: /work/shared/conventions.md §2 "Dependencies point downward"), checked by
 * `npm run lint:layers` and by src/layering.test.ts (part of `npm test` and `npm run test:unit`).
 *   cli → commands → ops-manager → skills → {resources, actions, audit} → aws / adapters;
 *   anything may use core; core is pure; report and config never reach AWS; only the adapters import their clients.
 */
// Service client packages, resolved (node_modules/…) or not (a bare specifier).
const CLIENTS = '(^|/)node_modules/(@aws-sdk|@smithy|@kubernetes/client-node)/|^(@aws-sdk|@smithy|@kubernetes/client-node)/';
const ADAPTERS = '^src/(aws|adapters)/';

module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'src/core is plain data in, plain data out: it imports only src/core (and src/errors.ts), never I/O, config or adapters.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/errors\\.ts$'] },
    },
    {
      name: 'core-no-node-builtins',
      comment: 'src/core imports no node:* module (no fs, child_process, os, net): time and data are passed in.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-no-clients',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: CLIENTS },
    },
    {
      name: 'report-config-no-aws',
      comment: 'report/ and config/ never import the AWS adapters or SDK (a type-only import of an adapter type is no I/O).',
      severity: 'error',
      from: { path: '^src/(report|config)/' },
      to: { path: [ADAPTERS, CLIENTS], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'only-cli-imports-commands',
      comment: 'Nothing below the commands layer imports it (dependencies point downward). The demo, the shell and the workflow runner drive the CLI program as a user would: they run command lines, above the commands.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/cli\\.ts$', '^src/commands/', '^src/sandbox/demo\\.ts$', '^src/shell/', '^src/ops-manager/workflow\\.ts$'] },
      to: { path: '^src/commands/' },
    },
    {
      name: 'only-adapters-import-clients',
      comment: 'Only src/aws (and src/adapters/<name>) import service client packages; and the sandbox seeder, which writes the emulator through the ordinary APIs for `helm-cloud demo`.',
      severity: 'error',
      from: { path: '^src/', pathNot: [ADAPTERS, '^src/sandbox/seed\\.ts$'] },
      to: { path: CLIENTS },
    },
    {
      name: 'sandbox-only-for-the-demo',
      comment: 'src/sandbox holds what `helm-cloud demo` runs (emulator, seeder, proxy); only the demo command reaches it.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/sandbox/', '^src/commands/demo\\.ts$'] },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'product-never-imports-tests',
      comment: 'Test helpers live in test/support; the product never reaches them.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'skills-below-ops-manager',
      comment: 'Skills get a context of their own; they import neither ops-manager nor commands.',
      severity: 'error',
      from: { path: '^src/skills/' },
      to: { path: '^src/(ops-manager|commands)/' },
    },
    {
      name: 'extensions-below-skills',
      comment: 'Resources, actions and audit checks are used by skills, never the other way round.',
      severity: 'error',
      from: { path: '^src/(resources|actions|audit)/' },
      to: { path: '^src/(skills|ops-manager|commands)/' },
    },
    {
      name: 'adapters-at-the-bottom',
      comment: 'Adapters and the store know nothing of the layers above them.',
      severity: 'error',
      from: { path: ['^src/(aws|adapters|store)/'] },
      to: { path: '^src/(skills|ops-manager|commands|resources|actions|audit|report)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.json'] },
    combinedDependencies: false,
  },
};
