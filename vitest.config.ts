import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.property.ts'],
    // Property suites explore thousands of schedules; give them room on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The JSON report is what .ci/run reads to print its closing `N passed, N failed` line.
    reporters: ['default', ['json', { outputFile: 'out/test-results.json' }]],
  },
});
