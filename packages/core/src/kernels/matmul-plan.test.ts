import { describe, expect, it } from 'vitest';
import { ShapeError } from '../errors.js';
import { broadcastIndex, columnVector, planMatMul } from './matmul-plan.js';

describe('planMatMul', () => {
  it('reads m, n, k from every transpose combination', () => {
    expect(planMatMul([2, 3], [3, 4], false, false)).toMatchObject({
      m: 2,
      n: 4,
      k: 3,
      outShape: [2, 4],
    });
    expect(planMatMul([3, 2], [3, 4], true, false)).toMatchObject({ m: 2, n: 4, k: 3 });
    expect(planMatMul([2, 3], [4, 3], false, true)).toMatchObject({ m: 2, n: 4, k: 3 });
    expect(planMatMul([3, 2], [4, 3], true, true)).toMatchObject({ m: 2, n: 4, k: 3 });
  });

  it('broadcasts batch dimensions like numpy and maps each output to its operands', () => {
    const plan = planMatMul([2, 1, 5, 6], [3, 6, 7], false, false);
    expect(plan.outShape).toEqual([2, 3, 5, 7]);
    // Output (i, j) uses a[i, 0] and b[j].
    expect(Array.from(plan.aIndex)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(Array.from(plan.bIndex)).toEqual([0, 1, 2, 0, 1, 2]);
    const shared = planMatMul([4, 5, 6], [6, 7], false, false);
    expect(shared.outShape).toEqual([4, 5, 7]);
    expect(Array.from(shared.bIndex)).toEqual([0, 0, 0, 0]);
  });

  it('rejects mismatched inner or batch dimensions with the shapes in the message', () => {
    expect(() => planMatMul([2, 3], [4, 5], false, false)).toThrow(ShapeError);
    expect(() => planMatMul([2, 3], [4, 5], false, false)).toThrow(
      'matMul: the inner dimensions of op(a) (3) and op(b) (4) must match. Received: a.shape=[2,3], b.shape=[4,5], transposeA=false, transposeB=false',
    );
    expect(() => planMatMul([2, 2, 3], [3, 3, 4], false, false)).toThrow(/batch dimensions/);
    expect(() => planMatMul([3], [3, 4], false, false)).toThrow(/rank >= 2/);
  });
});

describe('broadcastIndex', () => {
  it('walks the output batch shape row-major, holding size-1 and missing dims at 0', () => {
    expect(Array.from(broadcastIndex([2, 3], [2, 3]))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(broadcastIndex([2, 3], [2, 1]))).toEqual([0, 0, 0, 1, 1, 1]);
    expect(Array.from(broadcastIndex([2, 3], [3]))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(Array.from(broadcastIndex([2, 3], []))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(broadcastIndex([], []))).toEqual([0]);
  });
});

describe('columnVector', () => {
  const values = Float32Array.from([1, 2, 3]);
  it('accepts one value per column, or a scalar expanded to every column', () => {
    expect(Array.from(columnVector(values, [3], 3, 3)!)).toEqual([1, 2, 3]);
    expect(Array.from(columnVector(values, [1, 1, 3], 3, 3)!)).toEqual([1, 2, 3]);
    expect(Array.from(columnVector(Float32Array.from([5]), [1], 3, 3)!)).toEqual([5, 5, 5]);
  });

  it('refuses per-row, per-element and output-widening shapes', () => {
    expect(columnVector(values, [3, 1], 1, 3)).toBeNull();
    expect(columnVector(new Float32Array(6), [2, 3], 3, 3)).toBeNull();
    expect(columnVector(values, [1, 1, 1, 3], 3, 3)).toBeNull();
  });
});
