import { describe, expect, it } from 'vitest';
import { DIGIT_BITMAPS, loadDigits } from './digits.js';

const bits = (s: string) => Array.from(s, Number);
const rowKey = (xs: Float32Array, i: number) =>
  Array.from(xs.subarray(i * 15, i * 15 + 15)).join('');

describe('loadDigits', () => {
  it("uses the course's bitmaps for 9, 0 and 1, and ten distinct 3×5 drawings", () => {
    expect(DIGIT_BITMAPS[9]).toBe('111101111001111');
    expect(DIGIT_BITMAPS[0]).toBe('111101101101111');
    expect(DIGIT_BITMAPS[1]).toBe('001001001001001');
    expect(new Set(DIGIT_BITMAPS).size).toBe(10);
    expect(DIGIT_BITMAPS.every((b) => /^[01]{15}$/.test(b))).toBe(true);
  });

  it('test: the ten clean bitmaps first, then noisy copies; 15 inputs, 10 classes', () => {
    const test = loadDigits({ split: 'test', copies: 8 });
    expect(test.featureShape).toEqual([15]);
    expect(test.numClasses).toBe(10);
    expect(test.size).toBe(10 + 10 * 2);
    expect(Array.from(test.features.subarray(9 * 15, 10 * 15))).toEqual(bits('111101111001111'));
    expect(Array.from(test.features.subarray(0, 15))).toEqual(bits('111101101101111'));
    expect(Array.from(test.targets.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
  });

  it('train: copies per digit, each differing from its clean bitmap and no other digit', () => {
    const train = loadDigits({ copies: 30, noise: 0.1, seed: 5 });
    expect(train.size).toBe(300);
    for (let i = 0; i < train.size; i++) {
      const key = rowKey(train.features as Float32Array, i);
      expect(key).not.toBe(DIGIT_BITMAPS[train.targets[i]!]);
      expect(DIGIT_BITMAPS.includes(key)).toBe(false);
    }
    const counts = new Array<number>(10).fill(0);
    for (const t of train.targets) counts[t]!++;
    expect(counts).toEqual(new Array<number>(10).fill(30));
  });

  it('is reproducible by seed; other seeds and the test split differ', () => {
    const a = loadDigits({ seed: 1 });
    expect(Array.from(loadDigits({ seed: 1 }).features)).toEqual(Array.from(a.features));
    expect(Array.from(loadDigits({ seed: 2 }).features)).not.toEqual(Array.from(a.features));
    const test = loadDigits({ seed: 1, split: 'test', copies: 80 });
    expect(Array.from(test.features.subarray(150, 450))).not.toEqual(
      Array.from(a.features.subarray(0, 300)),
    );
  });

  it('flips about `noise` of the pixels', () => {
    const train = loadDigits({ copies: 400, noise: 0.2, seed: 3 });
    let flips = 0;
    for (let i = 0; i < train.size; i++) {
      const clean = DIGIT_BITMAPS[train.targets[i]!]!;
      for (let j = 0; j < 15; j++) if (train.features[i * 15 + j] !== Number(clean[j])) flips++;
    }
    const rate = flips / (train.size * 15);
    expect(rate).toBeGreaterThan(0.18);
    expect(rate).toBeLessThan(0.23);
  });

  it('gives exact copies with noise 0 and rejects bad options', () => {
    const exact = loadDigits({ copies: 1, noise: 0 });
    expect(rowKey(exact.features as Float32Array, 4)).toBe(DIGIT_BITMAPS[4]);
    expect(() => loadDigits({ noise: 0.7 })).toThrow('Received: noise=0.7');
    expect(() => loadDigits({ copies: 0 })).toThrow('Received: copies=0');
  });
});
