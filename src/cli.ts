/** Entry point: the only process.exit. Top-level --help/--version answer before anything else loads. */
import { topHelp, VERSION } from './commands/summary.js';

const argv = process.argv.slice(2);
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
// Writes to a pipe are asynchronous: exit once stdout has flushed, or large reports are cut short.
process.stdout.write('', () => process.exit(code));
