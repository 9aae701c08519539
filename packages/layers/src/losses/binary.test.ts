import { ShapeError, tf } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import {
  expectNoTensorLeak,
  expectPredictionGradientsOk,
  readScalar,
} from '../testing/tensor-checks.js';
import { BinaryCrossentropy } from './binary.js';

const EPS = 1e-7;

/** Float64 reference: per-unit crossentropy, mean over the last axis, then over rows. */
function bceRef(yTrue: number[][], yPred: number[][], fromLogits: boolean, smoothing = 0): number {
  let total = 0;
  for (let r = 0; r < yTrue.length; r++) {
    const t = yTrue[r]!;
    let row = 0;
    for (let c = 0; c < t.length; c++) {
      const y = t[c]! * (1 - smoothing) + 0.5 * smoothing;
      const x = yPred[r]![c]!;
      const p = fromLogits ? 1 / (1 + Math.exp(-x)) : x;
      const clipped = Math.min(Math.max(p, EPS), 1 - EPS);
      // From logits the exact value is used (no clipping): log1p form for accuracy.
      row += fromLogits
        ? y * Math.log1p(Math.exp(-x)) + (1 - y) * Math.log1p(Math.exp(x))
        : -(y * Math.log(clipped) + (1 - y) * Math.log(1 - clipped));
    }
    total += row / t.length;
  }
  return total / yTrue.length;
}

const labels = [
  [0, 1],
  [0, 0],
  [1, 1],
];
const probs = [
  [0.6, 0.4],
  [0.4, 0.6],
  [0.9, 0.05],
];
const logits = [
  [0.7, -1.3],
  [-2.1, 0.4],
  [3.2, 1.1],
];

describe('binary crossentropy', () => {
  it('matches the float64 formula on probabilities (Keras docs rows: 0.916, 0.714)', () => {
    const got = readScalar(new BinaryCrossentropy().call(tf.tensor(labels), tf.tensor(probs)));
    expect(got).toBeCloseTo(bceRef(labels, probs, false), 5);
    const twoRows = readScalar(
      new BinaryCrossentropy().call(tf.tensor(labels.slice(0, 2)), tf.tensor(probs.slice(0, 2))),
    );
    expect(twoRows).toBeCloseTo((0.916291 + 0.713558) / 2, 5);
  });

  it('clips probabilities of exactly 0 and 1 to [1e-7, 1 - 1e-7]', () => {
    const got = readScalar(new BinaryCrossentropy().call(tf.tensor([[1, 0]]), tf.tensor([[0, 1]])));
    // float32 rounds 1 - 1e-7 to 0.99999988, so log(1 - p) is log(1.19e-7) there.
    const logOfOneMinusClip = Math.log(1 - Math.fround(1 - EPS));
    expect(got).toBeCloseTo((-Math.log(EPS) - logOfOneMinusClip) / 2, 3);
    expect(Number.isFinite(got)).toBe(true);
  });

  it('matches the float64 formula from logits', () => {
    const loss = new BinaryCrossentropy({ fromLogits: true });
    expect(readScalar(loss.call(tf.tensor(labels), tf.tensor(logits)))).toBeCloseTo(
      bceRef(labels, logits, true),
      5,
    );
  });

  it('is stable and precise for large logits', () => {
    const loss = new BinaryCrossentropy({ fromLogits: true });
    // Confidently right: the loss is exp(-30) ≈ 9.4e-14, not 0 from 1 - sigmoid rounding.
    const right = readScalar(loss.call(tf.tensor([[1]]), tf.tensor([[30]])));
    expect(right).toBeGreaterThan(0);
    expect(right).toBeCloseTo(Math.exp(-30), 18);
    // Confidently wrong: linear in the logit, no overflow.
    expect(readScalar(loss.call(tf.tensor([[0]]), tf.tensor([[200]])))).toBeCloseTo(200, 3);
  });

  it('applies label smoothing towards 0.5', () => {
    const loss = new BinaryCrossentropy({ labelSmoothing: 0.2 });
    expect(readScalar(loss.call(tf.tensor(labels), tf.tensor(probs)))).toBeCloseTo(
      bceRef(labels, probs, false, 0.2),
      5,
    );
    const fromLogits = new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 });
    expect(readScalar(fromLogits.call(tf.tensor(labels), tf.tensor(logits)))).toBeCloseTo(
      bceRef(labels, logits, true, 0.2),
      5,
    );
  });

  it('accepts [n] labels for [n, 1] predictions', () => {
    const loss = new BinaryCrossentropy();
    const yPred = tf.tensor([[0.8], [0.3]]);
    const flat = tf.tensor([1, 0], [2], 'int32');
    expect(readScalar(loss.call(flat, yPred))).toBeCloseTo((-Math.log(0.8) - Math.log(0.7)) / 2, 5);
    tf.dispose([yPred, flat]);
  });

  it('gradients w.r.t. yPred match finite differences', () => {
    const yTrue = tf.tensor(labels);
    for (const [fromLogits, rows] of [
      [false, probs],
      [true, logits],
    ] as const) {
      const loss = new BinaryCrossentropy({ fromLogits, labelSmoothing: 0.1 });
      expectPredictionGradientsOk(loss, yTrue, rows);
    }
    yTrue.dispose();
  });

  it('leaks no tensors', () => {
    const yTrue = tf.tensor(labels);
    const yPred = tf.tensor(probs);
    expectNoTensorLeak(() => {
      readScalar(new BinaryCrossentropy({ labelSmoothing: 0.1 }).call(yTrue, yPred));
      readScalar(new BinaryCrossentropy({ fromLogits: true }).call(yTrue, yPred));
    });
    tf.dispose([yTrue, yPred]);
  });

  it('a shape mismatch names both shapes', () => {
    const yTrue = tf.zeros([4, 1]);
    const yPred = tf.zeros([3, 1]);
    expect(() => new BinaryCrossentropy().call(yTrue, yPred)).toThrow(ShapeError);
    expect(() => new BinaryCrossentropy().call(yTrue, yPred)).toThrow(
      /yTrue\.shape=\[4,1\], yPred\.shape=\[3,1\]/,
    );
    tf.dispose([yTrue, yPred]);
  });

  it('config round-trips and options are validated', () => {
    const loss = new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.3 });
    const copy = new BinaryCrossentropy(JSON.parse(JSON.stringify(loss.getConfig())));
    expect(copy.getConfig()).toEqual({ fromLogits: true, labelSmoothing: 0.3 });
    expect(() => new BinaryCrossentropy({ labelSmoothing: -0.1 })).toThrow(
      'BinaryCrossentropy: labelSmoothing must be a number in [0, 1]. Received: labelSmoothing=-0.1',
    );
  });
});
