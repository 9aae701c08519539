/**
 * Keras's loss reductions and sample weighting. A built-in loss computes one value per
 * example, multiplies it by the example's weight when weights are given, then reduces:
 * `'sum_over_batch_size'` (the default) divides the weighted sum by the number of examples
 * (by the number of unmasked examples when `ignoreClass` masks some), `'sum'` keeps the sum,
 * `'none'` returns the weighted per-example values.
 */
import { formatValue, ShapeError, type Tensor, tf } from '@tessera/core';
import { choiceArg } from '../registry/checks.js';

/** How per-example losses become the loss. */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'none';

/** The reductions a loss accepts. */
export const REDUCTIONS: readonly Reduction[] = ['sum_over_batch_size', 'sum', 'none'];

/** The option every built-in loss takes. */
export interface ReductionArgs {
  /** `'sum_over_batch_size'` (default), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

/** The `reduction` option, checked. */
export function reductionArg(owner: string, value: unknown): Reduction {
  return choiceArg(owner, 'reduction', value, REDUCTIONS, 'sum_over_batch_size');
}

/** `{ reduction }` when it is not the default (so existing configs stay as they were). */
export function reductionConfig(reduction: Reduction): Record<string, unknown> {
  return reduction === 'sum_over_batch_size' ? {} : { reduction };
}

/**
 * Weighted per-example losses reduced as `reduction` says. `sampleWeight` is `[n]` or
 * `[n, 1]` for `n` examples; `mask` (1 = counts) drops examples and, for
 * sum_over_batch_size, the divisor becomes the number of examples it keeps. Call inside
 * `tf.tidy`.
 */
export function reduceLosses(
  owner: string,
  perExample: Tensor,
  reduction: Reduction,
  sampleWeight?: Tensor,
  mask?: Tensor,
): Tensor {
  let values = perExample;
  if (sampleWeight !== undefined) {
    if (sampleWeight.size !== perExample.size) {
      throw new ShapeError(
        `${owner}: sampleWeight needs one weight per example (${perExample.size}). Received: sampleWeight.shape=${formatValue(sampleWeight.shape)}`,
      );
    }
    values = tf.mul(values, tf.reshape(tf.cast(sampleWeight, 'float32'), perExample.shape));
  }
  if (mask !== undefined) values = tf.mul(values, mask);
  if (reduction === 'none') return values;
  const sum = tf.sum(values);
  if (reduction === 'sum') return sum;
  const count = mask === undefined ? Math.max(1, perExample.size) : tf.maximum(tf.sum(mask), 1);
  return tf.div(sum, count);
}
