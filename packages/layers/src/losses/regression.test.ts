import { checkGradients, ShapeError, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { readScalar } from '../testing/tensor-checks.js';
import { Huber, MeanAbsoluteError, MeanSquaredError } from './regression.js';

/** Float64 reference: per-row mean of f(pred - true), then mean over rows. */
function rowMeanRef(yTrue: number[][], yPred: number[][], f: (e: number) => number): number {
  let total = 0;
  for (let r = 0; r < yTrue.length; r++) {
    const t = yTrue[r]!;
    const p = yPred[r]!;
    let row = 0;
    for (let c = 0; c < t.length; c++) row += f(p[c]! - t[c]!);
    total += row / t.length;
  }
  return total / yTrue.length;
}

const yTrueRows = [
  [0.5, -1.2, 3.0],
  [2.0, 0.1, -0.7],
];
const yPredRows = [
  [0.9, -0.4, 1.1],
  [2.3, 1.8, -0.2],
];

function huberRef(delta: number) {
  return (e: number): number =>
    Math.abs(e) <= delta ? 0.5 * e * e : delta * Math.abs(e) - 0.5 * delta * delta;
}

describe('regression losses: values', () => {
  const cases: Array<
    [string, () => MeanSquaredError | MeanAbsoluteError | Huber, (e: number) => number]
  > = [
    ['mse', () => new MeanSquaredError(), (e) => e * e],
    ['mae', () => new MeanAbsoluteError(), (e) => Math.abs(e)],
    ['huber delta=1', () => new Huber(), huberRef(1)],
    ['huber delta=0.5', () => new Huber({ delta: 0.5 }), huberRef(0.5)],
  ];
  for (const [label, make, f] of cases) {
    it(`${label} matches the float64 formula`, () => {
      const loss = make();
      const yTrue = tf.tensor(yTrueRows);
      const yPred = tf.tensor(yPredRows);
      const before = tf.memory().numTensors;
      const got = readScalar(loss.call(yTrue, yPred));
      expect(tf.memory().numTensors).toBe(before);
      expect(got).toBeCloseTo(rowMeanRef(yTrueRows, yPredRows, f), 6);
      tf.dispose([yTrue, yPred]);
    });
  }

  it('mean over the last axis first: rows of different spread weigh the same', () => {
    // [n, 1] targets with [n, 1] predictions: the mean of squared errors per row.
    const got = readScalar(
      new MeanSquaredError().call(tf.tensor([[1], [2]]), tf.tensor([[2], [5]])),
    );
    expect(got).toBeCloseTo((1 + 9) / 2, 6);
  });

  it('accepts [n] targets for [n, 1] predictions and int32 targets', () => {
    const yPred = tf.tensor([[1.5], [2.5], [-1]]);
    const flat = tf.tensor([1, 2, 0], [3], 'int32');
    const column = tf.tensor([[1], [2], [0]]);
    const a = readScalar(new MeanAbsoluteError().call(flat, yPred));
    const b = readScalar(new MeanAbsoluteError().call(column, yPred));
    expect(a).toBeCloseTo((0.5 + 0.5 + 1) / 3, 6);
    expect(b).toBe(a);
    tf.dispose([yPred, flat, column]);
  });

  it('huber is quadratic inside the band and linear outside', () => {
    const loss = new Huber({ delta: 1 });
    expect(readScalar(loss.call(tf.tensor([[0]]), tf.tensor([[0.5]])))).toBeCloseTo(0.125, 7);
    expect(readScalar(loss.call(tf.tensor([[0]]), tf.tensor([[-3]])))).toBeCloseTo(2.5, 6);
    expect(readScalar(loss.call(tf.tensor([[0]]), tf.tensor([[1]])))).toBeCloseTo(0.5, 7);
  });
});

describe('regression losses: gradients', () => {
  for (const [label, loss] of [
    ['mse', new MeanSquaredError()],
    ['mae', new MeanAbsoluteError()],
    ['huber', new Huber({ delta: 1 })],
  ] as const) {
    it(`${label}: analytic gradient w.r.t. yPred matches finite differences`, () => {
      const yTrue = tf.tensor(yTrueRows);
      const yPred = tf.tensor(yPredRows);
      const report = checkGradients((p) => loss.call(yTrue, p), [yPred]);
      expect(report.worst).toBeUndefined();
      expect(report.ok).toBe(true);
      tf.dispose([yTrue, yPred]);
    });
  }
});

describe('regression losses: errors and config', () => {
  it('a shape mismatch is a ShapeError naming both shapes', () => {
    const yTrue = tf.zeros([2, 3]);
    const yPred = tf.zeros([2, 4]);
    for (const loss of [new MeanSquaredError(), new MeanAbsoluteError(), new Huber()]) {
      expect(() => loss.call(yTrue, yPred)).toThrow(ShapeError);
      expect(() => loss.call(yTrue, yPred)).toThrow(/yTrue\.shape=\[2,3\], yPred\.shape=\[2,4\]/);
    }
    tf.dispose([yTrue, yPred]);
  });

  it('a scalar yPred is rejected', () => {
    const s = tf.scalar(1);
    expect(() => new MeanSquaredError().call(s, s)).toThrow(/rank >= 1/);
    s.dispose();
  });

  it('huber delta must be positive', () => {
    expect(() => new Huber({ delta: 0 })).toThrow(ValueError);
    expect(() => new Huber({ delta: 0 })).toThrow(
      'Huber: delta must be a positive finite number. Received: delta=0',
    );
    expect(() => new Huber({ delta: Number.NaN })).toThrow(ValueError);
  });

  it('unknown options are rejected', () => {
    expect(() => new Huber({ delta: 1, fromLogits: true } as never)).toThrow(
      /unknown argument.*fromLogits/,
    );
  });

  it('huber config round-trips', () => {
    const loss = new Huber({ delta: 2.5 });
    expect(new Huber(loss.getConfig()).delta).toBe(2.5);
    expect(new MeanSquaredError().getConfig()).toEqual({});
  });
});
