import { tf } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { readScalar } from '../testing/tensor-checks.js';
import { AUC } from './auc.js';
import { metrics } from './index.js';

/**
 * Float64 reference written from the definition: confusion counts at each threshold by
 * direct comparison `p > t`, then the trapezoids of the ROC curve.
 */
function rocReference(labels: number[], preds: number[], numThresholds: number): number {
  const thresholds = Array.from({ length: numThresholds }, (_, i) =>
    i === 0 ? -1e-7 : i === numThresholds - 1 ? 1 + 1e-7 : i / (numThresholds - 1),
  );
  const points = thresholds.map((t) => {
    let tp = 0;
    let fp = 0;
    let tn = 0;
    let fn = 0;
    preds.forEach((p, i) => {
      const pos = p > t;
      if (labels[i]) pos ? tp++ : fn++;
      else pos ? fp++ : tn++;
    });
    const div = (a: number, b: number) => (b === 0 ? 0 : a / b);
    return { x: div(fp, fp + tn), y: div(tp, tp + fn) };
  });
  let area = 0;
  for (let k = 0; k < points.length - 1; k++) {
    area += (points[k]!.x - points[k + 1]!.x) * ((points[k]!.y + points[k + 1]!.y) / 2);
  }
  return area;
}

describe('AUC', () => {
  it("matches Keras's documented example (3 thresholds)", () => {
    // keras.metrics.AUC(num_thresholds=3).update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]) → 0.75
    const yTrue = tf.tensor([0, 0, 1, 1]);
    const yPred = tf.tensor([0, 0.5, 0.3, 0.9]);
    expect(readScalar(metrics.auc({ numThresholds: 3 }).call(yTrue, yPred))).toBeCloseTo(0.75, 6);
    tf.dispose([yTrue, yPred]);
  });

  it('matches the float64 reference with the default 200 thresholds', () => {
    const labels = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1];
    const preds = [0.91, 0.13, 0.42, 0.77, 0.5, 0.38, 0.66, 0.71, 0.08, 0.27, 0.6, 0.55];
    const yTrue = tf.tensor(labels);
    const yPred = tf.tensor(preds);
    const value = readScalar(metrics.get('auc').call(yTrue, yPred));
    expect(value).toBeCloseTo(rocReference(labels, preds, 200), 6);
    // With this few points the approximation is the exact rank AUC: 24 of the 36 positive-negative pairs are ordered.
    expect(value).toBeCloseTo(24 / 36, 6);
    tf.dispose([yTrue, yPred]);
  });

  it('PR curve: minoring and interpolation agree with hand-worked values', () => {
    // 3 thresholds (-ε, 0.5, 1+ε); labels [0, 0, 1, 1], preds [0, 0.5, 0.3, 0.9]:
    // tp = [2, 1, 0], fp = [2, 0, 0], fn = [0, 1, 2]; recall x = [1, 0.5, 0], precision
    // y = [0.5, 1, 0]; minoring: 0.5·min(0.5, 1) + 0.5·min(1, 0) = 0.25.
    const yTrue = tf.tensor([0, 0, 1, 1]);
    const yPred = tf.tensor([0, 0.5, 0.3, 0.9]);
    const pr = (summationMethod: 'minoring' | 'majoring' | 'interpolation') =>
      readScalar(
        metrics.auc({ numThresholds: 3, curve: 'PR', summationMethod }).call(yTrue, yPred),
      );
    expect(pr('minoring')).toBeCloseTo(0.25, 6);
    expect(pr('majoring')).toBeCloseTo(0.5 * 1 + 0.5 * 1, 6);
    // Davis–Goadrich, k = 0: dtp = 1, p = [4, 1], slope = 1/3, intercept = 1 - 1/3,
    // increment = slope·(dtp + intercept·ln 4) / (tp1 + fn1 = 2); k = 1: p1 = 0, ratio 1,
    // slope = 1, intercept 0, increment = 1·1 / 2.
    const first = ((1 / 3) * (1 + (2 / 3) * Math.log(4))) / 2;
    expect(pr('interpolation')).toBeCloseTo(first + 0.5, 6);
    tf.dispose([yTrue, yPred]);
  });

  it('round-trips its config and checks its options', () => {
    const a = new AUC({ numThresholds: 50, curve: 'PR', name: 'pr_auc' });
    expect(metrics.deserialize(metrics.serialize(a)).getConfig?.()).toEqual({
      name: 'pr_auc',
      numThresholds: 50,
      curve: 'PR',
      summationMethod: 'interpolation',
    });
    expect(() => metrics.auc({ numThresholds: 1 })).toThrow(
      'AUC: numThresholds must be an integer >= 2. Received: numThresholds=1',
    );
    expect(() => metrics.auc({ curve: 'XY' as 'ROC' })).toThrow(
      'AUC: curve must be one of ROC, PR',
    );
  });
});
