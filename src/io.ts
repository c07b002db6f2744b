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
  /** Width of the terminal stdout draws on (COLUMNS when it is not one); tables fit it. */
  readonly columns?: number;
  /**
   * Ask a yes/no question on the terminal (/dev/tty, so `2>/dev/null` cannot hide it), after printing `details`
   * (the plan) there; resolves false when stdin is not a TTY.
   */
  confirm(question: string, details?: string[]): Promise<boolean>;
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
    columns: (stdoutIsTTY ? process.stdout.columns : undefined) ?? (Number(process.env.COLUMNS) || undefined),
    confirm: async (question, details = []) => {
      if (!stdinIsTTY) return false;
      const prompt = [...details, `${question} [y/N] `].join('\n');
      const answer = (await askOnTty(prompt)) ?? (await askOnStdio(prompt));
      return /^y(es)?$/i.test(answer.trim());
    },
  };
}

/** The controlling terminal, or undefined where there is none (CI, Windows). */
async function askOnTty(prompt: string): Promise<string | undefined> {
  const { openSync, writeSync, closeSync } = await import('node:fs');
  const { ReadStream } = await import('node:tty');
  let r: number;
  let w: number;
  try {
    r = openSync('/dev/tty', 'r');
    w = openSync('/dev/tty', 'w');
  } catch {
    return undefined;
  }
  try {
    writeSync(w, prompt);
  } finally {
    closeSync(w);
  }
  // A tty.ReadStream reads through libuv's terminal handle (no blocked thread-pool read left behind) and closes
  // the descriptor when destroyed.
  const input = new ReadStream(r);
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input, terminal: false });
  try {
    return await new Promise<string>((done) => {
      rl.once('line', done);
      rl.once('close', () => done(''));
    });
  } finally {
    rl.close();
    input.destroy();
  }
}

async function askOnStdio(prompt: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const lines = prompt.split('\n');
  if (lines.length > 1) process.stderr.write(lines.slice(0, -1).join('\n') + '\n');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(lines.at(-1)!);
  } finally {
    rl.close();
  }
}

/** Captures output; used by tests and by the dispatcher when one command calls another. */
export function bufferIo(opts: { tty?: boolean; answers?: boolean[]; columns?: number } = {}): Io & { stdout: string; stderr: string; asked: string[] } {
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
    columns: opts.columns,
    async confirm(q: string, details: string[] = []) {
      io.asked.push([...details, q].join('\n'));
      if (!opts.tty) return false;
      return answers.shift() ?? false;
    },
  };
  return io;
}
