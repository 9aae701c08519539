import { describe, expect, it } from 'vitest';
import { splitAligned, splitEvenly } from './sharding.js';

describe('splitEvenly', () => {
  it('cuts a batch into contiguous shards differing by at most one', () => {
    expect(splitEvenly(0, 10, 4)).toEqual([
      { start: 0, end: 3 },
      { start: 3, end: 6 },
      { start: 6, end: 8 },
      { start: 8, end: 10 },
    ]);
    expect(splitEvenly(128, 256, 2)).toEqual([
      { start: 128, end: 192 },
      { start: 192, end: 256 },
    ]);
  });

  it('gives fewer shards when the batch is smaller than the worker count', () => {
    expect(splitEvenly(5, 7, 4)).toEqual([
      { start: 5, end: 6 },
      { start: 6, end: 7 },
    ]);
  });

  it('covers every example exactly once for many sizes', () => {
    for (let n = 1; n < 40; n++) {
      for (let parts = 1; parts <= 5; parts++) {
        const shards = splitEvenly(3, 3 + n, parts);
        const sizes = shards.map((s) => s.end - s.start);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect(sizes.reduce((a, b) => a + b, 0)).toBe(n);
        for (let i = 1; i < shards.length; i++) expect(shards[i]!.start).toBe(shards[i - 1]!.end);
      }
    }
  });
});

describe('splitAligned', () => {
  it('partitions the vector on 16-float boundaries', () => {
    const slices = splitAligned(101_776, 3);
    expect(slices[0]!.start).toBe(0);
    expect(slices[2]!.end).toBe(101_776);
    for (const s of slices) expect(s.start % 16).toBe(0);
    for (let i = 1; i < slices.length; i++) expect(slices[i]!.start).toBe(slices[i - 1]!.end);
  });

  it('leaves slices empty rather than splitting a block', () => {
    expect(splitAligned(20, 4)).toEqual([
      { start: 0, end: 0 },
      { start: 0, end: 16 },
      { start: 16, end: 16 },
      { start: 16, end: 20 },
    ]);
  });
});
