/**
 * The reliability ledger: every case records what it ran and what it found, and the summary reporter prints
 * one closing line over all files (cases run, faults injected, crashes, false HEALTHY, corrupted files).
 * Records go to a JSONL file named by the run (one writer line per record, so parallel workers never collide).
 */
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { inject } from 'vitest';

export interface LedgerRecord {
  case: string;
  faults?: number;
  /** Exit by signal, or a stack trace / "this is a bug" on stderr. */
  crash?: boolean;
  falseHealthy?: boolean;
  corruptedFiles?: string[];
}

export function record(r: LedgerRecord): void {
  appendFileSync(inject('reliabilityLedger'), JSON.stringify(r) + '\n');
}

export function readLedger(path: string): LedgerRecord[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LedgerRecord);
}

/** A crash is a death by signal, an internal error, or a stack trace on stderr. */
export function isCrash(r: { code: number; stderr: string }): boolean {
  return r.code >= 128 || r.code < 0 || /this is a bug|\n\s+at .+:\d+:\d+\)?/.test(r.stderr);
}

/** Every JSON and JSONL file under .fractary must parse; returns the ones that do not. */
export function corruptedFiles(fractary: string): string[] {
  const bad: string[] = [];
  if (!existsSync(fractary)) return bad;
  for (const rel of readdirSync(fractary, { recursive: true }) as string[]) {
    const abs = join(fractary, rel);
    if (!statSync(abs).isFile()) continue;
    const text = readFileSync(abs, 'utf8');
    try {
      if (rel.endsWith('.jsonl')) {
        for (const line of text.split('\n')) if (line.trim()) JSON.parse(line);
      } else if (rel.endsWith('.json') && !/\/fixtures?\//.test(rel)) JSON.parse(text);
    } catch {
      bad.push(relative(fractary, abs));
    }
  }
  return bad;
}
