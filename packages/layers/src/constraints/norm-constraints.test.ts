import { type Tensor, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import type { Constraint } from './constraint.js';
import { NonNeg } from './non-neg.js';
import { MaxNorm, MinMaxNorm, UnitNorm } from './norm-constraints.js';

// Columns (axis 0) have norms 5 and 1; rows (axis 1) have norms 3 and √17.
const W = [
  [3, 0],
  [4, 1],
];

function applied(c: Constraint, values: number[][] | number[][][] = W): number[] {
  return tf.tidy(() => Array.from(c.apply(tf.tensor(values)).dataSync()));
}

function expectClose(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  for (const [i, g] of got.entries()) expect(g, `index ${i}`).toBeCloseTo(want[i]!, 5);
}

describe('MaxNorm', () => {
  it('scales columns longer than maxValue down to it and leaves the others (axis 0)', () => {
    // Column 0: 2/5 · [3, 4] = [1.2, 1.6]; column 1 (norm 1 <= 2) unchanged.
    expectClose(applied(new MaxNorm({ maxValue: 2 })), [1.2, 0, 1.6, 1]);
  });

  it('works along axis 1, several axes and negative axes', () => {
    const r = Math.sqrt(17);
    expectClose(applied(new MaxNorm({ maxValue: 2, axis: 1 })), [2, 0, (2 * 4) / r, 2 / r]);
    expectClose(applied(new MaxNorm({ maxValue: 2, axis: -1 })), [2, 0, (2 * 4) / r, 2 / r]);
    const f = Math.sqrt(26); // Frobenius norm over both axes
    expectClose(applied(new MaxNorm({ maxValue: 1, axis: [0, 1] })), [3 / f, 0, 4 / f, 1 / f]);
  });

  it('leaves a zero slice at zero (epsilon guards the division)', () => {
    expectClose(
      applied(new MaxNorm({ maxValue: 1 }), [
        [0, 3],
        [0, 4],
      ]),
      [0, 0.6, 0, 0.8],
    );
  });

  it('uses the Keras defaults and round-trips its config', () => {
    expect(new MaxNorm().getConfig()).toEqual({ maxValue: 2, axis: 0 });
    const c = new MaxNorm({ maxValue: 3, axis: [0, 2] });
    expect(new MaxNorm(JSON.parse(JSON.stringify(c.getConfig()))).getConfig()).toEqual({
      maxValue: 3,
      axis: [0, 2],
    });
  });

  it('rejects a negative maxValue, a bad axis, and an axis out of range', () => {
    expect(() => new MaxNorm({ maxValue: -1 })).toThrow(
      'MaxNorm: maxValue must be a non-negative finite number. Received: maxValue=-1',
    );
    expect(() => new MaxNorm({ axis: 0.5 })).toThrow(/axis must be an integer/);
    expect(() => new MaxNorm({ axis: [] })).toThrow(ValueError);
    expect(() => applied(new MaxNorm({ axis: 2 }))).toThrow(
      'MaxNorm: axis is out of range for a weight of rank 2. Received: axis=2',
    );
    expect(() => applied(new MaxNorm({ axis: [0, -2] }))).toThrow(/same dimension twice/);
  });
});

describe('UnitNorm', () => {
  it('scales every column to norm 1', () => {
    expectClose(applied(new UnitNorm()), [0.6, 0, 0.8, 1]);
  });

  it('works on a rank-3 weight along the last axis', () => {
    // Slices [0,0,:] = [3, 4] and [1,1,:] = [0, 2] → [0.6, 0.8] and [0, 1].
    const got = applied(new UnitNorm({ axis: -1 }), [
      [
        [3, 4],
        [1, 0],
      ],
      [
        [0, -5],
        [0, 2],
      ],
    ]);
    expectClose(got, [0.6, 0.8, 1, 0, 0, -1, 0, 1]);
  });

  it('round-trips its config', () => {
    expect(new UnitNorm().getConfig()).toEqual({ axis: 0 });
    expect(new UnitNorm({ axis: 1 }).getConfig()).toEqual({ axis: 1 });
  });
});

describe('MinMaxNorm', () => {
  it('clips column norms into [minValue, maxValue] with rate 1', () => {
    // Column 0: norm 5 → 3: [1.8, 2.4]. Column 1: norm 1 → 2: [0, 2].
    expectClose(applied(new MinMaxNorm({ minValue: 2, maxValue: 3 })), [1.8, 0, 2.4, 2]);
  });

  it('moves only part of the way with rate < 1', () => {
    // Column 0: 0.5·3 + 0.5·5 = 4 → [2.4, 3.2]. Column 1: 0.5·2 + 0.5·1 = 1.5 → [0, 1.5].
    expectClose(
      applied(new MinMaxNorm({ minValue: 2, maxValue: 3, rate: 0.5 })),
      [2.4, 0, 3.2, 1.5],
    );
  });

  it('uses the Keras defaults and round-trips its config', () => {
    expect(new MinMaxNorm().getConfig()).toEqual({ minValue: 0, maxValue: 1, rate: 1, axis: 0 });
    const c = new MinMaxNorm({ minValue: 0.5, maxValue: 2, rate: 0.25, axis: 1 });
    expect(new MinMaxNorm(JSON.parse(JSON.stringify(c.getConfig()))).getConfig()).toEqual(
      c.getConfig(),
    );
  });

  it('rejects maxValue < minValue and a rate outside [0, 1]', () => {
    expect(() => new MinMaxNorm({ minValue: 2, maxValue: 1 })).toThrow(
      'MinMaxNorm: maxValue must be >= minValue. Received: minValue=2, maxValue=1',
    );
    expect(() => new MinMaxNorm({ rate: 1.5 })).toThrow(/rate must be in \[0, 1\]/);
    expect(() => new MinMaxNorm({ rate: -0.1 })).toThrow(ValueError);
    expect(() => new MinMaxNorm({ minValue: -1 })).toThrow(ValueError);
  });
});

describe('NonNeg', () => {
  it('zeroes negative entries and keeps the rest', () => {
    expect(
      applied(new NonNeg(), [
        [-1, 2],
        [0, -3.5],
      ]),
    ).toEqual([0, 2, 0, 0]);
    expect(new NonNeg().getConfig()).toEqual({});
  });
});

describe('constraints', () => {
  it('keep the shape and do not leak tensors', () => {
    const w = tf.tensor2d(W);
    const before = tf.memory().numTensors;
    for (const c of [new MaxNorm(), new UnitNorm(), new MinMaxNorm({ rate: 0.5 }), new NonNeg()]) {
      const out: Tensor = c.apply(w);
      expect(out.shape).toEqual([2, 2]);
      out.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  });
});
