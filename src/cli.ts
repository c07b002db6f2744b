/** Entry point: the only process.exit. Top-level --help/--version answer before anything else loads. */
import { topHelp, VERSION } from './commands/summary.js';

// Under Node < 22 every AWS SDK client prints NodeVersionSupportWarning (a notice that SDK releases after January
// 2027 need Node 22), on every run, about no problem of this run. Switch off only that notice, unless the user set
// the SDK's own switch; every other warning still prints. `doctor` states the Node version's support instead.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A bare `helm-cloud` on a terminal opens the operator shell; without one it prints help, as before.
const argv = process.argv.slice(2);
if (argv.length === 0 && process.stdin.isTTY && process.stdout.isTTY) argv.push('shell');
const only = argv.length === 1 ? argv[0] : argv.length === 0 ? '--help' : undefined;
if (only === '--help' || only === '-h' || only === 'help') {
  process.stdout.write(topHelp());
  process.exit(0);
}
if (only === '--version' || only === '-V') {
  process.stdout.write(VERSION + '\n');
  process.exit(0);
}
const { processIo } = await import('./io.js');
const { run } = await import('./commands/program.js');
const io = processIo({ noColor: argv.includes('--no-color') });
const code = await run(argv, io, process.cwd());
// Writes to a pipe are asynchronous: exit once stdout and stderr have flushed, or large reports (and the
// warnings or errors before them, in CI where stderr is a pipe too) are cut short.
process.stderr.write('', () => process.stdout.write('', () => process.exit(code)));
