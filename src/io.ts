/**
 * The one place output goes: data on stdout, diagnostics on stderr. Commands and reports write through an Io,
 * so tests capture it and the CLI routes it to the process streams.
 */
export interface Io {
  /** Data: the report, JSON, tables. */
  out(text: string): void;
  /** Diagnostics: warnings, deprecations, progress, errors. */
  err(text: string): void;
  /** Progress lines: stderr, only on a TTY. */
  progress(text: string): void;
  readonly stdoutIsTTY: boolean;
  readonly stdinIsTTY: boolean;
  readonly color: boolean;
  /** Ask a yes/no question on stderr; resolves false when there is no TTY. */
  confirm(question: string): Promise<boolean>;
}

export function processIo(opts: { noColor?: boolean } = {}): Io {
  const stdoutIsTTY = Boolean(process.stdout.isTTY);
  const stdinIsTTY = Boolean(process.stdin.isTTY);
  const stderrIsTTY = Boolean(process.stderr.isTTY);
  const color = stdoutIsTTY && !opts.noColor && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  return {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
    progress: (t) => {
      if (stderrIsTTY) process.stderr.write(t.endsWith('\n') ? t : t + '\n');
    },
    stdoutIsTTY,
    stdinIsTTY,
    color,
    confirm: async (question) => {
      if (!stdinIsTTY) return false;
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const answer = await rl.question(`${question} [y/N] `);
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        rl.close();
      }
    },
  };
}

/** Captures output; used by tests and by the dispatcher when one command calls another. */
export function bufferIo(opts: { tty?: boolean; answers?: boolean[] } = {}): Io & { stdout: string; stderr: string; asked: string[] } {
  const answers = [...(opts.answers ?? [])];
  const io = {
    stdout: '',
    stderr: '',
    asked: [] as string[],
    out(t: string) {
      io.stdout += t.endsWith('\n') ? t : t + '\n';
    },
    err(t: string) {
      io.stderr += t.endsWith('\n') ? t : t + '\n';
    },
    progress(t: string) {
      if (opts.tty) io.stderr += t.endsWith('\n') ? t : t + '\n';
    },
    stdoutIsTTY: Boolean(opts.tty),
    stdinIsTTY: Boolean(opts.tty),
    color: false,
    async confirm(q: string) {
      io.asked.push(q);
      if (!opts.tty) return false;
      return answers.shift() ?? false;
    },
  };
  return io;
}
