import { describe, expect, it } from 'vitest';
import {
  FormatError,
  formatValue,
  received,
  StateError,
  TesseraError,
  ValueError,
} from './errors.js';

describe('errors', () => {
  it('say what was expected, then what was received', () => {
    const err = new ValueError(received('Dense: units must be a positive integer', 'units', 0));
    expect(err.message).toBe('Dense: units must be a positive integer. Received: units=0');
    expect(err).toBeInstanceOf(TesseraError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('VALUE_ERROR');
    expect(err.name).toBe('ValueError');
    expect(err.userError).toBe(true);
  });

  it('tell user errors from internal faults', () => {
    expect(new FormatError('x').userError).toBe(true);
    expect(new StateError('x').userError).toBe(false);
  });

  it('format received values on one short line', () => {
    expect(formatValue('relux')).toBe('"relux"');
    expect(formatValue([1, 2])).toBe('[1,2]');
    expect(formatValue(Number.NaN)).toBe('NaN');
    expect(formatValue(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
    expect(formatValue(new Float32Array(3))).toBe('Float32Array(3)');
    expect(formatValue(undefined)).toBe('undefined');
    expect(formatValue(function myRelu() {})).toBe('function myRelu');
    expect(formatValue('x'.repeat(500)).length).toBeLessThanOrEqual(120);
  });
});
