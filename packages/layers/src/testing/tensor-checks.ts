/**
 * Small test helpers shared by the loss, metric and activation tests: read a scalar result,
 * assert that a piece of code leaves no tensor behind, and check a loss's gradients with
 * respect to its predictions against finite differences.
 *
 * ```ts
 * expect(readScalar(loss.call(yTrue, yPred))).toBeCloseTo(0.5, 6);
 * expectNoTensorLeak(() => loss.call(yTrue, yPred).dispose());
 * expectPredictionGradientsOk(new BinaryCrossentropy({ fromLogits: true }), yTrue, logits);
 * ```
 */
import { checkGradients, type Tensor, tf } from '@tessera/core';
import { expect } from 'vitest';

/** The first value of `t` (a scalar result), disposing `t`. */
export function readScalar(t: Tensor): number {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
}

/** Runs `run` and expects `tf.memory().numTensors` to be where it was before. */
export function expectNoTensorLeak(run: () => void): void {
  const before = tf.memory().numTensors;
  run();
  expect(tf.memory().numTensors).toBe(before);
}

/**
 * Expects the gradients of `loss.call(yTrue, yPred)` with respect to `yPred` (made from
 * `rows`) to match finite differences.
 */
export function expectPredictionGradientsOk(
  loss: { call(yTrue: Tensor, yPred: Tensor): Tensor },
  yTrue: Tensor,
  rows: number[][],
): void {
  const yPred = tf.tensor(rows);
  const report = checkGradients((p) => loss.call(yTrue, p), [yPred]);
  expect(report.worst).toBeUndefined();
  yPred.dispose();
}
