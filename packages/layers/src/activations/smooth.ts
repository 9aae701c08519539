/**
 * Sigmoid-like and smooth activations: sigmoid, tanh, softplus, softsign, hard_sigmoid,
 * exponential, linear, swish (silu), mish, gelu. Each returns a new tensor the caller owns.
 */

import type { Tensor } from '@tessera/core';
import { received, tf, ValueError } from '@tessera/core';
import { optionsOf } from './options.js';

/** Logistic sigmoid: `1 / (1 + exp(-x))`. */
export function sigmoid(x: Tensor): Tensor {
  return tf.sigmoid(x);
}

/** Hyperbolic tangent. */
export function tanh(x: Tensor): Tensor {
  return tf.tanh(x);
}

/** Softplus: `log(exp(x) + 1)`, computed without overflow for large x. */
export function softplus(x: Tensor): Tensor {
  return tf.softplus(x);
}

/** Softsign: `x / (|x| + 1)`. */
export function softsign(x: Tensor): Tensor {
  return tf.tidy(() => tf.div(x, tf.add(tf.abs(x), 1)));
}

/**
 * Hard sigmoid, Keras 3 definition: `relu6(x + 3) / 6` — 0 below -3, 1 above 3,
 * `x / 6 + 0.5` between. (Keras 2 used slope 0.2; Keras 3 and this toolkit use 1/6.)
 */
export function hardSigmoid(x: Tensor): Tensor {
  return tf.tidy(() => tf.div(tf.relu6(tf.add(x, 3)), 6));
}

/** Exponential: `exp(x)`. */
export function exponential(x: Tensor): Tensor {
  return tf.exp(x);
}

/**
 * Linear (identity) activation: returns a new tensor with the same values as `x`
 * (sharing its storage), so every activation's result can be disposed by the caller.
 */
export function linear(x: Tensor): Tensor {
  return tf.clone(x);
}
linear.fusedDense = 'linear' as const;

/** Swish, also called SiLU: `x * sigmoid(x)`. */
export function swish(x: Tensor): Tensor {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
}

/** Mish: `x * tanh(softplus(x))`. */
export function mish(x: Tensor): Tensor {
  return tf.tidy(() => tf.mul(x, tf.tanh(tf.softplus(x))));
}

/** Options of `gelu`. */
export interface GeluOptions {
  /** Use the tanh approximation instead of the exact erf form (default false, as Keras). */
  approximate?: boolean;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * Gaussian error linear unit. Exact (default): `0.5 x (1 + erf(x / √2))`;
 * approximate: `0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))`.
 */
export function gelu(x: Tensor, options?: GeluOptions): Tensor {
  const approximate = optionsOf(options).approximate ?? false;
  if (typeof approximate !== 'boolean') {
    throw new ValueError(
      received('gelu: approximate must be a boolean', 'approximate', approximate),
    );
  }
  return tf.tidy(() => {
    const inner = approximate
      ? tf.tanh(tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(0.044715, tf.mul(x, tf.square(x))))))
      : tf.erf(tf.mul(x, Math.SQRT1_2));
    return tf.mul(tf.mul(0.5, x), tf.add(1, inner));
  });
}
