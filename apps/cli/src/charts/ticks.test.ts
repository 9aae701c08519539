import { describe, expect, it } from 'vitest';
import { epochTicks, formatTick, niceStep, niceTicks } from './ticks.js';

describe('niceStep', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(0.3)).toBe(0.5);
    expect(niceStep(0.12)).toBeCloseTo(0.2, 12);
    expect(niceStep(7)).toBe(10);
    expect(niceStep(1)).toBe(1);
    expect(niceStep(2.5)).toBe(5);
  });

  it('falls back to 1 for a step that is not a positive number', () => {
    expect(niceStep(0)).toBe(1);
    expect(niceStep(Number.NaN)).toBe(1);
  });
});

describe('niceTicks', () => {
  it('covers the range with nice values', () => {
    // range 0.13..0.91 over 5 intervals: rough 0.156 -> step 0.2; floor(0.13/0.2)=0, ceil(0.91/0.2)=5.
    const t = niceTicks(0.13, 0.91, 5);
    expect(t.step).toBeCloseTo(0.2, 12);
    expect(t.values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(t.min).toBe(0);
    expect(t.max).toBe(1);
  });

  it('widens an empty range around its value', () => {
    // 2 ± 10 % = [1.8, 2.2]; rough step 0.08 -> 0.1; ticks 1.8 … 2.2.
    expect(niceTicks(2, 2, 5).values).toEqual([1.8, 1.9, 2, 2.1, 2.2]);
    expect(niceTicks(0, 0, 2).values).toEqual([-1, 0, 1]);
  });

  it('swaps reversed bounds and replaces non-finite ones', () => {
    expect(niceTicks(10, 0, 2).values).toEqual([0, 5, 10]);
    expect(niceTicks(Number.NaN, 1, 1).values).toEqual([0, 1]);
  });
});

describe('formatTick', () => {
  it('shows the decimals the step needs', () => {
    expect(formatTick(0.4, 0.2)).toBe('0.4');
    expect(formatTick(0.05, 0.05)).toBe('0.05');
    expect(formatTick(20, 10)).toBe('20');
    expect(formatTick(-0.0000001, 0.1)).toBe('0.0');
  });
});

describe('epochTicks', () => {
  it('always has a tick for the first and the last epoch', () => {
    expect(epochTicks(1, 10)).toEqual([1, 2, 4, 6, 8, 10]);
    expect(epochTicks(1, 60)).toEqual([1, 10, 20, 30, 40, 50, 60]);
    expect(epochTicks(1, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(epochTicks(1, 2)).toEqual([1, 2]);
    expect(epochTicks(3, 3)).toEqual([3]);
  });

  it('keeps inner ticks half a step clear of the ends', () => {
    // 1…21: step 5 → 5 is 4 from 1 and 20 only 1 from 21, so 20 is left out.
    expect(epochTicks(1, 21)).toEqual([1, 5, 10, 15, 21]);
  });
});
