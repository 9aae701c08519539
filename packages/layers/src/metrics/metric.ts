/**
 * The Metric object the training step calls, the names the registry knows and the
 * serialized form.
 */
import type { Tensor } from '@tessera/core';

/**
 * A metric: `call` returns a scalar, the mean over the batch. `name` is the key in logs
 * and History (`'accuracy'`, `'val_accuracy'`).
 *
 * ```ts
 * const acc = metrics.get('accuracy', { loss: 'categorical_crossentropy' });
 * acc.call(yTrue, yPred); // scalar: fraction of rows whose argmax matches
 * ```
 */
export interface Metric {
  /** Key in logs and History. */
  readonly name: string;
  /** Scalar: mean over the batch. */
  call(yTrue: Tensor, yPred: Tensor): Tensor;
  /** Class name for `metrics.serialize` (built-ins have one). */
  readonly className?: string;
  /** Options for `metrics.serialize`, camelCase keys (built-ins have it). */
  getConfig?(): Record<string, unknown>;
}

/**
 * A metric whose value over many batches comes from statistics accumulated over them
 * (precision, recall, AUC, R²), as Keras's stateful metrics do — not from the mean of
 * per-batch values. A batch reports its additive statistics (counts, sums) divided by its
 * row count; averaging those over batches and workers, weighted by rows, gives the
 * statistics of all rows divided by their count, from which `fromStatistics` computes the
 * value. (A mean metric is the case of one statistic: its batch mean.)
 *
 * ```ts
 * const p = metrics.get('precision') as StatefulMetric;
 * p.fromStatistics(p.statistics(yTrue, yPred), rows); // = p.call(yTrue, yPred)
 * ```
 */
export interface StatefulMetric extends Metric {
  /** How many statistics a model output of this shape (`[null, …]`) needs. */
  statisticCount(outputShape: readonly (number | null)[]): number;
  /** The batch's additive statistics divided by its row count (float64). */
  statistics(yTrue: Tensor, yPred: Tensor): Float64Array;
  /** The value from row-weighted means of `statistics` over `rows` rows. */
  fromStatistics(means: ArrayLike<number>, rows: number): number;
}

/** True for a metric that accumulates statistics (see StatefulMetric). */
export function isStatefulMetric(metric: Metric): metric is StatefulMetric {
  const m = metric as Partial<StatefulMetric>;
  return (
    typeof m.statistics === 'function' &&
    typeof m.fromStatistics === 'function' &&
    typeof m.statisticCount === 'function'
  );
}

/** A metric written as a function: returns per-example values or a scalar. */
export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** Serialized metric: class name plus config (plain JSON, camelCase keys). */
export interface SerializedMetric {
  /** Class name (`'BinaryAccuracy'`) or a registered custom name. */
  className: string;
  /** Options of the metric, including its `name`. */
  config: Record<string, unknown>;
}

/** What `metrics.get` may know about the model it compiles for. */
export interface MetricContext {
  /**
   * The loss (canonical name, or any alias `losses.get` knows). `'accuracy'` resolves from
   * it as Keras does: categorical / sparse categorical / binary crossentropy pick the
   * matching accuracy; otherwise the shapes decide at each call.
   */
  loss?: string;
}

/** Names of the built-in metrics: Keras names, short names, camelCase and class names. */
export type MetricName =
  | 'accuracy'
  | 'acc'
  | 'categorical_accuracy'
  | 'categoricalAccuracy'
  | 'CategoricalAccuracy'
  | 'sparse_categorical_accuracy'
  | 'sparseCategoricalAccuracy'
  | 'SparseCategoricalAccuracy'
  | 'binary_accuracy'
  | 'binaryAccuracy'
  | 'BinaryAccuracy'
  | 'mean_absolute_error'
  | 'mae'
  | 'meanAbsoluteError'
  | 'MeanAbsoluteError'
  | 'mean_squared_error'
  | 'mse'
  | 'meanSquaredError'
  | 'MeanSquaredError'
  | 'categorical_crossentropy'
  | 'sparse_categorical_crossentropy'
  | 'binary_crossentropy'
  | 'precision'
  | 'Precision'
  | 'recall'
  | 'Recall'
  | 'auc'
  | 'AUC'
  | 'r2_score'
  | 'R2Score'
  | 'top_k_categorical_accuracy'
  | 'sparse_top_k_categorical_accuracy';

/** Anything `metrics.get` resolves: a name, a serialized metric, a Metric, or a function. */
export type MetricIdentifier =
  | MetricName
  | (string & Record<never, never>)
  | SerializedMetric
  | Metric
  | MetricFn;
