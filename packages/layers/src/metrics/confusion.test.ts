import { tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { expectNoTensorLeak, readScalar } from '../testing/tensor-checks.js';
import { metrics } from './index.js';

describe('precision and recall', () => {
  it("match Keras's documented values", () => {
    // keras.metrics.Precision().update_state([0, 1, 1, 1], [1, 0, 1, 1]) → 2/3, Recall → 2/3.
    const yTrue = tf.tensor([0, 1, 1, 1]);
    const yPred = tf.tensor([1, 0, 1, 1]);
    expect(readScalar(metrics.get('precision').call(yTrue, yPred))).toBeCloseTo(2 / 3, 6);
    expect(readScalar(metrics.get('recall').call(yTrue, yPred))).toBeCloseTo(2 / 3, 6);
    tf.dispose([yTrue, yPred]);
  });

  it('count every entry above the threshold, or one column with classId', () => {
    const yTrue = tf.tensor([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    const yPred = tf.tensor([
      [0.8, 0.6],
      [0.3, 0.9],
      [0.65, 0.2],
    ]);
    // threshold 0.7: positives (0.8, 0.9); tp = 2, fp = 0; fn = 2 (0.65 and 0.2 are labelled 1).
    const p = metrics.precision({ thresholds: 0.7 });
    const r = metrics.recall({ thresholds: 0.7 });
    expect(readScalar(p.call(yTrue, yPred))).toBeCloseTo(1, 6);
    expect(readScalar(r.call(yTrue, yPred))).toBeCloseTo(2 / 4, 6);
    // column 0, threshold 0.5: preds 0.8 (1), 0.3 (0), 0.65 (1) → tp 2, fp 0, fn 0.
    // column 1: preds 0.6 (0), 0.9 (1), 0.2 (1) → tp 1, fp 1, fn 1.
    expect(readScalar(metrics.precision({ classId: 1 }).call(yTrue, yPred))).toBeCloseTo(0.5, 6);
    expect(readScalar(metrics.recall({ classId: 0 }).call(yTrue, yPred))).toBeCloseTo(1, 6);
    expectNoTensorLeak(() => {
      p.call(yTrue, yPred).dispose();
    });
    tf.dispose([yTrue, yPred]);
  });

  it('are 0 with no predicted (or no true) positives, as divide_no_nan', () => {
    const yTrue = tf.tensor([0, 0]);
    const yPred = tf.tensor([0.1, 0.2]);
    expect(readScalar(metrics.precision().call(yTrue, yPred))).toBe(0);
    expect(readScalar(metrics.recall().call(yTrue, yPred))).toBe(0);
    tf.dispose([yTrue, yPred]);
  });

  it('round-trip their config and reject bad options in the Keras form', () => {
    const p = metrics.precision({ thresholds: 0.3, classId: 2, name: 'p3' });
    const back = metrics.deserialize(metrics.serialize(p));
    expect(back.name).toBe('p3');
    expect(back.getConfig?.()).toEqual({ name: 'p3', thresholds: 0.3, classId: 2 });
    expect(metrics.get('Recall').getConfig?.()).toEqual({ name: 'Recall', thresholds: 0.5 });
    expect(() => metrics.precision({ thresholds: 1.5 })).toThrow(
      'Precision: thresholds must be a number in [0, 1]. Received: thresholds=1.5',
    );
    expect(() => metrics.recall({ classId: -1 })).toThrow(ValueError);
    expect(() => metrics.get({ className: 'Precision', config: { topK: 0 } })).toThrow(
      'Precision: topK must be a positive integer',
    );
  });
});
