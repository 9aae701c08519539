/**
 * The data loss of one batch for the training step (training-step.ts): the fused
 * crossentropy where a loss declares it, and a shard's share of a global batch's loss on
 * the data-parallel trainer.
 */
import { categoricalCrossentropy, received, type Tensor, tf, ValueError } from '@tessera/core';
import { EPSILON, type Loss } from '../losses/index.js';
import { sparseLabels } from '../losses/shapes.js';
import type { BatchExchange } from './call-context.js';

/**
 * The loss of one output. A loss that declares a fused form (`fusedCrossentropy()`: the
 * built-in categorical crossentropies on probabilities, no label smoothing) with a float32
 * [batch, classes] prediction runs as core's fused `categoricalCrossentropy` op: the same
 * value, one recorded op instead of about ten, and a one-pass gradient. The sparse form
 * first turns its class ids into one-hot rows (checked as the loss checks them). Anything
 * else calls the loss itself.
 */
export function lossOf(loss: Loss, yTrue: Tensor, yPred: Tensor): Tensor {
  const probabilities =
    yPred.rank === 2 &&
    yPred.dtype === 'float32' &&
    (yPred.shape[0] ?? 0) > 0 &&
    reductionOf(loss) === 'sum_over_batch_size';
  const fused = probabilities ? loss.fusedCrossentropy?.() : undefined;
  if (
    fused === 'categorical' &&
    yTrue.dtype === 'float32' &&
    yTrue.rank === 2 &&
    yTrue.shape[0] === yPred.shape[0] &&
    yTrue.shape[1] === yPred.shape[1]
  ) {
    return categoricalCrossentropy({ yTrue, yPred, epsilon: EPSILON });
  }
  if (fused === 'sparse') {
    const labels = sparseLabels(loss.name, yTrue, yPred);
    const oneHot = tf.oneHot(labels, yPred.shape[1] as number, 1, 0, 'float32');
    return categoricalCrossentropy({ yTrue: oneHot, yPred, epsilon: EPSILON });
  }
  return loss.call(yTrue, yPred);
}

/** A batch that is one shard of a global batch (see `computeGradients`'s `exchange`). */
export interface ShardOfBatch {
  exchange: BatchExchange;
  /** Shard rows / global batch rows. */
  scale: number;
}

/**
 * Whether the loss is a plain mean over the batch's rows: then a shard's own mean, scaled
 * by shard rows / batch rows, is exactly its share of the global batch's loss.
 */
export function meanOverRows(loss: Loss, yTrue: Tensor, yPred: Tensor): boolean {
  if (reductionOf(loss) !== 'sum_over_batch_size') return false;
  if (typeof loss.mask !== 'function') return true;
  const mask = loss.mask(yTrue, yPred);
  mask?.dispose();
  return mask === undefined;
}

/** The loss's reduction, with Keras's other name for the default (`'mean'`) resolved. */
function reductionOf(loss: Loss): string {
  const reduction = loss.reduction ?? 'sum_over_batch_size';
  return reduction === 'mean' ? 'sum_over_batch_size' : reduction;
}

/**
 * A shard's data loss as `share / scale`, where `share` is its part of the global batch's
 * loss, so that `scale · loss` (what the shard differentiates) is that part:
 * 'sum' → the shard's weighted sum; 'sum_over_batch_size' with a mask (ignoreClass) → the
 * shard's weighted sum over the rows kept by all shards together (one exchange);
 * 'mean_with_sample_weight' → the shard's weighted sum over the sum of the weights of the
 * rows kept by all shards together (one exchange; 0 when that sum is 0, as Keras).
 */
export function shardLoss(
  loss: Loss,
  yTrue: Tensor,
  yPred: Tensor,
  sampleWeight: Tensor | undefined,
  shard: ShardOfBatch,
): Tensor {
  if (typeof loss.perExample !== 'function') {
    throw new ValueError(
      received(
        `data-parallel training needs per-example values of a loss with reduction '${loss.reduction ?? 'sum_over_batch_size'}' (every built-in loss, or a Loss with perExample)`,
        'loss',
        loss.name,
      ),
    );
  }
  const perExample = loss.perExample(yTrue, yPred);
  const weighted =
    sampleWeight === undefined
      ? perExample
      : tf.mul(perExample, tf.reshape(tf.cast(sampleWeight, 'float32'), perExample.shape));
  let share = tf.sum(weighted);
  const reduction = reductionOf(loss);
  if (reduction === 'mean_with_sample_weight') {
    const mask = loss.mask?.(yTrue, yPred);
    const ones = tf.onesLike(perExample);
    const w =
      sampleWeight === undefined
        ? ones
        : tf.mul(
            ones,
            tf.reshape(
              tf.cast(sampleWeight, 'float32'),
              sampleWeight.size === 1 ? [] : perExample.shape,
            ),
          );
    const kept = mask === undefined ? w : tf.mul(w, tf.reshape(mask, perExample.shape));
    const s = tf.sum(kept);
    const total = new Float64Array([s.dataSync()[0]!]);
    tf.dispose([s, kept, w, ones, ...(mask === undefined ? [] : [mask])]);
    shard.exchange.sum(total);
    share = total[0] === 0 ? tf.mul(share, 0) : tf.div(share, total[0]!);
  } else if (reduction === 'sum_over_batch_size') {
    const mask = loss.mask?.(yTrue, yPred);
    const kept = new Float64Array(1);
    if (mask === undefined) {
      kept[0] = perExample.size;
    } else {
      const s = tf.sum(mask);
      kept[0] = s.dataSync()[0]!;
      tf.dispose([s, mask]);
    }
    shard.exchange.sum(kept);
    share = tf.div(share, Math.max(1, kept[0]!));
  }
  return tf.div(share, shard.scale);
}

/** Training needs a scalar loss: `reduction: 'none'` gives one value per example. */
export function checkScalar(loss: Loss, value: Tensor): Tensor {
  if (value.rank !== 0) {
    throw new ValueError(
      received(
        `Loss "${loss.name}" gives one value per example: training and evaluation need a reduction other than 'none' ('sum_over_batch_size', 'mean', 'mean_with_sample_weight' or 'sum')`,
        'reduction',
        loss.reduction ?? 'none',
      ),
    );
  }
  return value;
}
