/**
 * Accuracy metrics: categorical (one-hot targets), sparse categorical (class ids), binary
 * (thresholded probabilities), and the auto-resolving `'accuracy'` that picks one of them
 * from the shapes when the loss does not say.
 */
import { received, type Tensor, tf, ValueError } from '@tessera/core';
import { alignTargets, checkSparseShape, requirePredRank } from '../losses/shapes.js';
import { checkKeys, numberArg } from '../registry/checks.js';
import type { Metric } from './metric.js';

/** Options every accuracy takes. */
export interface AccuracyArgs {
  /** Key in logs and History (default: the metric's snake_case name). */
  name?: string;
}

/** Options of the binary accuracy. */
export interface BinaryAccuracyArgs extends AccuracyArgs {
  /** A prediction above this counts as 1 (default 0.5). */
  threshold?: number;
}

export function nameArg(owner: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0) {
    throw new ValueError(received(`${owner}: name must be a non-empty string`, 'name', value));
  }
  return value;
}

/** Fraction of rows whose argmax over the last axis matches the one-hot target's. */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return tf.tidy(() => {
    const target = alignTargets('categorical_accuracy', yTrue, yPred);
    return tf.mean(tf.cast(tf.equal(tf.argMax(target, -1), tf.argMax(yPred, -1)), 'float32'));
  });
}

/** Fraction of predictions whose argmax equals the class id (`[n]` or `[n, 1]` labels). */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return tf.tidy(() => {
    checkSparseShape('sparse_categorical_accuracy', yTrue, yPred);
    const labels = tf.cast(tf.reshape(yTrue, [-1]), 'float32');
    const predicted = tf.cast(tf.reshape(tf.argMax(yPred, -1), [-1]), 'float32');
    return tf.mean(tf.cast(tf.equal(labels, predicted), 'float32'));
  });
}

/** Fraction of units where `yPred > threshold` equals the 0/1 target. */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  return tf.tidy(() => {
    const target = alignTargets('binary_accuracy', yTrue, yPred);
    const predicted = tf.cast(tf.greater(yPred, threshold), 'float32');
    return tf.mean(tf.mean(tf.cast(tf.equal(target, predicted), 'float32'), -1));
  });
}

/** Which accuracy the shapes call for, by Keras 3's rule. */
export function accuracyKindForShapes(
  yTrue: Tensor,
  yPred: Tensor,
): 'binary' | 'sparse_categorical' | 'categorical' {
  requirePredRank('accuracy', yTrue, yPred);
  const predLast = yPred.shape[yPred.rank - 1];
  // One probability per example ([n] or [n, 1]) is a binary classifier.
  if (yPred.rank === 1 || predLast === 1) return 'binary';
  const trueLast = yTrue.shape[yTrue.rank - 1];
  if (yTrue.rank < yPred.rank || trueLast === 1) return 'sparse_categorical';
  return 'categorical';
}

/** What an accuracy class passes to AccuracyMetric. */
export interface AccuracyMetricSettings {
  /** Class name, for validation messages. */
  owner: string;
  /** Name when `args.name` is not given. */
  defaultName: string;
  /** Option keys the class accepts (default just `name`). */
  keys?: readonly string[];
}

/**
 * What the accuracy classes share: the `name` option (the key in logs, checked) and the
 * config `{ name }`; each subclass gives the computation.
 */
export abstract class AccuracyMetric implements Metric {
  abstract readonly className: string;
  readonly name: string;

  protected constructor(settings: AccuracyMetricSettings, args: AccuracyArgs) {
    checkKeys(settings.owner, args, settings.keys ?? ['name']);
    this.name = nameArg(settings.owner, args.name, settings.defaultName);
  }

  abstract call(yTrue: Tensor, yPred: Tensor): Tensor;

  getConfig(): Record<string, unknown> {
    return { name: this.name };
  }
}

/**
 * Accuracy for one-hot targets.
 *
 * ```ts
 * new CategoricalAccuracy().call(tf.tensor([[0, 1]]), tf.tensor([[0.3, 0.7]])); // 1
 * ```
 */
export class CategoricalAccuracy extends AccuracyMetric {
  readonly className = 'CategoricalAccuracy';

  constructor(args: AccuracyArgs = {}) {
    super({ owner: 'CategoricalAccuracy', defaultName: 'categorical_accuracy' }, args);
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return categoricalAccuracy(yTrue, yPred);
  }
}

/**
 * Accuracy for integer class ids.
 *
 * ```ts
 * new SparseCategoricalAccuracy().call(tf.tensor([1]), tf.tensor([[0.3, 0.7]])); // 1
 * ```
 */
export class SparseCategoricalAccuracy extends AccuracyMetric {
  readonly className = 'SparseCategoricalAccuracy';

  constructor(args: AccuracyArgs = {}) {
    super({ owner: 'SparseCategoricalAccuracy', defaultName: 'sparse_categorical_accuracy' }, args);
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return sparseCategoricalAccuracy(yTrue, yPred);
  }
}

/**
 * Accuracy for 0/1 targets: a prediction above `threshold` counts as 1.
 *
 * ```ts
 * new BinaryAccuracy({ threshold: 0.5 }).call(tf.tensor([[1], [0]]), tf.tensor([[0.9], [0.6]])); // 0.5
 * ```
 */
export class BinaryAccuracy extends AccuracyMetric {
  readonly className = 'BinaryAccuracy';
  /** A prediction above this counts as 1. */
  readonly threshold: number;

  constructor(args: BinaryAccuracyArgs = {}) {
    const owner = 'BinaryAccuracy';
    super({ owner, defaultName: 'binary_accuracy', keys: ['name', 'threshold'] }, args);
    this.threshold = numberArg(owner, 'threshold', args.threshold, 0.5, {});
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return binaryAccuracy(yTrue, yPred, this.threshold);
  }

  override getConfig(): Record<string, unknown> {
    return { name: this.name, threshold: this.threshold };
  }
}

/**
 * `'accuracy'` when the loss does not decide: at each call the shapes pick binary
 * (one output unit), sparse categorical (class-id targets) or categorical accuracy, as
 * Keras 3 does.
 */
export class AutoAccuracy extends AccuracyMetric {
  readonly className = 'AutoAccuracy';

  constructor(args: AccuracyArgs = {}) {
    super({ owner: 'AutoAccuracy', defaultName: 'accuracy' }, args);
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    const kind = accuracyKindForShapes(yTrue, yPred);
    if (kind === 'binary') return binaryAccuracy(yTrue, yPred);
    if (kind === 'sparse_categorical') return sparseCategoricalAccuracy(yTrue, yPred);
    return categoricalAccuracy(yTrue, yPred);
  }
}
