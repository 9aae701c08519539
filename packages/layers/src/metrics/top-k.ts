/**
 * Top-k accuracy: a row counts as right when its true class is among the k highest
 * predictions (Keras's TopKCategoricalAccuracy and SparseTopKCategoricalAccuracy).
 */
import { type Tensor, tf } from '@tessera/core';
import { alignTargets, checkSparseShape } from '../losses/shapes.js';
import { positiveIntArg } from '../registry/checks.js';
import { type AccuracyArgs, AccuracyMetric } from './accuracy.js';

/** Options of the top-k accuracies. */
export interface TopKArgs extends AccuracyArgs {
  /** How many of the highest predictions count (default 5). */
  k?: number;
}

/** 1 where fewer than k predictions beat the true class's score, else 0; then the mean. */
function topKHits(targetScore: Tensor, yPred: Tensor, k: number): Tensor {
  const better = tf.sum(tf.cast(tf.greater(yPred, tf.expandDims(targetScore, -1)), 'float32'), -1);
  return tf.mean(tf.cast(tf.less(better, k), 'float32'));
}

/**
 * Top-k accuracy for one-hot targets.
 *
 * ```ts
 * new TopKCategoricalAccuracy({ k: 2 }).call(tf.tensor([[0, 0, 1]]), tf.tensor([[0.5, 0.1, 0.4]])); // 1
 * ```
 */
export class TopKCategoricalAccuracy extends AccuracyMetric {
  readonly className = 'TopKCategoricalAccuracy';
  readonly k: number;

  constructor(args: TopKArgs = {}) {
    const owner = 'TopKCategoricalAccuracy';
    super({ owner, defaultName: 'top_k_categorical_accuracy', keys: ['name', 'k'] }, args);
    this.k = args.k === undefined ? 5 : positiveIntArg(owner, 'k', args.k);
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.tidy(() => {
      const target = alignTargets(this.className, yTrue, yPred);
      const score = tf.sum(
        tf.mul(tf.oneHot(tf.argMax(target, -1), yPred.shape.at(-1)!), yPred),
        -1,
      );
      return topKHits(score, yPred, this.k);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, k: this.k };
  }
}

/**
 * Top-k accuracy for integer class ids (`[n]` or `[n, 1]`).
 *
 * ```ts
 * new SparseTopKCategoricalAccuracy({ k: 2 }).call(tf.tensor([2]), tf.tensor([[0.5, 0.1, 0.4]])); // 1
 * ```
 */
export class SparseTopKCategoricalAccuracy extends AccuracyMetric {
  readonly className = 'SparseTopKCategoricalAccuracy';
  readonly k: number;

  constructor(args: TopKArgs = {}) {
    const owner = 'SparseTopKCategoricalAccuracy';
    super({ owner, defaultName: 'sparse_top_k_categorical_accuracy', keys: ['name', 'k'] }, args);
    this.k = args.k === undefined ? 5 : positiveIntArg(owner, 'k', args.k);
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.tidy(() => {
      checkSparseShape(this.className, yTrue, yPred);
      const labels = tf.cast(tf.reshape(yTrue, [-1]), 'int32');
      const score = tf.sum(tf.mul(tf.oneHot(labels, yPred.shape.at(-1)!), yPred), -1);
      return topKHits(score, yPred, this.k);
    });
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, k: this.k };
  }
}
