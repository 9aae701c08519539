import { tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { expectPredictionGradientsOk, readScalar } from '../testing/tensor-checks.js';
import { losses } from './index.js';

/** Squared errors per row (mean over the last axis), float64, for the MSE references. */
const Y = [
  [1, 2],
  [0, 1],
  [3, -1],
];
const P = [
  [1.5, 2],
  [1, 0],
  [2, 1],
];
const PER_ROW = Y.map((row, r) => row.reduce((s, y, j) => s + (P[r]![j]! - y) ** 2, 0) / 2);
const W = [2, 0.5, 0];

describe('loss reduction and sample weights (Keras semantics)', () => {
  it('sum_over_batch_size divides the weighted sum by the rows; sum keeps it; none gives rows', () => {
    const yTrue = tf.tensor(Y);
    const yPred = tf.tensor(P);
    const w = tf.tensor(W);
    const weighted = PER_ROW.reduce((s, l, i) => s + l * W[i]!, 0);
    expect(readScalar(losses.get('mse').call(yTrue, yPred, w))).toBeCloseTo(weighted / 3, 6);
    expect(
      readScalar(losses.meanSquaredError({ reduction: 'sum' }).call(yTrue, yPred, w)),
    ).toBeCloseTo(weighted, 6);
    const none = losses.meanSquaredError({ reduction: 'none' }).call(yTrue, yPred, w);
    expect(Array.from(none.dataSync())).toEqual(PER_ROW.map((l, i) => Math.fround(l * W[i]!)));
    none.dispose();
    tf.dispose([yTrue, yPred, w]);
  });

  it('weights a crossentropy per row, with gradients that match finite differences', () => {
    const yTrue = tf.tensor([
      [0, 1, 0],
      [1, 0, 0],
    ]);
    const rows = [
      [0.2, 0.5, 0.3],
      [0.6, 0.1, 0.3],
    ];
    const w = tf.tensor([3, 1]);
    const cce = losses.categoricalCrossentropy({ reduction: 'sum' });
    const yPred = tf.tensor(rows);
    expect(readScalar(cce.call(yTrue, yPred, w))).toBeCloseTo(
      -(3 * Math.log(0.5) + Math.log(0.6)),
      5,
    );
    expectPredictionGradientsOk({ call: (t, p) => cce.call(t, p, w) }, yTrue, rows);
    tf.dispose([yTrue, yPred, w]);
  });

  it('ignoreClass drops those rows and divides by the rows left', () => {
    const probs = [
      [0.7, 0.2, 0.1],
      [0.1, 0.8, 0.1],
      [0.3, 0.3, 0.4],
    ];
    const yPred = tf.tensor(probs);
    const labels = tf.tensor([0, -1, 2]);
    const scce = losses.sparseCategoricalCrossentropy({ ignoreClass: -1 });
    const expected = -(Math.log(0.7) + Math.log(0.4)) / 2;
    expect(readScalar(scce.call(labels, yPred))).toBeCloseTo(expected, 5);
    const w = tf.tensor([1, 5, 2]);
    expect(readScalar(scce.call(labels, yPred, w))).toBeCloseTo(
      -(Math.log(0.7) + 2 * Math.log(0.4)) / 2,
      5,
    );
    const per = scce.perExample(labels, yPred);
    expect(per.dataSync()[1]).toBe(0);
    per.dispose();
    expectPredictionGradientsOk({ call: (t, p) => scce.call(t, p) }, labels, probs);
    tf.dispose([yPred, labels, w]);
  });

  it('round-trips reduction and ignoreClass, and checks them in the Keras form', () => {
    const scce = losses.sparseCategoricalCrossentropy({ ignoreClass: 255, reduction: 'sum' });
    const back = losses.deserialize(losses.serialize(scce));
    expect(back.getConfig()).toEqual({ fromLogits: false, reduction: 'sum', ignoreClass: 255 });
    expect(losses.get({ className: 'Huber', config: { reduction: 'none' } }).getConfig()).toEqual({
      reduction: 'none',
      delta: 1,
    });
    // The default stays out of the config, so configs saved before still compare equal.
    expect(losses.get('mse').getConfig()).toEqual({});
    expect(() => losses.meanAbsoluteError({ reduction: 'average' as 'sum' })).toThrow(
      'MeanAbsoluteError: reduction must be one of sum_over_batch_size, sum, none, mean, mean_with_sample_weight. Received: reduction="average"',
    );
    expect(() => losses.sparseCategoricalCrossentropy({ ignoreClass: 0.5 })).toThrow(ValueError);
  });
});
