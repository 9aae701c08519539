/**
 * The metric registry: resolves names (with Keras's `'accuracy'` resolution), serialized
 * configs, Metric objects and plain functions to Metric objects, and serializes them back.
 */
import { received, ValueError } from '@tessera/core';
import { AveragedFunction } from '../losses/averaged-function.js';
import {
  deserialize as deserializeLoss,
  canonicalName as lossCanonicalName,
  names as lossNames,
} from '../losses/registry.js';
import { hasMembers } from '../registry/duck-typing.js';
import { NameTable, type RegisterOptions } from '../registry/name-table.js';
import { parseSerialized } from '../registry/serialized.js';
import {
  AutoAccuracy,
  BinaryAccuracy,
  type BinaryAccuracyArgs,
  CategoricalAccuracy,
  SparseCategoricalAccuracy,
} from './accuracy.js';
import { AUC, type AUCArgs } from './auc.js';
import { type ConfusionArgs, Precision, Recall } from './confusion.js';
import { LossMetric } from './loss-metric.js';
import type {
  Metric,
  MetricContext,
  MetricFn,
  MetricIdentifier,
  SerializedMetric,
} from './metric.js';
import { R2Score, type R2ScoreArgs } from './r2-score.js';
import { SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from './top-k.js';

type MetricFactory = (config: Record<string, unknown>) => Metric;

/** A built-in: its class name and constructor from config (the config may hold `name`). */
interface BuiltinMetric {
  readonly className: string;
  readonly create: MetricFactory;
}

/** What a name stands for: a built-in class, or a user's Metric object or function. */
type MetricEntry = BuiltinMetric | Metric | MetricFn;

/** A metric class that reports a loss, built from the loss registry. */
function lossMetric(className: string, canonical: string): BuiltinMetric {
  return {
    className,
    create: (config) => {
      const { name, ...options } = config;
      const loss = deserializeLoss({ className, config: options });
      return new LossMetric(loss, name === undefined ? canonical : (name as string));
    },
  };
}

/** Built-in metrics: the Keras name first, then aliases (upper-case ones too) and the class name. */
const BUILTINS: ReadonlyArray<{ names: readonly string[]; entry: BuiltinMetric }> = [
  {
    names: ['categorical_accuracy', 'categoricalAccuracy', 'CategoricalAccuracy'],
    entry: { className: 'CategoricalAccuracy', create: (c) => new CategoricalAccuracy(c) },
  },
  {
    names: [
      'sparse_categorical_accuracy',
      'sparseCategoricalAccuracy',
      'SparseCategoricalAccuracy',
    ],
    entry: {
      className: 'SparseCategoricalAccuracy',
      create: (c) => new SparseCategoricalAccuracy(c),
    },
  },
  {
    names: ['binary_accuracy', 'binaryAccuracy', 'BinaryAccuracy'],
    entry: {
      className: 'BinaryAccuracy',
      create: (c) => new BinaryAccuracy(c as BinaryAccuracyArgs),
    },
  },
  {
    names: ['top_k_categorical_accuracy', 'topKCategoricalAccuracy', 'TopKCategoricalAccuracy'],
    entry: {
      className: 'TopKCategoricalAccuracy',
      create: (c) => new TopKCategoricalAccuracy(c),
    },
  },
  {
    names: [
      'sparse_top_k_categorical_accuracy',
      'sparseTopKCategoricalAccuracy',
      'SparseTopKCategoricalAccuracy',
    ],
    entry: {
      className: 'SparseTopKCategoricalAccuracy',
      create: (c) => new SparseTopKCategoricalAccuracy(c),
    },
  },
  {
    names: ['precision', 'Precision'],
    entry: { className: 'Precision', create: (c) => new Precision(c as ConfusionArgs) },
  },
  {
    names: ['recall', 'Recall'],
    entry: { className: 'Recall', create: (c) => new Recall(c as ConfusionArgs) },
  },
  {
    names: ['auc', 'AUC'],
    entry: { className: 'AUC', create: (c) => new AUC(c as AUCArgs) },
  },
  {
    names: ['r2_score', 'r2Score', 'R2Score'],
    entry: { className: 'R2Score', create: (c) => new R2Score(c as R2ScoreArgs) },
  },
  {
    names: ['AutoAccuracy'],
    entry: { className: 'AutoAccuracy', create: (c) => new AutoAccuracy(c) },
  },
  {
    names: ['mean_absolute_error', 'mae', 'MAE', 'meanAbsoluteError', 'MeanAbsoluteError'],
    entry: lossMetric('MeanAbsoluteError', 'mean_absolute_error'),
  },
  {
    names: ['mean_squared_error', 'mse', 'MSE', 'meanSquaredError', 'MeanSquaredError'],
    entry: lossMetric('MeanSquaredError', 'mean_squared_error'),
  },
  {
    names: ['categorical_crossentropy', 'CategoricalCrossentropy'],
    entry: lossMetric('CategoricalCrossentropy', 'categorical_crossentropy'),
  },
  {
    names: ['sparse_categorical_crossentropy', 'SparseCategoricalCrossentropy'],
    entry: lossMetric('SparseCategoricalCrossentropy', 'sparse_categorical_crossentropy'),
  },
  {
    names: ['binary_crossentropy', 'BinaryCrossentropy'],
    entry: lossMetric('BinaryCrossentropy', 'binary_crossentropy'),
  },
];

const BUILTIN_ENTRIES = new Set<MetricEntry>(BUILTINS.map((b) => b.entry));

function isBuiltin(entry: MetricEntry): entry is BuiltinMetric {
  return BUILTIN_ENTRIES.has(entry);
}

/** Duck-typed check, so a plain object with `name` and `call` is a Metric. */
function isMetric(x: unknown): x is Metric {
  return hasMembers(x, { call: 'function', name: 'string' });
}

/** True for `'accuracy'` and `'acc'` in any case: resolved from the loss, never registrable. */
function isAccuracyAlias(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'accuracy' || lower === 'acc';
}

const table = new NameTable<MetricEntry>({
  kind: 'metric',
  aliasHint: ', accuracy, acc, or any loss name',
});
for (const { names, entry } of BUILTINS) table.add(names, entry);

/** A metric written as a function, wrapped as a Metric: the mean of what it returns. */
export class FunctionMetric extends AveragedFunction implements Metric {}

/**
 * The metric `'accuracy'` stands for, as Keras resolves it: from the loss when it is a
 * crossentropy, else from the shapes at each call. It is logged under `name` — the
 * spelling the user gave (`'acc'` stays `'acc'`, as in Keras 3).
 */
export function resolveAccuracy(context: MetricContext = {}, name = 'accuracy'): Metric {
  const loss =
    context.loss === undefined ? undefined : (lossCanonicalName(context.loss) ?? context.loss);
  if (loss === 'categorical_crossentropy') return new CategoricalAccuracy({ name });
  if (loss === 'sparse_categorical_crossentropy') return new SparseCategoricalAccuracy({ name });
  if (loss === 'binary_crossentropy') return new BinaryAccuracy({ name });
  return new AutoAccuracy({ name });
}

/** True for a built-in loss name or alias, or a registered loss. */
function isLossName(name: string): boolean {
  return lossCanonicalName(name) !== undefined || lossNames().includes(name);
}

function byName(
  name: string,
  context: MetricContext,
  config: Record<string, unknown> = {},
): Metric {
  if (isAccuracyAlias(name)) return resolveAccuracy(context, name);
  const entry = table.find(name);
  if (entry === undefined) {
    // Any loss is a metric too (Keras allows `metrics: ['huber']`), reported under its name.
    if (isLossName(name)) {
      return new LossMetric(deserializeLoss({ className: name, config }), name);
    }
    throw table.unknown(name);
  }
  if (isBuiltin(entry)) return entry.create({ name, ...config });
  return typeof entry === 'function' ? new FunctionMetric(entry, name) : entry;
}

/**
 * Resolves a metric identifier: a name (`'accuracy'`, `'mae'`, `'binary_accuracy'`, any loss
 * name, a registered name; a string name becomes the metric's `name`, so it is logged as
 * given), a serialized `{ className, config }`, a Metric (returned as is) or a function
 * `(yTrue, yPred) => Tensor` (averaged; named after the function).
 */
export function get(identifier: MetricIdentifier, context: MetricContext = {}): Metric {
  if (typeof identifier === 'string') return byName(identifier, context);
  if (typeof identifier === 'function') {
    return new FunctionMetric(
      identifier,
      table.nameOf(identifier) ?? (identifier.name || 'custom_metric'),
    );
  }
  // A Metric has a className too: test for it first.
  if (isMetric(identifier)) return identifier;
  if (hasMembers(identifier, { className: 'string' })) {
    return deserialize(identifier as SerializedMetric, context);
  }
  throw new ValueError(
    received(
      'A metric must be a name, a { className, config } object, a Metric or a function',
      'metric',
      identifier,
    ),
  );
}

/** Builds a metric from its serialized form or a plain name. */
export function deserialize(
  config: SerializedMetric | string,
  context: MetricContext = {},
): Metric {
  if (typeof config === 'string') return byName(config, context);
  const { className, config: options } = parseSerialized('metric', config);
  const entry = table.find(className);
  if (entry !== undefined && isBuiltin(entry)) return entry.create(options);
  const name = typeof options['name'] === 'string' ? options['name'] : className;
  if (entry === undefined && table.find(name) === undefined && isLossName(className)) {
    const { name: _ignored, ...lossOptions } = options;
    return new LossMetric(deserializeLoss({ className, config: lossOptions }), name);
  }
  return byName(className, context);
}

/**
 * `{ className, config }` of a metric. A custom metric must be registered first (its
 * registered name becomes the class name).
 */
export function serialize(metric: Metric | MetricFn): SerializedMetric {
  if (metric instanceof FunctionMetric) {
    const name = table.nameOf(metric.fn);
    if (name !== undefined) return { className: name, config: {} };
  } else if (
    typeof metric !== 'function' &&
    metric.className !== undefined &&
    metric.getConfig !== undefined &&
    (metric instanceof LossMetric || isBuiltinClass(metric.className))
  ) {
    return { className: metric.className, config: metric.getConfig() };
  }
  const name = table.nameOf(metric);
  if (name !== undefined) return { className: name, config: {} };
  const shown = typeof metric === 'function' ? metric : metric.name;
  throw new ValueError(
    received(
      'Cannot serialize an unregistered metric; register it first with metrics.register(name, metric)',
      'metric',
      shown,
    ),
  );
}

function isBuiltinClass(className: string): boolean {
  const entry = table.find(className);
  return entry !== undefined && isBuiltin(entry);
}

/**
 * Registers a custom metric (a Metric object or a function) under `name`. Registering the
 * same metric again is harmless; a name held by another metric needs `{ override: true }`;
 * `'accuracy'` and `'acc'` always resolve from the loss.
 */
export function register(
  name: string,
  metric: Metric | MetricFn,
  options: RegisterOptions = {},
): void {
  if (typeof name === 'string' && isAccuracyAlias(name)) {
    throw new ValueError(
      received(
        'metrics.register: accuracy names resolve from the loss and cannot be registered',
        'name',
        name,
      ),
    );
  }
  if (typeof metric !== 'function' && !isMetric(metric)) {
    throw new ValueError(
      received(
        'metrics.register: expected a Metric object or a function (yTrue, yPred) => Tensor',
        'metric',
        metric,
      ),
    );
  }
  table.add([name], metric, options);
}

/** Every listed name: accuracy, the built-in Keras names, then registered ones. */
export function names(): string[] {
  return ['accuracy', ...table.names()];
}
