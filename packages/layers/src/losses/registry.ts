/**
 * The loss registry: resolves names, serialized configs, Loss objects and plain functions
 * to Loss objects, and serializes them back.
 */
import { CustomEntries, hasClassName } from '../registry/custom-entries.js';
import { hasMembers } from '../registry/duck-typing.js';
import { AveragedFunction } from './averaged-function.js';
import { BinaryCrossentropy, type BinaryCrossentropyArgs } from './binary.js';
import {
  CategoricalCrossentropy,
  type CategoricalCrossentropyArgs,
  SparseCategoricalCrossentropy,
  type SparseCategoricalCrossentropyArgs,
} from './categorical.js';
import type { Loss, LossFn, LossIdentifier, SerializedLoss } from './loss.js';
import { Huber, type HuberArgs, MeanAbsoluteError, MeanSquaredError } from './regression.js';

type LossFactory = (config: Record<string, unknown>) => Loss;

/** Built-in loss classes by class name. */
const CLASSES: Record<string, LossFactory> = {
  MeanSquaredError: (c) => new MeanSquaredError(c as Record<string, never>),
  MeanAbsoluteError: (c) => new MeanAbsoluteError(c as Record<string, never>),
  CategoricalCrossentropy: (c) => new CategoricalCrossentropy(c as CategoricalCrossentropyArgs),
  SparseCategoricalCrossentropy: (c) =>
    new SparseCategoricalCrossentropy(c as SparseCategoricalCrossentropyArgs),
  BinaryCrossentropy: (c) => new BinaryCrossentropy(c as BinaryCrossentropyArgs),
  Huber: (c) => new Huber(c as HuberArgs),
};

/** Every built-in name (Keras, short, camelCase, class name) → class name. */
const NAMES: Record<string, string> = {
  mean_squared_error: 'MeanSquaredError',
  mse: 'MeanSquaredError',
  meanSquaredError: 'MeanSquaredError',
  MeanSquaredError: 'MeanSquaredError',
  mean_absolute_error: 'MeanAbsoluteError',
  mae: 'MeanAbsoluteError',
  meanAbsoluteError: 'MeanAbsoluteError',
  MeanAbsoluteError: 'MeanAbsoluteError',
  categorical_crossentropy: 'CategoricalCrossentropy',
  categoricalCrossentropy: 'CategoricalCrossentropy',
  CategoricalCrossentropy: 'CategoricalCrossentropy',
  sparse_categorical_crossentropy: 'SparseCategoricalCrossentropy',
  sparseCategoricalCrossentropy: 'SparseCategoricalCrossentropy',
  SparseCategoricalCrossentropy: 'SparseCategoricalCrossentropy',
  binary_crossentropy: 'BinaryCrossentropy',
  binaryCrossentropy: 'BinaryCrossentropy',
  BinaryCrossentropy: 'BinaryCrossentropy',
  huber: 'Huber',
  huber_loss: 'Huber',
  Huber: 'Huber',
};

/** Duck-typed check, so a plain object with `name`, `call` and `getConfig` is a Loss. */
function isLoss(x: unknown): x is Loss {
  return hasMembers(x, { call: 'function', getConfig: 'function', name: 'string' });
}

/** Losses registered by users: a Loss object or a function. */
const custom = new CustomEntries<Loss, LossFn>({
  kind: 'loss',
  namespace: 'losses',
  typeName: 'Loss',
  isInstance: isLoss,
  isReserved: (name) => NAMES[name] !== undefined,
});

/**
 * A loss written as a function, wrapped as a Loss: per-example results are averaged, a
 * scalar result is used as is.
 */
export class FunctionLoss extends AveragedFunction implements Loss {
  getConfig(): Record<string, unknown> {
    return {};
  }
}

function byName(name: string, config: Record<string, unknown>): Loss {
  const className = NAMES[name];
  if (className !== undefined) return CLASSES[className]!(config);
  const entry = custom.find(name);
  if (entry !== undefined)
    return typeof entry === 'function' ? new FunctionLoss(entry, name) : entry;
  throw custom.unknownName(name, Object.keys(NAMES));
}

/**
 * Resolves a name (`'mse'`, `'categorical_crossentropy'`, `'CategoricalCrossentropy'`, a
 * registered name), a serialized `{ className, config }`, a Loss object (returned as is) or a
 * function `(yTrue, yPred) => Tensor` to a Loss.
 */
export function get(identifier: LossIdentifier): Loss {
  if (typeof identifier === 'string') return byName(identifier, {});
  if (typeof identifier === 'function') {
    return new FunctionLoss(identifier, custom.functionName(identifier));
  }
  if (isLoss(identifier)) return identifier;
  if (hasClassName(identifier)) return deserialize(identifier);
  throw custom.notAnIdentifier(identifier);
}

/** Builds a loss from its serialized form or a plain name. */
export function deserialize(config: SerializedLoss | string): Loss {
  if (typeof config === 'string') return byName(config, {});
  const { className, config: options } = custom.parseSerialized(config);
  return byName(className, options);
}

/**
 * `{ className, config }` of a loss. A custom loss must be registered first (its registered
 * name becomes the class name) so it can be loaded again.
 */
export function serialize(loss: Loss | LossFn): SerializedLoss {
  if (loss instanceof FunctionLoss) {
    const name = custom.nameOf(loss.fn);
    if (name !== undefined) return { className: name, config: {} };
  } else if (
    typeof loss !== 'function' &&
    loss.className !== undefined &&
    CLASSES[loss.className]
  ) {
    return { className: loss.className, config: loss.getConfig() };
  }
  const name = custom.nameOf(loss);
  if (name !== undefined) {
    return { className: name, config: typeof loss === 'function' ? {} : loss.getConfig() };
  }
  throw custom.unregistered(loss);
}

/**
 * Registers a custom loss (a Loss object or a function) under `name`, so configs and
 * worker threads can refer to it. Re-registering a name replaces it; built-in names are
 * reserved.
 */
export function register(name: string, loss: Loss | LossFn): void {
  custom.register(name, loss);
}

/** Canonical snake_case name of each built-in class. */
const CANONICAL: Record<string, string> = {
  MeanSquaredError: 'mean_squared_error',
  MeanAbsoluteError: 'mean_absolute_error',
  CategoricalCrossentropy: 'categorical_crossentropy',
  SparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
  BinaryCrossentropy: 'binary_crossentropy',
  Huber: 'huber',
};

/** Canonical snake_case name of a built-in loss name or alias (`'mse'` → `'mean_squared_error'`), or undefined. */
export function canonicalName(name: string): string | undefined {
  const className = NAMES[name];
  return className === undefined ? undefined : CANONICAL[className];
}
