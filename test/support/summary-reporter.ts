/**
 * Prints one closing line that CI reads in any language: "tests: N passed, N failed, N skipped".
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const s = t.result().state;
        if (s === 'passed') passed++;
        else if (s === 'failed') failed++;
        else skipped++;
      }
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed++;
    }
    const ledger = process.env.HELM_CLOUD_RELIABILITY_LEDGER;
    if (ledger && existsSync(ledger)) {
      const records = readFileSync(ledger, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { faults?: number; crash?: boolean; falseHealthy?: boolean; corruptedFiles?: string[] });
      const sum = (f: (r: (typeof records)[number]) => number) => records.reduce((a, r) => a + f(r), 0);
      process.stdout.write(
        `\nreliability: ${records.length} cases run, ${sum((r) => r.faults ?? 0)} faults injected, ${sum((r) => (r.crash ? 1 : 0))} crashes, ` +
          `${sum((r) => (r.falseHealthy ? 1 : 0))} false HEALTHY verdicts, ${sum((r) => r.corruptedFiles?.length ?? 0)} corrupted files\n`,
      );
      rmSync(ledger, { force: true });
    }
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
