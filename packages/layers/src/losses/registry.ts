/**
 * The loss registry: resolves names, serialized configs, Loss objects and plain functions
 * to Loss objects, and serializes them back.
 */
import { formatValue, NotFoundError, received, type Tensor, tf, ValueError } from '@tessera/core';
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

/** Losses registered by users: a Loss object or a function. */
const custom = new Map<string, Loss | LossFn>();

/**
 * A loss written as a function, wrapped as a Loss: per-example results are averaged, a
 * scalar result is used as is.
 */
export class FunctionLoss implements Loss {
  readonly name: string;
  /** The wrapped function. */
  readonly fn: LossFn;

  constructor(fn: LossFn, name: string) {
    this.fn = fn;
    this.name = name;
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.tidy(() => {
      const out = this.fn(yTrue, yPred);
      return out.rank === 0 ? out : tf.mean(out);
    });
  }

  getConfig(): Record<string, unknown> {
    return {};
  }
}

function knownNames(): string {
  return [...Object.keys(NAMES), ...custom.keys()].join(', ');
}

function isLoss(x: unknown): x is Loss {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as Loss).call === 'function' &&
    typeof (x as Loss).getConfig === 'function' &&
    typeof (x as Loss).name === 'string'
  );
}

function isSerialized(x: unknown): x is SerializedLoss {
  return typeof x === 'object' && x !== null && typeof (x as SerializedLoss).className === 'string';
}

function registeredNameOf(x: Loss | LossFn): string | undefined {
  for (const [name, entry] of custom) {
    if (entry === x) return name;
  }
  return undefined;
}

function fromCustom(name: string, entry: Loss | LossFn): Loss {
  return typeof entry === 'function' ? new FunctionLoss(entry, name) : entry;
}

function byName(name: string, config: Record<string, unknown>): Loss {
  const className = NAMES[name];
  if (className !== undefined) return CLASSES[className]!(config);
  const entry = custom.get(name);
  if (entry !== undefined) return fromCustom(name, entry);
  throw new NotFoundError(received(`Unknown loss; known losses: ${knownNames()}`, 'loss', name));
}

/**
 * Resolves a name (`'mse'`, `'categorical_crossentropy'`, `'CategoricalCrossentropy'`, a
 * registered name), a serialized `{ className, config }`, a Loss object (returned as is) or a
 * function `(yTrue, yPred) => Tensor` to a Loss.
 */
export function get(identifier: LossIdentifier): Loss {
  if (typeof identifier === 'string') return byName(identifier, {});
  if (typeof identifier === 'function') {
    const name = registeredNameOf(identifier) ?? (identifier.name || 'custom_loss');
    return new FunctionLoss(identifier, name);
  }
  if (isLoss(identifier)) return identifier;
  if (isSerialized(identifier)) return deserialize(identifier);
  throw new ValueError(
    received(
      'A loss must be a name, a { className, config } object, a Loss or a function',
      'loss',
      identifier,
    ),
  );
}

/** Builds a loss from its serialized form or a plain name. */
export function deserialize(config: SerializedLoss | string): Loss {
  if (typeof config === 'string') return byName(config, {});
  if (!isSerialized(config)) {
    throw new ValueError(
      received('A serialized loss must be { className, config }', 'config', config),
    );
  }
  const options = config.config ?? {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValueError(received('A serialized loss config must be an object', 'config', options));
  }
  return byName(config.className, options);
}

/**
 * `{ className, config }` of a loss. A custom loss must be registered first (its registered
 * name becomes the class name) so it can be loaded again.
 */
export function serialize(loss: Loss | LossFn): SerializedLoss {
  if (loss instanceof FunctionLoss) {
    const name = registeredNameOf(loss.fn);
    if (name !== undefined) return { className: name, config: {} };
  } else if (
    typeof loss !== 'function' &&
    loss.className !== undefined &&
    CLASSES[loss.className]
  ) {
    return { className: loss.className, config: loss.getConfig() };
  }
  const name = registeredNameOf(loss);
  if (name !== undefined) {
    return { className: name, config: typeof loss === 'function' ? {} : loss.getConfig() };
  }
  const shown = typeof loss === 'function' ? loss : loss.name;
  throw new ValueError(
    `Cannot serialize an unregistered loss; register it first with losses.register(name, loss). Received: loss=${formatValue(shown)}`,
  );
}

/**
 * Registers a custom loss (a Loss object or a function) under `name`, so configs and
 * worker threads can refer to it. Re-registering a name replaces it; built-in names are
 * reserved.
 */
export function register(name: string, loss: Loss | LossFn): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new ValueError(
      received('losses.register: name must be a non-empty string', 'name', name),
    );
  }
  if (NAMES[name] !== undefined) {
    throw new ValueError(received('losses.register: name is a built-in loss', 'name', name));
  }
  if (typeof loss !== 'function' && !isLoss(loss)) {
    throw new ValueError(
      received(
        'losses.register: expected a Loss object or a function (yTrue, yPred) => Tensor',
        'loss',
        loss,
      ),
    );
  }
  custom.set(name, loss);
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
