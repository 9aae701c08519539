/**
 * Binary crossentropy: one independent yes/no probability per output unit.
 */
import { type Tensor, tf } from '@tessera/core';
import { type CrossentropyArgs, clipProbabilities, SmoothedCrossentropy } from './crossentropy.js';

/** Options of the binary crossentropy: `fromLogits`, `labelSmoothing` (toward 0.5). */
export type BinaryCrossentropyArgs = CrossentropyArgs;

/**
 * `-(y·log(p) + (1 - y)·log(1 - p))` per unit, mean over the last axis, then over the batch.
 * Probabilities are clipped to [1e-7, 1 - 1e-7]; from logits the loss is computed as
 * `y·softplus(-x) + (1 - y)·softplus(x)`, which neither overflows nor loses small values.
 *
 * ```ts
 * new BinaryCrossentropy().call(tf.tensor([[1], [0]]), tf.tensor([[0.9], [0.2]]));
 * ```
 */
export class BinaryCrossentropy extends SmoothedCrossentropy {
  readonly name = 'binary_crossentropy';
  readonly className = 'BinaryCrossentropy';

  constructor(args: BinaryCrossentropyArgs = {}) {
    super('BinaryCrossentropy', args);
  }

  perExample(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.tidy(() => {
      // Each unit is a two-class problem: smoothing moves its target toward 0.5.
      const target = this.targets(yTrue, yPred, 2);
      const oneMinusTarget = tf.sub(1, target);
      let perUnit: Tensor;
      if (this.fromLogits) {
        // -log(sigmoid(x)) = softplus(-x) and -log(1 - sigmoid(x)) = softplus(x).
        perUnit = tf.add(
          tf.mul(target, tf.softplus(tf.neg(yPred))),
          tf.mul(oneMinusTarget, tf.softplus(yPred)),
        );
      } else {
        const p = clipProbabilities(yPred);
        perUnit = tf.neg(
          tf.add(tf.mul(target, tf.log(p)), tf.mul(oneMinusTarget, tf.log(tf.sub(1, p)))),
        );
      }
      return tf.mean(perUnit, -1);
    });
  }
}
