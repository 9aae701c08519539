import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const probe = fileURLToPath(
  new URL('../test/fixtures/validation-deopt-probe.mjs', import.meta.url),
);

// The step's code must stay optimized across the epochs' validations: a validation that
// made V8 drop it (a code dependency broken by the evaluation's first objects) left the
// next epoch's steps to run unoptimized while V8 compiled them again beside the workers.
describe('validation and the step code', () => {
  it('leaves the optimized resident step in place (V8 marks none of it for deoptimization)', async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--trace-opt', '--trace-deopt', probe],
      { env: process.env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
    );
    expect(JSON.parse(stderr.trim().split('\n').at(-1)!)).toMatchObject({
      path: 'resident',
      sparseInput: true,
    });
    // The step's code was optimized, so a deoptimization would have shown.
    expect(stdout).toMatch(/completed optimizing \S+ <JSFunction forwardBackward /);
    const dropped = stdout
      .split('\n')
      .filter((line) => line.includes('marking dependent code'))
      .map((line) => /<SharedFunctionInfo (\w+)>/.exec(line)?.[1])
      .filter((name) => name === 'forwardBackward' || name === 'forward' || name === 'valueRow');
    expect(dropped).toEqual([]);
  });
});
