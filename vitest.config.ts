import { defineConfig } from 'vitest/config';

// Two projects: "unit" (src/**, pure and file-system tests, no server) and "integration" (test/**, each worker
// gets its own moto server from the global setup). `npm run test:unit` runs only the first and starts nothing.
// Two workers on a 2-core machine; files in a worker run one after another, so resetting moto between files is safe.
export default defineConfig({
  test: {
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 180_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'], setupFiles: ['test/support/unit-setup.ts'] } },
      {
        extends: true,
        test: { name: 'integration', include: ['test/**/*.test.ts'], globalSetup: ['test/support/global-setup.ts'], setupFiles: ['test/support/setup.ts'] },
      },
    ],
  },
});
