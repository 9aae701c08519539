import { describe, expect, it } from 'vitest';
import { formatCount, formatNumber, formatRatio, formatTable } from './table.js';

describe('formatTable', () => {
  it('pads columns to the widest cell, aligns numbers right, rules the heading', () => {
    const lines = formatTable(
      [
        { title: 'name', align: 'left' },
        { title: 'GFLOP/s', align: 'right' },
      ],
      [
        ['fwd', '40.1'],
        ['512³ long name', '3.2'],
      ],
    );
    expect(lines).toEqual([
      'name            GFLOP/s',
      '--------------  -------',
      'fwd                40.1',
      '512³ long name      3.2',
    ]);
  });
});

describe('formatNumber and formatRatio', () => {
  it('formats present values and says n/a for missing ones', () => {
    expect(formatNumber(12.345)).toBe('12.3');
    expect(formatNumber(undefined)).toBe('n/a');
    expect(formatNumber(Number.NaN)).toBe('n/a');
    expect(formatRatio(30, 0.5)).toBe('60.0×');
    expect(formatRatio(45, 0.3)).toBe('150×');
    expect(formatRatio(30, undefined)).toBe('n/a');
    expect(formatRatio(30, 0)).toBe('n/a');
    expect(formatRatio(1, 1)).toBe('1.0×');
    expect(formatRatio(700, 20_000)).toBe('0.035×');
    expect(formatRatio(1, 2)).toBe('0.50×');
    expect(formatRatio(0, 5)).toBe('0.0×');
  });

  it('formats counts as rounded integers with thousands separators', () => {
    expect(formatCount(60_000)).toBe('60,000');
    expect(formatCount(1234.6)).toBe('1,235');
    expect(formatCount(12)).toBe('12');
    expect(formatCount(undefined)).toBe('n/a');
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe('n/a');
  });
});
