/** Entry point: the only process.exit. */
import { run } from './commands/program.js';
import { processIo } from './io.js';

const argv = process.argv.slice(2);
const io = processIo({ noColor: argv.includes('--no-color') });
const code = await run(argv, io, process.cwd());
process.exit(code);
