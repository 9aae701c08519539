/** The CLI's contract for bad input, as a test assertion. */
import { expect } from 'vitest';
import type { CliResult } from './run-cli.js';

/** Exit 2, one `error:` line matching `message`, nothing that looks like a stack. */
export function expectUsageError(result: CliResult, message: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}
