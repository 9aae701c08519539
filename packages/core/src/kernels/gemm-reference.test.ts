import { describe, expect, it } from 'vitest';
import type { GemmProblem } from './gemm-problem.js';
import { compareWithReference, referenceGemm } from './gemm-reference.js';

function problem(overrides: Partial<GemmProblem>): GemmProblem {
  return {
    a: Float32Array.from([1, 2, 3, 4, 5, 6]), // 2×3
    b: Float32Array.from([1, 0, 0, 1, 1, 1]), // 3×2
    m: 2,
    n: 2,
    k: 3,
    transposeA: false,
    transposeB: false,
    aIndex: Int32Array.from([0]),
    bIndex: Int32Array.from([0]),
    bias: null,
    activation: 'linear',
    leakyreluAlpha: 0.2,
    preluWeights: null,
    ...overrides,
  };
}

describe('referenceGemm', () => {
  it('computes a small product worked by hand', () => {
    // [1 2 3; 4 5 6] · [1 0; 0 1; 1 1] = [4 5; 10 11]
    expect(Array.from(referenceGemm(problem({})).values)).toEqual([4, 5, 10, 11]);
  });

  it('reads transposed operands', () => {
    // aᵀ stored 3×2 = [1 4; 2 5; 3 6]; bᵀ stored 2×3 = [1 0 1; 0 1 1]
    const p = problem({
      a: Float32Array.from([1, 4, 2, 5, 3, 6]),
      b: Float32Array.from([1, 0, 1, 0, 1, 1]),
      transposeA: true,
      transposeB: true,
    });
    expect(Array.from(referenceGemm(p).values)).toEqual([4, 5, 10, 11]);
  });

  it('adds the bias, then applies the activation', () => {
    const bias = Float32Array.from([-5, -12]);
    expect(Array.from(referenceGemm(problem({ bias, activation: 'relu' })).values)).toEqual([
      0, 0, 5, 0,
    ]);
    const leaky = referenceGemm(problem({ bias, activation: 'leakyrelu', leakyreluAlpha: 0.5 }));
    expect(Array.from(leaky.values)).toEqual([-0.5, -3.5, 5, -0.5]);
    const prelu = referenceGemm(
      problem({ bias, activation: 'prelu', preluWeights: Float32Array.from([2, 3]) }),
    );
    expect(Array.from(prelu.values)).toEqual([-2, -21, 5, -3]);
  });
});

describe('compareWithReference', () => {
  const reference = referenceGemm(problem({}));
  it('accepts values within the float32 error bound and rejects others', () => {
    expect(compareWithReference([4, 5, 10, 11], reference).ok).toBe(true);
    expect(compareWithReference([4, 5, 10 * (1 + 2 ** -23), 11], reference).ok).toBe(true);
    const off = compareWithReference([4, 5, 10.01, 11], reference);
    expect(off.ok).toBe(false);
    expect(off.first).toMatchObject({ index: 2, actual: 10.01, expected: 10 });
    expect(compareWithReference([4, 5, 10], reference).ok).toBe(false);
  });
});
