import { describe, expect, it } from 'vitest';
import { errorLine, lastJsonLine, runJsonChild } from './json-child.js';

describe('lastJsonLine', () => {
  it('parses the last non-empty line and says what it got otherwise', () => {
    expect(lastJsonLine('progress\n{"a":1}\n{"b":2}\n\n')).toEqual({ b: 2 });
    expect(() => lastJsonLine('')).toThrow('the child printed nothing on stdout');
    expect(() => lastJsonLine('{"a":1}\ndone\n')).toThrow(
      "the child's last stdout line is not JSON. Received: done",
    );
  });
});

describe('errorLine', () => {
  it('finds the line naming the error in a stack trace', () => {
    const node = [
      'file.js:3',
      '    throw ex;',
      '',
      'TypeError: x is not a function',
      '    at main',
      'Node.js v20',
    ];
    expect(errorLine(node)).toBe('TypeError: x is not a function');
    expect(errorLine(['Traceback', '  File "t.py"', 'ValueError: bad size'])).toBe(
      'ValueError: bad size',
    );
    expect(errorLine(['warming up', 'killed'])).toBe('killed');
    expect(errorLine([])).toBeUndefined();
  });
});

describe('runJsonChild', () => {
  it("returns the child's JSON reply, passes env and forwards stderr lines", async () => {
    const lines: string[] = [];
    const reply = await runJsonChild({
      command: process.execPath,
      args: [
        '-e',
        'console.error("step 1"); console.log("noise"); console.log(JSON.stringify({ v: process.env.BENCH_TEST_VALUE }))',
      ],
      env: { BENCH_TEST_VALUE: 'seen' },
      log: (line) => lines.push(line),
    });
    expect(reply).toEqual({ v: 'seen' });
    expect(lines).toEqual(['step 1']);
  });

  it('rejects with the exit code and the error line of a failing child', async () => {
    await expect(
      runJsonChild({
        command: process.execPath,
        args: ['-e', 'console.error("RangeError: no data"); process.exit(3)'],
      }),
    ).rejects.toThrow('exited with code 3: RangeError: no data');
  });
});
