/**
 * The metric registry: resolves names (with Keras's `'accuracy'` resolution), serialized
 * configs, Metric objects and plain functions to Metric objects, and serializes them back.
 */
import { AveragedFunction } from '../losses/averaged-function.js';
import {
  deserialize as deserializeLoss,
  canonicalName as lossCanonicalName,
} from '../losses/registry.js';
import { CustomEntries, hasClassName } from '../registry/custom-entries.js';
import { hasMembers } from '../registry/duck-typing.js';
import {
  AutoAccuracy,
  BinaryAccuracy,
  type BinaryAccuracyArgs,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
} from './accuracy.js';
import { LossMetric } from './loss-metric.js';
import type {
  Metric,
  MetricContext,
  MetricFn,
  MetricIdentifier,
  SerializedMetric,
} from './metric.js';

type MetricFactory = (config: Record<string, unknown>) => Metric;

/** Canonical snake_case name of each metric class that wraps a loss. */
const LOSS_METRICS: Record<string, string> = {
  MeanAbsoluteError: 'mean_absolute_error',
  MeanSquaredError: 'mean_squared_error',
  CategoricalCrossentropy: 'categorical_crossentropy',
  SparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
  BinaryCrossentropy: 'binary_crossentropy',
};

function lossMetricFactory(className: string): MetricFactory {
  return (config) => {
    const { name, ...options } = config;
    const loss = deserializeLoss({ className, config: options });
    return new LossMetric(loss, name === undefined ? LOSS_METRICS[className]! : (name as string));
  };
}

/** Built-in metric classes by class name. */
const CLASSES: Record<string, MetricFactory> = {
  CategoricalAccuracy: (c) => new CategoricalAccuracy(c),
  SparseCategoricalAccuracy: (c) => new SparseCategoricalAccuracy(c),
  BinaryAccuracy: (c) => new BinaryAccuracy(c as BinaryAccuracyArgs),
  AutoAccuracy: (c) => new AutoAccuracy(c),
  ...Object.fromEntries(Object.keys(LOSS_METRICS).map((c) => [c, lossMetricFactory(c)])),
};

/** Every built-in name (Keras, short, camelCase, class name) → class name. */
const NAMES: Record<string, string> = {
  categorical_accuracy: 'CategoricalAccuracy',
  categoricalAccuracy: 'CategoricalAccuracy',
  CategoricalAccuracy: 'CategoricalAccuracy',
  sparse_categorical_accuracy: 'SparseCategoricalAccuracy',
  sparseCategoricalAccuracy: 'SparseCategoricalAccuracy',
  SparseCategoricalAccuracy: 'SparseCategoricalAccuracy',
  binary_accuracy: 'BinaryAccuracy',
  binaryAccuracy: 'BinaryAccuracy',
  BinaryAccuracy: 'BinaryAccuracy',
  mean_absolute_error: 'MeanAbsoluteError',
  mae: 'MeanAbsoluteError',
  meanAbsoluteError: 'MeanAbsoluteError',
  MeanAbsoluteError: 'MeanAbsoluteError',
  mean_squared_error: 'MeanSquaredError',
  mse: 'MeanSquaredError',
  meanSquaredError: 'MeanSquaredError',
  MeanSquaredError: 'MeanSquaredError',
  categorical_crossentropy: 'CategoricalCrossentropy',
  sparse_categorical_crossentropy: 'SparseCategoricalCrossentropy',
  binary_crossentropy: 'BinaryCrossentropy',
};

/** Duck-typed check, so a plain object with `name` and `call` is a Metric. */
function isMetric(x: unknown): x is Metric {
  return hasMembers(x, { call: 'function', name: 'string' });
}

/** True for `'accuracy'` and `'acc'` in any case: resolved from the loss, never registrable. */
function isAccuracyAlias(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'accuracy' || lower === 'acc';
}

