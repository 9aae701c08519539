import { tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { readScalar } from '../testing/tensor-checks.js';
import { metrics } from './index.js';

const PRED = [
  [0.5, 0.1, 0.4],
  [0.2, 0.7, 0.1],
  [0.1, 0.3, 0.6],
  [0.3, 0.3, 0.4],
];
const LABELS = [2, 0, 2, 1];

/** Float64 reference: fraction of rows where fewer than k scores beat the label's. */
function reference(k: number): number {
  const hits = PRED.map((row, r) => row.filter((v) => v > row[LABELS[r]!]!).length < k);
  return hits.filter(Boolean).length / PRED.length;
}

describe('top-k accuracy', () => {
  for (const k of [1, 2, 3]) {
    it(`k=${k} matches the float64 reference, one-hot and sparse`, () => {
      const yPred = tf.tensor(PRED);
      const oneHot = tf.oneHot(tf.tensor1d(LABELS, 'int32'), 3);
      const ids = tf.tensor(LABELS.map((l) => [l]));
      expect(
        readScalar(
          metrics.get({ className: 'TopKCategoricalAccuracy', config: { k } }).call(oneHot, yPred),
        ),
      ).toBeCloseTo(reference(k), 6);
      expect(readScalar(metrics.sparseTopKCategoricalAccuracy({ k }).call(ids, yPred))).toBeCloseTo(
        reference(k),
        6,
      );
      tf.dispose([yPred, oneHot, ids]);
    });
  }

  it('is registered by its Keras name and round-trips its config', () => {
    const m = metrics.get('top_k_categorical_accuracy');
    expect(m.name).toBe('top_k_categorical_accuracy');
    const k2 = metrics.sparseTopKCategoricalAccuracy({ k: 2, name: 'top2' });
    const back = metrics.deserialize(metrics.serialize(k2));
    expect(back.getConfig?.()).toEqual({ name: 'top2', k: 2 });
    expect(() => metrics.topKCategoricalAccuracy({ k: 0 })).toThrow(ValueError);
    expect(() => metrics.topKCategoricalAccuracy({ k: 0 })).toThrow(
      'TopKCategoricalAccuracy: k must be a positive integer. Received: k=0',
    );
  });
});
