import { describe, expect, it } from 'vitest';
import { measure, median } from './measure.js';

describe('measure', () => {
  it('warms up, then runs every trial with the same repetition count', () => {
    let calls = 0;
    const timing = measure(
      () => {
        calls++;
      },
      { trials: 4, minTrialSeconds: 0, warmupCalls: 2 },
    );
    expect(timing.trials).toBe(4);
    expect(timing.reps).toBe(1);
    expect(calls).toBe(2 + 4 * timing.reps);
    expect(timing.bestSeconds).toBeLessThanOrEqual(timing.medianSeconds);
    expect(timing.bestSeconds).toBeGreaterThanOrEqual(0);
  });
});

describe('median', () => {
  it('takes the middle of sorted values, or the mean of the middle two', () => {
    expect(median([1, 2, 10])).toBe(2);
    expect(median([1, 2, 4, 10])).toBe(3);
    expect(median([])).toBeNaN();
  });
});
