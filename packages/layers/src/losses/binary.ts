/**
 * Binary crossentropy: one independent yes/no probability per output unit.
 */
import { type Tensor, tf } from '@tessera/core';
import { EPSILON, type Loss } from './loss.js';
import { alignTargets } from './shapes.js';
import { booleanArg, checkKeys, numberArg } from './validate.js';

/** Options of the binary crossentropy. */
export interface BinaryCrossentropyArgs {
  /** Whether `yPred` holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** In [0, 1]: targets become `yTrue·(1 - s) + 0.5·s` (default 0, no smoothing). */
  labelSmoothing?: number;
}

/**
 * `-(y·log(p) + (1 - y)·log(1 - p))` per unit, mean over the last axis, then over the batch.
 * Probabilities are clipped to [1e-7, 1 - 1e-7]; from logits the loss is computed as
 * `y·softplus(-x) + (1 - y)·softplus(x)`, which neither overflows nor loses small values.
 *
 * ```ts
 * new BinaryCrossentropy().call(tf.tensor([[1], [0]]), tf.tensor([[0.9], [0.2]]));
 * ```
 */
export class BinaryCrossentropy implements Loss {
  readonly name = 'binary_crossentropy';
  readonly className = 'BinaryCrossentropy';
  /** Whether `yPred` holds logits. */
  readonly fromLogits: boolean;
  /** Label smoothing factor in [0, 1]. */
  readonly labelSmoothing: number;

  constructor(args: BinaryCrossentropyArgs = {}) {
    const owner = 'BinaryCrossentropy';
    checkKeys(owner, args, ['fromLogits', 'labelSmoothing']);
    this.fromLogits = booleanArg(owner, 'fromLogits', args.fromLogits, false);
    this.labelSmoothing = numberArg(owner, 'labelSmoothing', args.labelSmoothing, 0, {
      min: 0,
      max: 1,
    });
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.tidy(() => {
      let target = alignTargets(this.name, yTrue, yPred);
      if (this.labelSmoothing > 0) {
        target = tf.add(tf.mul(target, 1 - this.labelSmoothing), 0.5 * this.labelSmoothing);
      }
      const oneMinusTarget = tf.sub(1, target);
      let perUnit: Tensor;
      if (this.fromLogits) {
        // -log(sigmoid(x)) = softplus(-x) and -log(1 - sigmoid(x)) = softplus(x).
        perUnit = tf.add(
          tf.mul(target, tf.softplus(tf.neg(yPred))),
          tf.mul(oneMinusTarget, tf.softplus(yPred)),
        );
      } else {
        const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
        perUnit = tf.neg(
          tf.add(tf.mul(target, tf.log(p)), tf.mul(oneMinusTarget, tf.log(tf.sub(1, p)))),
        );
      }
      return tf.mean(tf.mean(perUnit, -1));
    });
  }

  getConfig(): Record<string, unknown> {
    return { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
}
