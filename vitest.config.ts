import { defineConfig } from 'vitest/config';

// One project per kind of test: pure logic, the packed package in a user's project, real containers (testcontainers),
// real kind cluster, report.html in headless Chromium.
export default defineConfig({
  test: {
    reporters: ['default', 'junit'],
    outputFile: { junit: 'reports/tests/junit.xml' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['harness/**/*.test.ts', 'sample-apps/**/*.test.ts', 'fixtures/**/*.test.ts'],
          testTimeout: 10_000,
        },
      },
      {
        // npm pack → a fresh project outside the repo → install → the CLI, config and README examples there.
        test: {
          name: 'consumer',
          include: ['suites/consumer/**/*.test.ts'],
          globalSetup: ['suites/consumer/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'containers',
          include: ['suites/containers/**/*.test.ts'],
          globalSetup: ['suites/containers/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'cluster',
          include: ['suites/cluster/**/*.test.ts', 'suites/conformance/**/*.test.ts'],
          globalSetup: ['suites/cluster/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 900_000,
          hookTimeout: 3_600_000,
        },
      },
      {
        // Opt-in (npm run soak): long repeats on the kind cluster, never part of npm test.
        test: {
          name: 'soak',
          include: ['suites/soak/**/*.test.ts'],
          globalSetup: ['suites/cluster/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 4 * 60 * 60_000,
          hookTimeout: 3_600_000,
        },
      },
      {
        test: {
          name: 'report',
          include: ['suites/report/**/*.test.ts'],
          globalSetup: ['suites/report/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
