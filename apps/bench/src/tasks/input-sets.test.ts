import { describe, expect, it } from 'vitest';
import { denseSynthetic, loadInputSet } from './input-sets.js';

describe('the dense synthetic input set', () => {
  it('has no zero feature, ten balanced classes, and is the same for the same seed', () => {
    const a = denseSynthetic(500, 3);
    expect(a.size).toBe(500);
    expect(a.featureSize).toBe(784);
    expect(a.features.every((v) => v > 0)).toBe(true);
    const counts = new Array(10).fill(0);
    for (const c of a.targets) counts[c]++;
    expect(counts).toEqual(new Array(10).fill(50));
    expect(denseSynthetic(500, 3).features).toEqual(a.features);
    expect(denseSynthetic(500, 4).features).not.toEqual(a.features);
  });

  it('is learnable: each class mean differs from the others', () => {
    const d = denseSynthetic(1000, 1);
    const mean = (c: number) => {
      let sum = 0;
      for (let i = c; i < 1000; i += 10)
        for (let j = 0; j < 784; j++) sum += d.features[i * 784 + j]!;
      return sum / (100 * 784);
    };
    const first = d.features.slice(0, 784);
    const second = d.features.slice(784, 2 * 784);
    let differ = 0;
    for (let j = 0; j < 784; j++) differ += Math.abs(first[j]! - second[j]!);
    expect(differ / 784).toBeGreaterThan(20);
    expect(mean(0)).toBeGreaterThan(40);
  });
});

describe('loadInputSet', () => {
  it('returns the set, or the reason it does not load', () => {
    const dense = loadInputSet('dense');
    expect('data' in dense && dense.data.size).toBe(60_000);
    const fashion = loadInputSet('fashion-mnist');
    if (!('data' in fashion)) expect(fashion.reason).toMatch(/fashion/i);
    else expect(fashion.data.featureSize).toBe(784);
  });
});
