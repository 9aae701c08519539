import { tf } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { readScalar } from '../testing/tensor-checks.js';
import { metrics } from './index.js';

describe('R2Score', () => {
  it("matches Keras's documented example", () => {
    // y = [1, 4, 3], ŷ = [2, 4, 4]: SSres = 2, SStot = 14/3 → 1 - 2/(14/3) = 4/7.
    const yTrue = tf.tensor([[1], [4], [3]]);
    const yPred = tf.tensor([[2], [4], [4]]);
    expect(readScalar(metrics.get('r2_score').call(yTrue, yPred))).toBeCloseTo(4 / 7, 6);
    tf.dispose([yTrue, yPred]);
  });

  it('averages columns uniformly or by variance, and adjusts for regressors', () => {
    // column 0: y = [1, 2, 3], ŷ = [1, 2, 4]: SSres 1, SStot 2 → 0.5
    // column 1: y = [0, 0, 6], ŷ = [1, 0, 5]: SSres 2, SStot 24 → 11/12
    const yTrue = tf.tensor([
      [1, 0],
      [2, 0],
      [3, 6],
    ]);
    const yPred = tf.tensor([
      [1, 1],
      [2, 0],
      [4, 5],
    ]);
    const uniform = (0.5 + 11 / 12) / 2;
    expect(readScalar(metrics.r2Score().call(yTrue, yPred))).toBeCloseTo(uniform, 6);
    const weighted = (2 * 0.5 + 24 * (11 / 12)) / 26;
    expect(
      readScalar(
        metrics.r2Score({ classAggregation: 'variance_weighted_average' }).call(yTrue, yPred),
      ),
    ).toBeCloseTo(weighted, 6);
    // n = 3, p = 1: 1 - (1 - r2)(n - 1)/(n - p - 1)
    expect(readScalar(metrics.r2Score({ numRegressors: 1 }).call(yTrue, yPred))).toBeCloseTo(
      1 - (1 - uniform) * 2,
      6,
    );
    tf.dispose([yTrue, yPred]);
  });

  it('round-trips its config and refuses per-column output', () => {
    const r = metrics.r2Score({ numRegressors: 2, name: 'r2' });
    expect(metrics.deserialize(metrics.serialize(r)).getConfig?.()).toEqual({
      name: 'r2',
      classAggregation: 'uniform_average',
      numRegressors: 2,
    });
    expect(() => metrics.r2Score({ classAggregation: null as never })).toThrow(
      'Received: classAggregation=null',
    );
  });
});
