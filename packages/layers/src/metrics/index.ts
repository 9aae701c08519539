/**
 * Metrics: `metrics.get('accuracy', { loss: 'categorical_crossentropy' })`, `metrics.get('mae')`,
 * `metrics.serialize / deserialize / register`.
 */
import { MeanAbsoluteError, MeanSquaredError } from '../losses/regression.js';
import {
  type AccuracyArgs,
  AutoAccuracy,
  BinaryAccuracy,
  type BinaryAccuracyArgs,
  binaryAccuracy,
  CategoricalAccuracy,
  categoricalAccuracy,
  SparseCategoricalAccuracy,
  sparseCategoricalAccuracy,
} from './accuracy.js';
import { AUC, type AUCArgs } from './auc.js';
import { type ConfusionArgs, Precision, Recall } from './confusion.js';
import { LossMetric } from './loss-metric.js';
import { R2Score, type R2ScoreArgs } from './r2-score.js';
import { deserialize, get, names, register, resolveAccuracy, serialize } from './registry.js';

import { MetricStatistics } from './statistics.js';
import { SparseTopKCategoricalAccuracy, type TopKArgs, TopKCategoricalAccuracy } from './top-k.js';

/** The metric registry, a factory per built-in metric, and the accuracy functions. */
export const metrics = {
  get,
  serialize,
  deserialize,
  register,
  names,
  resolveAccuracy,
  /** Accuracy for one-hot targets. */
  categoricalAccuracy: (args?: AccuracyArgs): CategoricalAccuracy => new CategoricalAccuracy(args),
  /** Accuracy for integer class ids. */
  sparseCategoricalAccuracy: (args?: AccuracyArgs): SparseCategoricalAccuracy =>
    new SparseCategoricalAccuracy(args),
  /** Accuracy for 0/1 targets with a threshold. */
  binaryAccuracy: (args?: BinaryAccuracyArgs): BinaryAccuracy => new BinaryAccuracy(args),
  /** Mean absolute error as a metric. */
  meanAbsoluteError: (args: { name?: string } = {}): LossMetric =>
    new LossMetric(new MeanAbsoluteError(), args.name ?? 'mean_absolute_error'),
  /** Mean squared error as a metric. */
  meanSquaredError: (args: { name?: string } = {}): LossMetric =>
    new LossMetric(new MeanSquaredError(), args.name ?? 'mean_squared_error'),
  /** Top-k accuracy for one-hot targets (k default 5). */
  topKCategoricalAccuracy: (args?: TopKArgs): TopKCategoricalAccuracy =>
    new TopKCategoricalAccuracy(args),
  /** Top-k accuracy for integer class ids (k default 5). */
  sparseTopKCategoricalAccuracy: (args?: TopKArgs): SparseTopKCategoricalAccuracy =>
    new SparseTopKCategoricalAccuracy(args),
  /** Precision over the epoch, from accumulated counts (threshold 0.5). */
  precision: (args?: ConfusionArgs): Precision => new Precision(args),
  /** Recall over the epoch, from accumulated counts (threshold 0.5). */
  recall: (args?: ConfusionArgs): Recall => new Recall(args),
  /** Area under the ROC (or PR) curve over the epoch, 200 thresholds. */
  auc: (args?: AUCArgs): AUC => new AUC(args),
  /** R² over the epoch, averaged over output columns. */
  r2Score: (args?: R2ScoreArgs): R2Score => new R2Score(args),
  /** The accuracy computations as plain functions returning a scalar tensor. */
  functions: { categoricalAccuracy, sparseCategoricalAccuracy, binaryAccuracy },
};

export { accuracyKindForShapes } from './accuracy.js';
export type {
  Metric,
  MetricContext,
  MetricFn,
  MetricIdentifier,
  MetricName,
  SerializedMetric,
  StatefulMetric,
} from './metric.js';
export { isStatefulMetric } from './metric.js';
export { FunctionMetric } from './registry.js';
export type { AccuracyArgs, AUCArgs, BinaryAccuracyArgs, ConfusionArgs, R2ScoreArgs, TopKArgs };
export {
  AUC,
  AutoAccuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  LossMetric,
  MetricStatistics,
  Precision,
  R2Score,
  Recall,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
};
