/**
 * BatchNormalization's training-mode normalisation when its batch is one shard of a global
 * batch (data-parallel training, `CallContext.exchange`): the mean and variance are the
 * global batch's, and so is the backward pass, so N shards compute what one thread
 * computes on the whole batch.
 *
 * Forward: the shards add up their per-feature sums (and row counts) to get the mean μ,
 * then their sums of (x − μ)² to get the biased variance σ² (two passes, as precise as
 * the one-thread `tf.moments`). x̂ = (x − μ)·s with s = 1/√(σ² + ε).
 * Backward, for g = dL/dx̂ and N rows in the global batch: the gradient of one row is
 * `s·(g − Σg/N − x̂·Σ(g·x̂)/N)`, the sums over the global batch; each shard adds its two
 * per-feature sums to the others'. A row's loss term depends on every shard's rows through
 * μ and σ², and each shard's g is dL/dx̂ of its own rows, so these sums are exact.
 */
import { type Tensor, tf } from '@tessera/core';
import type { BatchExchange } from '../engine/call-context.js';

/** The global batch's statistics and the normalised shard. */
export interface SyncedMoments {
  mean: Tensor;
  variance: Tensor;
  /** (x − mean)/√(variance + epsilon), differentiable (the backward pass exchanges too). */
  normalized: Tensor;
}

/**
 * Per-feature sums of `x` over `reduce`, as float64, plus (with `count`) the number of
 * values summed per feature at index `features`.
 */
function featureSums(x: Tensor, reduce: number[], features: number, count: boolean): Float64Array {
  const out = new Float64Array(features + (count ? 1 : 0));
  const s = tf.sum(x, reduce);
  const values = s.dataSync();
  s.dispose();
  for (let c = 0; c < features; c++) out[c] = values[c]!;
  if (count) out[features] = x.size / features;
  return out;
}

/** Normalises `x` (feature axis `axis`) with the global batch's moments; see the module comment. */
export function syncedMoments(
  x: Tensor,
  axis: number,
  epsilon: number,
  exchange: BatchExchange,
): SyncedMoments {
  const features = x.shape[axis]!;
  const reduce = x.shape.map((_, i) => i).filter((i) => i !== axis);
  const broadcast = x.shape.map((_, i) => (i === axis ? features : 1));
  const sums = featureSums(x, reduce, features, true);
  exchange.sum(sums);
  const rows = sums[features]!;
  const mean64 = new Float64Array(features);
  for (let c = 0; c < features; c++) mean64[c] = sums[c]! / rows;
  const mean = tf.tensor1d(Float32Array.from(mean64));
  const deviation = tf.tidy(() => tf.square(tf.sub(x, tf.reshape(mean, broadcast))));
  const squares = featureSums(deviation, reduce, features, false);
  deviation.dispose();
  exchange.sum(squares);
  const variance64 = new Float64Array(features);
  const scale64 = new Float32Array(features);
  for (let c = 0; c < features; c++) {
    variance64[c] = squares[c]! / rows;
    scale64[c] = 1 / Math.sqrt(variance64[c]! + epsilon);
  }
  const variance = tf.tensor1d(Float32Array.from(variance64));
  const scale = tf.reshape(tf.tensor1d(scale64), broadcast);
  const centered = tf.reshape(mean, broadcast);
  const normalize = tf.customGrad((...args) => {
    const input = args[0] as Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const xhat = tf.mul(tf.sub(input, centered), scale);
    // Saved (kept until the backward pass ran): tensors the closure captured are not.
    save([xhat, scale]);
    return {
      value: xhat,
      gradFunc: (g: Tensor, saved: Tensor[]) => {
        const normalized = saved[0]!;
        const s = saved[1]!;
        const both = new Float64Array(2 * features);
        both.set(featureSums(g, reduce, features, false));
        const gx = tf.mul(g, normalized);
        both.set(featureSums(gx, reduce, features, false), features);
        gx.dispose();
        exchange.sum(both);
        const meanG = new Float32Array(features);
        const meanGx = new Float32Array(features);
        for (let c = 0; c < features; c++) {
          meanG[c] = both[c]! / rows;
          meanGx[c] = both[features + c]! / rows;
        }
        return tf.tidy(() =>
          tf.mul(
            s,
            tf.sub(
              tf.sub(g, tf.reshape(tf.tensor1d(meanG), broadcast)),
              tf.mul(normalized, tf.reshape(tf.tensor1d(meanGx), broadcast)),
            ),
          ),
        );
      },
    };
  });
  return { mean, variance, normalized: normalize(x) as Tensor };
}
