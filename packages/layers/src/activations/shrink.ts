/**
 * Keras 3's clipping and shrinking activations: hard_tanh, hard_shrink, soft_shrink,
 * tanh_shrink, threshold, sparse_sigmoid, and sparsemax (a sparse softmax). Each returns a
 * new tensor the caller owns.
 */
import type { Tensor } from '@tessera/core';
import { received, ShapeError, tf, ValueError } from '@tessera/core';
import { numberArg, requireNumber } from '../registry/checks.js';
import { optionsOf } from './options.js';

/** Hard tanh: `x` clipped to [-1, 1]. */
export function hardTanh(x: Tensor): Tensor {
  return tf.clipByValue(x, -1, 1);
}

/** Options of `hard_shrink` and `soft_shrink`. */
export interface ShrinkOptions {
  /** Values with `|x|` at or below it become 0; non-negative (default 0.5). */
  threshold?: number;
}

/** Hard shrink: `x` where `|x| > threshold`, else 0. */
export function hardShrink(x: Tensor, options?: ShrinkOptions): Tensor {
  const t = numberArg('hard_shrink', 'threshold', optionsOf(options).threshold, 0.5, { min: 0 });
  return tf.tidy(() => tf.mul(x, tf.step(tf.sub(tf.abs(x), t))));
}

/** Soft shrink: `x - threshold` above it, `x + threshold` below `-threshold`, else 0. */
export function softShrink(x: Tensor, options?: ShrinkOptions): Tensor {
  const t = numberArg('soft_shrink', 'threshold', optionsOf(options).threshold, 0.5, { min: 0 });
  return tf.tidy(() => tf.sub(tf.relu(tf.sub(x, t)), tf.relu(tf.sub(tf.neg(x), t))));
}

/** Tanh shrink: `x - tanh(x)`. */
export function tanhShrink(x: Tensor): Tensor {
  return tf.tidy(() => tf.sub(x, tf.tanh(x)));
}

/** Options of `threshold` (both required, as Keras's arguments). */
export interface ThresholdOptions {
  /** Values at or below it are replaced. */
  threshold: number;
  /** What they are replaced with. */
  defaultValue: number;
}

/** Threshold: `x` where `x > threshold`, else `defaultValue`. */
export function threshold(x: Tensor, options?: ThresholdOptions): Tensor {
  const o = optionsOf(options) as Partial<ThresholdOptions>;
  const t = requireNumber('threshold', 'threshold', o.threshold);
  const value = requireNumber('threshold', 'defaultValue', o.defaultValue);
  return tf.tidy(() => {
    const keep = tf.step(tf.sub(x, t));
    return tf.add(tf.mul(x, keep), tf.mul(value, tf.sub(1, keep)));
  });
}

/** Sparse sigmoid: 0 for x ≤ -1, 1 for x ≥ 1, `(x + 1) / 2` between. */
export function sparseSigmoid(x: Tensor): Tensor {
  return tf.tidy(() => tf.div(tf.add(tf.clipByValue(x, -1, 1), 1), 2));
}

/** Options of `sparsemax`. */
export interface SparsemaxOptions {
  /** Axis the output sums to one over (default -1). */
  axis?: number;
}

/**
 * The sparsemax of each row of a `[rows, n]` matrix, with its exact gradient: with `s` the
 * support (1 where the output is positive), `dx = s·dy − s·Σ(s·dy) / Σs` per row.
 */
const sparsemaxRows = tf.customGrad((x, save) => {
  const flat = x as Tensor;
  const n = flat.shape[1] as number;
  // Sorted descending, 1 + k·z_(k) > Σ_{j≤k} z_(j) holds exactly for k up to the support's
  // size; τ = (Σ of those - 1) / size, and the support is exactly the entries above τ.
  const sorted = tf.topk(flat, n).values;
  const inSupport = tf.cast(
    tf.greater(tf.add(1, tf.mul(tf.range(1, n + 1), sorted)), tf.cumsum(sorted, 1)),
    'float32',
  );
  const tau = tf.div(
    tf.sub(tf.sum(tf.mul(sorted, inSupport), -1, true), 1),
    tf.sum(inSupport, -1, true),
  );
  const support = tf.cast(tf.greater(flat, tau), 'float32');
  (save as (tensors: Tensor[]) => void)([support]);
  return {
    value: tf.relu(tf.sub(flat, tau)),
    gradFunc: (dy: Tensor, saved: Tensor[]) => {
      const sup = saved[0] as Tensor;
      const masked = tf.mul(dy, sup);
      const mean = tf.div(tf.sum(masked, -1, true), tf.sum(sup, -1, true));
      return tf.sub(masked, tf.mul(sup, mean));
    },
  };
});

/**
 * Sparsemax (Martins & Astudillo, 2016): the Euclidean projection of each slice along
 * `axis` onto the probability simplex, `max(x - τ, 0)`, with τ chosen so the slice sums to
 * one. Many outputs are exactly 0.
 */
export function sparsemax(x: Tensor, options?: SparsemaxOptions): Tensor {
  if (x.rank === 0) {
    throw new ShapeError(received('sparsemax: input must have rank >= 1', 'shape', x.shape));
  }
  const raw = numberArg('sparsemax', 'axis', optionsOf(options).axis, -1, { integer: true });
  if (raw < -x.rank || raw >= x.rank) {
    throw new ValueError(
      received(`sparsemax: axis must be in [${-x.rank}, ${x.rank - 1}]`, 'axis', raw),
    );
  }
  const axis = raw < 0 ? raw + x.rank : raw;
  return tf.tidy(() => {
    const last = axis === x.rank - 1;
    const perm = x.shape.map((_, i) => i);
    perm[axis] = x.rank - 1;
    perm[x.rank - 1] = axis;
    const z = last ? x : tf.transpose(x, perm);
    const n = z.shape[z.rank - 1] as number;
    const out = tf.reshape(sparsemaxRows(tf.reshape(z, [-1, n])), z.shape);
    return last ? out : tf.transpose(out, perm);
  });
}
