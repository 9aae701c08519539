/**
 * softmax and log_softmax along one axis or several (the last by default, as Keras).
 */

import type { Tensor } from '@tessera/core';
import { received, ShapeError, tf, ValueError } from '@tessera/core';
import { optionsOf } from './options.js';

/** Options of `softmax` and `log_softmax`. */
export interface SoftmaxOptions {
  /**
   * Axis (or axes, as in Keras 3) the probabilities sum to one over; negative counts from
   * the end (default -1).
   */
  axis?: number | readonly number[];
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

/** One axis or several, each resolved; several must be distinct. */
function resolveAxes(owner: string, x: Tensor, axis: unknown): number[] {
  if (!Array.isArray(axis)) return [resolveAxis(owner, x, axis)];
  const axes = axis.map((a) => resolveAxis(owner, x, a));
  if (axes.length === 0 || new Set(axes).size !== axes.length) {
    throw new ValueError(received(`${owner}: axes must be distinct and non-empty`, 'axis', axis));
  }
  return axes;
}

/** `x - log(sum(exp(x)))` over `axes`, stable for large magnitudes. */
function logSoftmaxAlong(x: Tensor, axes: number[]): Tensor {
  return tf.tidy(() => tf.sub(x, tf.logSumExp(x, axes, true)));
}

/** True for the last axis alone: tfjs's own kernels apply. */
function lastOnly(x: Tensor, axes: number[]): boolean {
  return axes.length === 1 && axes[0] === x.rank - 1;
}

/**
 * Softmax: `exp(x) / sum(exp(x))` along `axis` (default the last).
 *
 * ```ts
 * activations.softmax(tf.tensor([[1, 2, 3]]));   // each row sums to 1
 * ```
 */
export function softmax(x: Tensor, options?: SoftmaxOptions): Tensor {
  const axes = resolveAxes('softmax', x, optionsOf(options).axis ?? -1);
  if (lastOnly(x, axes)) return tf.softmax(x);
  return tf.tidy(() => tf.exp(logSoftmaxAlong(x, axes)));
}
/** Called without options (the last axis), softmax is what the fused dense op applies. */
softmax.fusedDense = 'softmax' as const;

/** Log-softmax: `x - log(sum(exp(x)))` along `axis` (default the last). */
export function logSoftmax(x: Tensor, options?: SoftmaxOptions): Tensor {
  const axes = resolveAxes('log_softmax', x, optionsOf(options).axis ?? -1);
  if (lastOnly(x, axes)) return tf.logSoftmax(x);
  return logSoftmaxAlong(x, axes);
}
