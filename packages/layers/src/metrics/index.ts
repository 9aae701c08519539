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
import { LossMetric } from './loss-metric.js';
import { deserialize, get, names, register, resolveAccuracy, serialize } from './registry.js';

/** The metric registry, a factory per built-in metric, and the accuracy functions. */
import { SparseTopKCategoricalAccuracy, type TopKArgs, TopKCategoricalAccuracy } from './top-k.js';

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
} from './metric.js';
export { FunctionMetric } from './registry.js';
export type { AccuracyArgs, BinaryAccuracyArgs, TopKArgs };
export {
  AutoAccuracy,
  BinaryAccuracy,
  CategoricalAccuracy,
  LossMetric,
  SparseCategoricalAccuracy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
};
