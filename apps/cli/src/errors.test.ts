import { FormatError, StateError, TesseraError, ValueError } from '@tessera/core';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { ExitCode, REPORT_HINT, reportError, withContext } from './errors.js';

describe('reportError', () => {
  it('maps bad input to exit 2 and one error line', () => {
    expect(
      reportError(new ValueError('Dense: units must be positive.\nReceived: units=0')),
    ).toEqual({
      exitCode: ExitCode.usage,
      lines: ['error: Dense: units must be positive. Received: units=0'],
    });
    expect(
      reportError(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'")),
    ).toEqual({
      exitCode: 2,
      lines: ["error: unknown option '--x'"],
    });
  });

  it('names the path of a file-system error', () => {
    const err = Object.assign(new Error("ENOENT: no such file or directory, open 'a.json'"), {
      code: 'ENOENT',
      path: 'a.json',
    });
    expect(reportError(err)).toEqual({
      exitCode: 2,
      lines: ['error: a.json: no such file or folder (ENOENT)'],
    });
  });

  it('treats help and version as success', () => {
    expect(
      reportError(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)')).exitCode,
    ).toBe(0);
  });

  it('maps an interrupted run to 130', () => {
    expect(reportError(new TesseraError('ABORTED', 'stopped')).exitCode).toBe(ExitCode.interrupted);
  });

  it('maps internal faults to exit 1 with a hint, and a stack only when debugging', () => {
    const fault = new TypeError('x is undefined');
    expect(reportError(fault)).toEqual({
      exitCode: 1,
      lines: ['error: internal error: TypeError: x is undefined', REPORT_HINT],
    });
    expect(reportError(new StateError('pool closed')).exitCode).toBe(1);
    const debug = reportError(fault, { debug: true });
    expect(debug.lines).toHaveLength(3);
    expect(debug.lines[2]).toContain('TypeError: x is undefined\n    at ');
  });
});

describe('withContext', () => {
  it('prefixes the message and keeps the code', () => {
    const wrapped = withContext('model.json', new FormatError('bad')) as TesseraError;
    expect(wrapped.message).toBe('model.json: bad');
    expect(wrapped.code).toBe('FORMAT_ERROR');
    expect(wrapped.userError).toBe(true);
    expect(withContext('model.json', wrapped)).toBe(wrapped);
  });

  it('leaves other errors alone', () => {
    const plain = new Error('x');
    expect(withContext('a', plain)).toBe(plain);
  });
});
