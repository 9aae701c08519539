import { describe, expect, it } from 'vitest';
import { homesInOrder, splitAligned, splitByCost, splitEvenly } from './sharding.js';

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

describe('splitByCost', () => {
  it('cuts on aligned boundaries into ranges of about equal cost, covering every float once', () => {
    // 64 blocks of 16 floats: the first half costs 1 a block, the second half 3.
    const costs = Float64Array.from({ length: 64 }, (_, b) => (b < 32 ? 1 : 3));
    const ranges = splitByCost(1020, 4, costs);
    expect(ranges[0]!.start).toBe(0);
    expect(ranges.at(-1)!.end).toBe(1020);
    ranges.forEach((r, i) => {
      if (i > 0) expect(r.start).toBe(ranges[i - 1]!.end);
      if (r.end < 1020) expect(r.end % 16).toBe(0);
    });
    // Total cost 128: 32 each. Blocks 0-31 cost 1 each, then 3.
    const cost = (r: { start: number; end: number }) => {
      let c = 0;
      for (let b = r.start / 16; b < Math.ceil(r.end / 16); b++) c += costs[b]!;
      return c;
    };
    expect(ranges.map(cost)).toEqual([32, 33, 30, 33]);
    // Equal counts would have cost 16, 16, 48, 48.
    expect(ranges.map((r) => r.end - r.start)).toEqual([512, 176, 160, 172]);
  });

  it('leaves ranges empty when there are fewer blocks than parts, and refuses too few costs', () => {
    const ranges = splitByCost(20, 4, Float64Array.of(1, 1));
    expect(ranges.filter((r) => r.end > r.start)).toHaveLength(2);
    expect(ranges.at(-1)!.end).toBe(20);
    expect(() => splitByCost(40, 2, Float64Array.of(1))).toThrow(
      /expected a cost for each of 3 blocks. Received: 1/,
    );
  });
});

describe('homesInOrder', () => {
  it('groups consecutive chunks, earlier homes taking the extra one', () => {
    expect(homesInOrder(8, 2)).toEqual([
      { first: 0, end: 4 },
      { first: 4, end: 8 },
    ]);
    expect(homesInOrder(7, 3)).toEqual([
      { first: 0, end: 3 },
      { first: 3, end: 5 },
      { first: 5, end: 7 },
    ]);
    expect(homesInOrder(1, 2)).toEqual([
      { first: 0, end: 1 },
      { first: 1, end: 1 },
    ]);
  });
});
