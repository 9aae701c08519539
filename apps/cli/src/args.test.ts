import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  parseChoice,
  parseFraction,
  parsePath,
  parsePositiveInt,
  parsePositiveNumber,
  parseSeed,
} from './args.js';

describe('option parsers', () => {
  it('accept well-formed values', () => {
    expect(parsePositiveInt('12')).toBe(12);
    expect(parseSeed('0')).toBe(0);
    expect(parseSeed('4294967295')).toBe(4294967295);
    expect(parsePositiveNumber('1e-3')).toBe(0.001);
    expect(parseFraction('0')).toBe(0);
    expect(parseFraction('.25')).toBe(0.25);
    expect(parseChoice(['a', 'b'])('b')).toBe('b');
    expect(parsePath('folder')('runs/a')).toBe('runs/a');
  });

  it('say that an empty path is empty', () => {
    for (const value of ['', '  '])
      expect(() => parsePath('folder')(value)).toThrow(
        new InvalidArgumentError('Expected a folder path; the value is empty.'),
      );
  });

  it.each([
    [parsePositiveInt, '0'],
    [parsePositiveInt, '-3'],
    [parsePositiveInt, '2.5'],
    [parsePositiveInt, 'four'],
    [parsePositiveInt, ''],
    [parseSeed, '-1'],
    [parseSeed, '4294967296'],
    [parsePositiveNumber, '0'],
    [parsePositiveNumber, 'Infinity'],
    [parseFraction, '1'],
    [parseFraction, 'half'],
    [parseChoice(['tfjs']), 'onnx'],
  ])('%o rejects %o', (parse, value) => {
    expect(() => parse(value)).toThrow(InvalidArgumentError);
  });
});
