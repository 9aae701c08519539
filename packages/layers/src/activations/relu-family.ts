/**
 * Piecewise-linear and exponential-linear units: relu, leaky_relu, relu6, elu, selu.
 * Each takes a float tensor and returns a new tensor the caller owns.
 */

import type { Tensor } from '@tessera/core';
import { received, tf, ValueError } from '@tessera/core';
import { numberArg } from '../registry/checks.js';
import { optionsOf } from './options.js';

/** Options of `relu` (the Keras `relu(x, negative_slope, max_value, threshold)` arguments). */
export interface ReluOptions {
  /** Slope below `threshold` (default 0). */
  negativeSlope?: number;
  /** Upper saturation value, >= 0 (default: none). */
  maxValue?: number;
  /** Values at or below it count as "negative" (default 0). */
  threshold?: number;
}

/**
 * Rectified linear unit, `max(x, 0)` by default. With options, as Keras:
 * `min(x, maxValue)` for `x > threshold` (clipped to `[0, maxValue]` when a maxValue is set),
 * `negativeSlope * (x - threshold)` otherwise.
 *
 * ```ts
 * activations.relu(tf.tensor([-2, 3]));                       // [0, 3]
 * activations.relu(tf.tensor([-2, 3, 9]), { maxValue: 6 });   // [0, 3, 6]
 * ```
 */
export function relu(x: Tensor, options?: ReluOptions): Tensor {
  const o = optionsOf(options);
  const negativeSlope = numberArg('relu', 'negativeSlope', o.negativeSlope, 0);
  const threshold = numberArg('relu', 'threshold', o.threshold, 0);
  const maxValue =
    o.maxValue === undefined ? undefined : numberArg('relu', 'maxValue', o.maxValue, 0);
  if (maxValue !== undefined && maxValue < 0) {
    throw new ValueError(received('relu: maxValue must be >= 0', 'maxValue', maxValue));
  }
  if (negativeSlope === 0 && threshold === 0 && maxValue === undefined) return tf.relu(x);
  return tf.tidy(() => {
    // step() is 1 where its input is > 0, else 0, and (unlike greater()) has a gradient.
    let positive = threshold === 0 ? tf.relu(x) : tf.mul(x, tf.step(tf.sub(x, threshold)));
    if (maxValue !== undefined) positive = tf.clipByValue(positive, 0, maxValue);
    if (negativeSlope === 0) return positive;
    const below = tf.relu(tf.sub(threshold, x)); // threshold - x where x < threshold, else 0
    return tf.sub(positive, tf.mul(negativeSlope, below));
  });
}
/** Called without options, relu is what the fused dense op applies (see ActivationFn). */
relu.fusedDense = 'relu' as const;

/** Options of `leaky_relu`. */
export interface LeakyReluOptions {
  /** Slope for x < 0 (default 0.2, the Keras 3 `activations.leaky_relu` default; note the Keras `LeakyReLU` layer defaults to 0.3). */
  negativeSlope?: number;
}

/**
 * Leaky ReLU: `x` for x >= 0, `negativeSlope * x` otherwise (default slope 0.2, as Keras 3's
 * `keras.activations.leaky_relu`).
 */
export function leakyRelu(x: Tensor, options?: LeakyReluOptions): Tensor {
  const negativeSlope = numberArg(
    'leaky_relu',
    'negativeSlope',
    optionsOf(options).negativeSlope,
    0.2,
  );
  return tf.leakyRelu(x, negativeSlope);
}

/** ReLU capped at 6: `min(max(x, 0), 6)`. */
export function relu6(x: Tensor): Tensor {
  return tf.relu6(x);
}

/** Options of `elu`. */
export interface EluOptions {
  /** Scale of the negative part (default 1). */
  alpha?: number;
}

/** Exponential linear unit: `x` for x > 0, `alpha * (exp(x) - 1)` otherwise (default alpha 1). */
export function elu(x: Tensor, options?: EluOptions): Tensor {
  const alpha = numberArg('elu', 'alpha', optionsOf(options).alpha, 1);
  if (alpha === 1) return tf.elu(x);
  // max(x, 0) + alpha * (exp(min(x, 0)) - 1): exp never sees a large positive input, so
  // neither the value nor the gradient overflows.
  return tf.tidy(() => tf.add(tf.relu(x), tf.mul(alpha, tf.expm1(tf.minimum(x, 0)))));
}

/**
 * Scaled ELU: `scale * elu(x, alpha)` with the self-normalising constants
 * alpha ≈ 1.6732632, scale ≈ 1.0507010 (Klambauer et al., 2017).
 */
export function selu(x: Tensor): Tensor {
  return tf.selu(x);
}
