/**
 * Activations Keras 3 added: celu, hard_silu (hard_swish), log_sigmoid, squareplus,
 * sparse_plus, and the gated glu. Each returns a new tensor the caller owns.
 */
import type { Tensor } from '@tessera/core';
import { received, ShapeError, tf } from '@tessera/core';
import { numberArg, POSITIVE } from '../registry/checks.js';
import { optionsOf } from './options.js';

/** Options of `celu`. */
export interface CeluOptions {
  /** Scale of the negative part; positive (default 1). */
  alpha?: number;
}

/** Continuously differentiable ELU: `max(x, 0) + α·(exp(min(x, 0)/α) - 1)`. */
export function celu(x: Tensor, options?: CeluOptions): Tensor {
  const alpha = numberArg('celu', 'alpha', optionsOf(options).alpha, 1, POSITIVE);
  return tf.tidy(() =>
    tf.add(tf.relu(x), tf.mul(alpha, tf.sub(tf.exp(tf.div(tf.minimum(x, 0), alpha)), 1))),
  );
}

/** Hard SiLU (hard swish): `x · relu6(x + 3) / 6`. */
export function hardSilu(x: Tensor): Tensor {
  return tf.tidy(() => tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6)));
}

/** Log-sigmoid: `log(1 / (1 + exp(-x))) = -softplus(-x)`, stable for large |x|. */
export function logSigmoid(x: Tensor): Tensor {
  return tf.tidy(() => tf.neg(tf.softplus(tf.neg(x))));
}

/** Options of `squareplus`. */
export interface SquareplusOptions {
  /** Smoothness near 0; non-negative (default 4). */
  b?: number;
}

/** Squareplus: `(x + sqrt(x² + b)) / 2`, a smooth relu. */
export function squareplus(x: Tensor, options?: SquareplusOptions): Tensor {
  const b = numberArg('squareplus', 'b', optionsOf(options).b, 4, { min: 0 });
  return tf.tidy(() => tf.div(tf.add(x, tf.sqrt(tf.add(tf.square(x), b))), 2));
}

/** Sparse plus: 0 for x ≤ -1, x for x ≥ 1, `(x + 1)² / 4` between. */
export function sparsePlus(x: Tensor): Tensor {
  // ((clip(x, -1, 1) + 1)² / 4) + relu(x - 1): the three pieces, each with a gradient.
  return tf.tidy(() =>
    tf.add(tf.div(tf.square(tf.add(tf.clipByValue(x, -1, 1), 1)), 4), tf.relu(tf.sub(x, 1))),
  );
}

/** Options of `glu`. */
export interface GluOptions {
  /** Axis split in two halves, `a` and `b` (default -1); its size must be even. */
  axis?: number;
}

/** Gated linear unit: the input split in halves `a, b` along `axis`, then `a · sigmoid(b)`. */
export function glu(x: Tensor, options?: GluOptions): Tensor {
  const raw = numberArg('glu', 'axis', optionsOf(options).axis, -1, { integer: true });
  const axis = raw < 0 ? raw + x.rank : raw;
  const size = x.shape[axis];
  if (size === undefined || size % 2 !== 0) {
    throw new ShapeError(
      received(`glu: the size along axis ${raw} must be even`, 'shape', x.shape),
    );
  }
  return tf.tidy(() => {
    const [a, b] = tf.split(x, 2, axis) as [Tensor, Tensor];
    return tf.mul(a, tf.sigmoid(b));
  });
}
