import { describe, expect, it } from 'vitest';
import { copyAfter, readCopy, updatesInPlace, writeCopy } from './alternation.js';

describe('alternation of the two state copies', () => {
  it('ends every run in copy 0, and each step reads what the previous one wrote', () => {
    for (let steps = 1; steps <= 9; steps++) {
      expect(writeCopy(steps - 1, steps)).toBe(0);
      expect(readCopy(0, steps)).toBe(0);
      for (let j = 1; j < steps; j++) expect(readCopy(j, steps)).toBe(writeCopy(j - 1, steps));
    }
  });

  it('updates in place only the first step of an odd run, and otherwise writes the other copy', () => {
    expect(updatesInPlace(0, 1)).toBe(true);
    expect(updatesInPlace(0, 3)).toBe(true);
    expect(updatesInPlace(0, 2)).toBe(false);
    expect(updatesInPlace(1, 3)).toBe(false);
    for (let steps = 1; steps <= 9; steps++) {
      for (let j = 0; j < steps; j++) {
        if (updatesInPlace(j, steps)) continue;
        expect(writeCopy(j, steps)).toBe(1 - readCopy(j, steps));
      }
    }
    // Worked by hand: a run of 3 = in place on 0, then 0 → 1, then 1 → 0.
    expect([0, 1, 2].map((j) => [readCopy(j, 3), writeCopy(j, 3)])).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
    ]);
    // A run of 4 = 0 → 1, 1 → 0, 0 → 1, 1 → 0.
    expect([0, 1, 2, 3].map((j) => writeCopy(j, 4))).toEqual([1, 0, 1, 0]);
  });

  it('says which copy holds the state after a run that stopped early', () => {
    expect(copyAfter(0, 4)).toBe(0);
    expect(copyAfter(1, 4)).toBe(1);
    expect(copyAfter(2, 4)).toBe(0);
    expect(copyAfter(1, 3)).toBe(0);
    expect(copyAfter(2, 3)).toBe(1);
    expect(copyAfter(3, 3)).toBe(0);
  });
});
