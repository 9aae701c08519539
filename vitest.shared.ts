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
      // Generous: tests must pass on a 2-core machine that other work keeps busy, where a
      // data-parallel run waits for threads the scheduler has set aside.
      testTimeout: 180_000,
      hookTimeout: 180_000,
      pool: 'forks',
      // Both fits print an epoch line by default (verbose 1, as Keras); tests that check the
      // lines capture them with printFn, so the console copies are only noise.
      onConsoleLog: (log) => !/^Epoch \d+\/\d+ - \d+ steps - /.test(log),
    },
  });
}
