import { defineConfig } from 'vitest/config';

/**
 * Settings every package's vitest.config.ts uses. Results go to `.vitest/results.json`
 * as well as the console, so `.ci/run` can count them and turbo can replay them.
 */
export function packageTestConfig() {
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: '.vitest/results.json' },
      testTimeout: 60_000,
      hookTimeout: 60_000,
      pool: 'forks',
    },
  });
}
