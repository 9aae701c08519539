import { describe, expect, it } from 'vitest';
import { planBroadcast, walkBroadcast } from './broadcast.js';

/** Every (output, a, b) index triple the plan visits, in order. */
function visits(aShape: number[], bShape: number[]): Array<[number, number, number]> {
  const plan = planBroadcast(aShape, bShape);
  if (plan === null) throw new Error('no plan');
  const out: Array<[number, number, number]> = [];
  walkBroadcast(
    plan,
    (_o: null, o, _a: null, ai, as, _b: null, bi, bs, n) => {
      for (let i = 0; i < n; i++) out.push([o + i, ai + i * as, bi + i * bs]);
    },
    null,
    null,
    null,
  );
  return out;
}

/** The same triples from NumPy's rule, written out with coordinates. */
function naive(
  aShape: number[],
  bShape: number[],
  outShape: number[],
): Array<[number, number, number]> {
  const rank = outShape.length;
  const pad = (s: number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const a = pad(aShape);
  const b = pad(bShape);
  const size = outShape.reduce((x, y) => x * y, 1);
  const result: Array<[number, number, number]> = [];
  for (let o = 0; o < size; o++) {
    let rest = o;
    const coords = new Array<number>(rank);
    for (let d = rank - 1; d >= 0; d--) {
      coords[d] = rest % outShape[d]!;
      rest = Math.floor(rest / outShape[d]!);
    }
    let ai = 0;
    let bi = 0;
    for (let d = 0; d < rank; d++) {
      ai = ai * a[d]! + (a[d] === 1 ? 0 : coords[d]!);
      bi = bi * b[d]! + (b[d] === 1 ? 0 : coords[d]!);
    }
    result.push([o, ai, bi]);
  }
  return result;
}

describe('planBroadcast', () => {
  it('merges a same-shape op into one flat run', () => {
    const plan = planBroadcast([4, 5, 6], [4, 5, 6])!;
    expect(plan.outShape).toEqual([4, 5, 6]);
    expect(plan.dims).toEqual([120]);
    expect(plan.aSteps).toEqual([1]);
    expect(plan.bSteps).toEqual([1]);
  });

  it('walks a row broadcast as rows of n, and a column broadcast with a zero step', () => {
    expect(planBroadcast([128, 10], [10])).toMatchObject({
      dims: [128, 10],
      aSteps: [10, 1],
      bSteps: [0, 1],
    });
    expect(planBroadcast([128, 10], [128, 1])).toMatchObject({
      dims: [128, 10],
      aSteps: [10, 1],
      bSteps: [1, 0],
    });
    expect(planBroadcast([], [3, 4])).toMatchObject({
      outShape: [3, 4],
      dims: [12],
      aSteps: [0],
      bSteps: [1],
    });
    expect(planBroadcast([], [])).toMatchObject({ outShape: [], size: 1, dims: [] });
  });

  it('returns null for shapes that do not broadcast', () => {
    expect(planBroadcast([3, 4], [5])).toBeNull();
    expect(planBroadcast([2, 3], [3, 2])).toBeNull();
  });

  const cases: Array<[number[], number[], number[]]> = [
    [
      [2, 3, 4],
      [2, 3, 4],
      [2, 3, 4],
    ],
    [[2, 3, 4], [4], [2, 3, 4]],
    [
      [2, 3, 4],
      [3, 1],
      [2, 3, 4],
    ],
    [
      [2, 1, 4],
      [1, 3, 1],
      [2, 3, 4],
    ],
    [
      [5, 1],
      [1, 6],
      [5, 6],
    ],
    [[1], [3, 1, 2], [3, 1, 2]],
    [
      [2, 3, 1, 5],
      [3, 4, 1],
      [2, 3, 4, 5],
    ],
    [[7], [], [7]],
    [[0, 3], [3], [0, 3]],
  ];
  it.each(cases)('%j with %j visits every element as NumPy indexing does', (a, b, out) => {
    expect(planBroadcast(a, b)!.outShape).toEqual(out);
    expect(visits(a, b)).toEqual(naive(a, b, out));
    expect(visits(b, a).map(([o, x, y]) => [o, y, x])).toEqual(naive(a, b, out));
  });
});
