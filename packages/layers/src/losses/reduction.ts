/**
 * Keras's loss reductions and sample weighting. A built-in loss computes one value per
 * example, multiplies it by the example's weight when weights are given (one weight per
 * example, or one number for all), then reduces: `'sum_over_batch_size'` (the default; Keras
 * also calls it `'mean'`) divides the weighted sum by the number of examples (by the number
 * of unmasked examples when `ignoreClass` masks some), `'mean_with_sample_weight'` divides it
 * by the sum of the weights (of the unmasked examples; 0 when that sum is 0), `'sum'` keeps
 * the sum, `'none'` returns the weighted per-example values.
 */
import { formatValue, ShapeError, type Tensor, tf } from '@tessera/core';
import { choiceArg } from '../registry/checks.js';

/** How per-example losses become the loss. */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'none' | 'mean' | 'mean_with_sample_weight';

/** The reductions a loss accepts. */
export const REDUCTIONS: readonly Reduction[] = [
  'sum_over_batch_size',
  'sum',
  'none',
  'mean',
  'mean_with_sample_weight',
];

/** The option every built-in loss takes. */
export interface ReductionArgs {
  /**
   * `'sum_over_batch_size'` (default; `'mean'` is the same), `'mean_with_sample_weight'`,
   * `'sum'` or `'none'`.
   */
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
 * Weighted per-example losses reduced as `reduction` says. `sampleWeight` has one weight per
 * example (`[n]` or `[n, 1]` for `n` examples; `[n, t]` when each example has `t` values) or
 * is a single number for all; `mask` (1 = counts) drops examples and, for
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
  let weights: Tensor | undefined;
  if (sampleWeight !== undefined) {
    const scalarWeight = sampleWeight.size === 1;
    if (!scalarWeight && sampleWeight.size !== perExample.size) {
      throw new ShapeError(
        `${owner}: sampleWeight needs one weight per example (${perExample.size}) or one number. Received: sampleWeight.shape=${formatValue(sampleWeight.shape)}`,
      );
    }
    const w = tf.cast(sampleWeight, 'float32');
    weights = scalarWeight
      ? tf.mul(tf.onesLike(perExample), tf.reshape(w, []))
      : tf.reshape(w, perExample.shape);
    values = tf.mul(values, weights);
  }
  if (mask !== undefined) values = tf.mul(values, mask);
  if (reduction === 'none') return values;
  const sum = tf.sum(values);
  if (reduction === 'sum') return sum;
  if (reduction === 'mean_with_sample_weight' && (weights !== undefined || mask !== undefined)) {
    const kept =
      weights === undefined ? mask : mask === undefined ? weights : tf.mul(weights, mask);
    // Σw = 0 gives 0 (Keras's divide_no_nan). Not tf.divNoNan: its test of the divisor
    // depends on the numerator, which has no gradient.
    const total = tf.sum(kept as Tensor);
    const positive = tf.greater(total, 0);
    return tf.where(positive, tf.div(sum, tf.where(positive, total, tf.onesLike(total))), 0);
  }
  const count = mask === undefined ? Math.max(1, perExample.size) : tf.maximum(tf.sum(mask), 1);
  return tf.div(sum, count);
}
