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

/** The `k` option, its check and config; subclasses give the true class's score. */
abstract class TopKAccuracy extends AccuracyMetric {
  readonly k: number;

  constructor(owner: string, defaultName: string, args: TopKArgs) {
    super({ owner, defaultName, keys: ['name', 'k'] }, args);
    this.k = args.k === undefined ? 5 : positiveIntArg(owner, 'k', args.k);
  }

  /** The prediction of each row's true class, `[n]` (called inside `tf.tidy`). */
  protected abstract targetScore(yTrue: Tensor, yPred: Tensor): Tensor;

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.tidy(() => {
      const score = this.targetScore(yTrue, yPred);
      const better = tf.sum(tf.cast(tf.greater(yPred, tf.expandDims(score, -1)), 'float32'), -1);
      // A hit when fewer than k predictions beat the true class's score.
      return tf.mean(tf.cast(tf.less(better, this.k), 'float32'));
    });
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, k: this.k };
  }
}

/**
 * Top-k accuracy for one-hot targets.
 *
 * ```ts
 * new TopKCategoricalAccuracy({ k: 2 }).call(tf.tensor([[0, 0, 1]]), tf.tensor([[0.5, 0.1, 0.4]])); // 1
 * ```
 */
export class TopKCategoricalAccuracy extends TopKAccuracy {
  readonly className = 'TopKCategoricalAccuracy';

  constructor(args: TopKArgs = {}) {
    super('TopKCategoricalAccuracy', 'top_k_categorical_accuracy', args);
  }

  protected targetScore(yTrue: Tensor, yPred: Tensor): Tensor {
    const target = alignTargets(this.className, yTrue, yPred);
    return tf.sum(tf.mul(tf.oneHot(tf.argMax(target, -1), yPred.shape.at(-1)!), yPred), -1);
  }
}

/**
 * Top-k accuracy for integer class ids (`[n]` or `[n, 1]`).
 *
 * ```ts
 * new SparseTopKCategoricalAccuracy({ k: 2 }).call(tf.tensor([2]), tf.tensor([[0.5, 0.1, 0.4]])); // 1
 * ```
 */
export class SparseTopKCategoricalAccuracy extends TopKAccuracy {
  readonly className = 'SparseTopKCategoricalAccuracy';

  constructor(args: TopKArgs = {}) {
    super('SparseTopKCategoricalAccuracy', 'sparse_top_k_categorical_accuracy', args);
  }

  protected targetScore(yTrue: Tensor, yPred: Tensor): Tensor {
    checkSparseShape(this.className, yTrue, yPred);
    const labels = tf.cast(tf.reshape(yTrue, [-1]), 'int32');
    return tf.sum(tf.mul(tf.oneHot(labels, yPred.shape.at(-1)!), yPred), -1);
  }
}
