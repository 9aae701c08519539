/**
 * softmax and log_softmax along one axis (the last by default, as Keras).
 */

import type { Tensor } from '@tessera/core';
import { received, ShapeError, tf, ValueError } from '@tessera/core';
import { optionsOf } from './options.js';

/** Options of `softmax` and `log_softmax`. */
export interface SoftmaxOptions {
  /** Axis the probabilities sum to one along; negative counts from the end (default -1). */
  axis?: number;
}

/** The axis as a non-negative index into x's shape; errors name the function. */
function resolveAxis(owner: string, x: Tensor, axis: unknown): number {
  if (x.rank === 0) {
    throw new ShapeError(received(`${owner}: input must have rank >= 1`, 'shape', x.shape));
  }
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -x.rank || axis >= x.rank) {
    throw new ValueError(
      received(
        `${owner}: axis must be an integer in [${-x.rank}, ${x.rank - 1}] for an input of rank ${x.rank}`,
        'axis',
        axis,
      ),
    );
  }
  return axis < 0 ? axis + x.rank : axis;
}

/** `x - log(sum(exp(x)))` along `axis`, stable for large magnitudes. */
function logSoftmaxAlong(x: Tensor, axis: number): Tensor {
  return tf.tidy(() => tf.sub(x, tf.logSumExp(x, axis, true)));
}

/**
 * Softmax: `exp(x) / sum(exp(x))` along `axis` (default the last).
 *
 * ```ts
 * activations.softmax(tf.tensor([[1, 2, 3]]));   // each row sums to 1
 * ```
 */
export function softmax(x: Tensor, options?: SoftmaxOptions): Tensor {
  const axis = resolveAxis('softmax', x, optionsOf(options).axis ?? -1);
  if (axis === x.rank - 1) return tf.softmax(x);
  return tf.tidy(() => tf.exp(logSoftmaxAlong(x, axis)));
}

/** Log-softmax: `x - log(sum(exp(x)))` along `axis` (default the last). */
export function logSoftmax(x: Tensor, options?: SoftmaxOptions): Tensor {
  const axis = resolveAxis('log_softmax', x, optionsOf(options).axis ?? -1);
  if (axis === x.rank - 1) return tf.logSoftmax(x);
  return logSoftmaxAlong(x, axis);
}