/** Metrics registered by users: a Metric object or a function. */
const custom = new CustomEntries<Metric, MetricFn>({
  kind: 'metric',
  namespace: 'metrics',
  typeName: 'Metric',
  isInstance: isMetric,
  isReserved: (name) =>
    NAMES[name] !== undefined || CLASSES[name] !== undefined || isAccuracyAlias(name),
});

/** A metric written as a function, wrapped as a Metric: the mean of what it returns. */
export class FunctionMetric extends AveragedFunction implements Metric {}

/**
 * The metric `'accuracy'` stands for, as Keras resolves it: from the loss when it is a
 * crossentropy, else from the shapes at each call. Its name stays `'accuracy'`.
 */
export function resolveAccuracy(context: MetricContext = {}): Metric {
  const name = 'accuracy';
  const loss =
    context.loss === undefined ? undefined : (lossCanonicalName(context.loss) ?? context.loss);
  if (loss === 'categorical_crossentropy') return new CategoricalAccuracy({ name });
  if (loss === 'sparse_categorical_crossentropy') return new SparseCategoricalAccuracy({ name });
  if (loss === 'binary_crossentropy') return new BinaryAccuracy({ name });
  return new AutoAccuracy({ name });
}

function byName(name: string, context: MetricContext): Metric {
  if (isAccuracyAlias(name)) return resolveAccuracy(context);
  const className = NAMES[name];
  if (className !== undefined) return CLASSES[className]!({ name });
  const entry = custom.find(name);
  if (entry !== undefined)
    return typeof entry === 'function' ? new FunctionMetric(entry, name) : entry;
  throw custom.unknownName(name, ['accuracy', 'acc', ...Object.keys(NAMES)]);
}

/**
 * Resolves a metric identifier: a name (`'accuracy'`, `'mae'`, `'binary_accuracy'`, a
 * registered name; a string name becomes the metric's `name`, except that `'acc'` is
 * reported as `'accuracy'`), a serialized `{ className, config }`, a Metric (returned as
 * is) or a function `(yTrue, yPred) => Tensor` (averaged; named after the function).
 */
export function get(identifier: MetricIdentifier, context: MetricContext = {}): Metric {
  if (typeof identifier === 'string') return byName(identifier, context);
  if (typeof identifier === 'function') {
    return new FunctionMetric(identifier, custom.functionName(identifier));
  }
  // A Metric has a className too: test for it first.
  if (isMetric(identifier)) return identifier;
  if (hasClassName(identifier)) return deserialize(identifier, context);
  throw custom.notAnIdentifier(identifier);
}

/** Builds a metric from its serialized form or a plain name. */
export function deserialize(
  config: SerializedMetric | string,
  context: MetricContext = {},
): Metric {
  if (typeof config === 'string') return byName(config, context);
  const { className, config: options } = custom.parseSerialized(config);
  const factory = CLASSES[className];
  if (factory !== undefined) return factory(options);
  return byName(className, context);
}

/**
 * `{ className, config }` of a metric. A custom metric must be registered first (its
 * registered name becomes the class name).
 */
export function serialize(metric: Metric | MetricFn): SerializedMetric {
  if (metric instanceof FunctionMetric) {
    const name = custom.nameOf(metric.fn);
    if (name !== undefined) return { className: name, config: {} };
  } else if (
    typeof metric !== 'function' &&
    metric.className !== undefined &&
    CLASSES[metric.className] !== undefined &&
    metric.getConfig !== undefined
  ) {
    return { className: metric.className, config: metric.getConfig() };
  }
  const name = custom.nameOf(metric);
  if (name !== undefined) return { className: name, config: {} };
  throw custom.unregistered(metric);
}

/**
 * Registers a custom metric (a Metric object or a function) under `name`. Re-registering a
 * name replaces it; built-in names are reserved.
 */
export function register(name: string, metric: Metric | MetricFn): void {
  custom.register(name, metric);
}
