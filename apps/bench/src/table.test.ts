import { describe, expect, it } from 'vitest';
import { formatNumber, formatRatio, formatTable } from './table.js';

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
  });
});
