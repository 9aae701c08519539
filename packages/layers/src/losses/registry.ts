/**
 * The loss registry: resolves names, serialized configs, Loss objects and plain functions
 * to Loss objects, and serializes them back.
 */
import { received, type Tensor, tf, ValueError } from '@tessera/core';
import { hasMembers } from '../registry/duck-typing.js';
import { NameTable, type RegisterOptions } from '../registry/name-table.js';
import { parseSerialized } from '../registry/serialized.js';
import { AveragedFunction } from './averaged-function.js';
import { BinaryCrossentropy, type BinaryCrossentropyArgs } from './binary.js';
import {
  CategoricalCrossentropy,
  type CategoricalCrossentropyArgs,
  SparseCategoricalCrossentropy,
  type SparseCategoricalCrossentropyArgs,
} from './categorical.js';
import { KLDivergence, Poisson } from './distribution.js';
import { CategoricalHinge, Hinge, SquaredHinge } from './hinge.js';
import type { Loss, LossFn, LossIdentifier, SerializedLoss } from './loss.js';
import {
  CosineSimilarity,
  type CosineSimilarityArgs,
  LogCosh,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
} from './more-regression.js';
import { type ReductionArgs, reduceLosses } from './reduction.js';
import { Huber, type HuberArgs, MeanAbsoluteError, MeanSquaredError } from './regression.js';

type LossFactory = (config: Record<string, unknown>) => Loss;

/** A built-in: its class name and constructor from config. */
interface BuiltinLoss {
  readonly className: string;
  readonly create: LossFactory;
}

/** What a name stands for: a built-in class, or a user's Loss object or function. */
type LossEntry = BuiltinLoss | Loss | LossFn;

/** Built-in losses: the Keras name first, then aliases and the class name. */
const BUILTINS: ReadonlyArray<{ names: readonly string[]; entry: BuiltinLoss }> = [
  {
    names: ['mean_squared_error', 'mse', 'MSE', 'meanSquaredError', 'MeanSquaredError'],
    entry: {
      className: 'MeanSquaredError',
      create: (c) => new MeanSquaredError(c as ReductionArgs),
    },
  },
  {
    names: ['mean_absolute_error', 'mae', 'MAE', 'meanAbsoluteError', 'MeanAbsoluteError'],
    entry: {
      className: 'MeanAbsoluteError',
      create: (c) => new MeanAbsoluteError(c as ReductionArgs),
    },
  },
  {
    names: ['categorical_crossentropy', 'categoricalCrossentropy', 'CategoricalCrossentropy'],
    entry: {
      className: 'CategoricalCrossentropy',
      create: (c) => new CategoricalCrossentropy(c as CategoricalCrossentropyArgs),
    },
  },
  {
    names: [
      'sparse_categorical_crossentropy',
      'sparseCategoricalCrossentropy',
      'SparseCategoricalCrossentropy',
    ],
    entry: {
      className: 'SparseCategoricalCrossentropy',
      create: (c) => new SparseCategoricalCrossentropy(c as SparseCategoricalCrossentropyArgs),
    },
  },
  {
    names: ['binary_crossentropy', 'binaryCrossentropy', 'BinaryCrossentropy'],
    entry: {
      className: 'BinaryCrossentropy',
      create: (c) => new BinaryCrossentropy(c as BinaryCrossentropyArgs),
    },
  },
  {
    names: ['huber', 'huber_loss', 'Huber'],
    entry: { className: 'Huber', create: (c) => new Huber(c as HuberArgs) },
  },
  {
    names: [
      'mean_absolute_percentage_error',
      'mape',
      'MAPE',
      'meanAbsolutePercentageError',
      'MeanAbsolutePercentageError',
    ],
    entry: {
      className: 'MeanAbsolutePercentageError',
      create: (c) => new MeanAbsolutePercentageError(c as ReductionArgs),
    },
  },
  {
    names: [
      'mean_squared_logarithmic_error',
      'msle',
      'MSLE',
      'meanSquaredLogarithmicError',
      'MeanSquaredLogarithmicError',
    ],
    entry: {
      className: 'MeanSquaredLogarithmicError',
      create: (c) => new MeanSquaredLogarithmicError(c as ReductionArgs),
    },
  },
  {
    names: ['log_cosh', 'logcosh', 'logCosh', 'LogCosh'],
    entry: { className: 'LogCosh', create: (c) => new LogCosh(c as ReductionArgs) },
  },
  {
    names: ['hinge', 'Hinge'],
    entry: { className: 'Hinge', create: (c) => new Hinge(c as ReductionArgs) },
  },
  {
    names: ['squared_hinge', 'squaredHinge', 'SquaredHinge'],
    entry: {
      className: 'SquaredHinge',
      create: (c) => new SquaredHinge(c as ReductionArgs),
    },
  },
  {
    names: ['categorical_hinge', 'categoricalHinge', 'CategoricalHinge'],
    entry: {
      className: 'CategoricalHinge',
      create: (c) => new CategoricalHinge(c as ReductionArgs),
    },
  },
  {
    names: [
      'kl_divergence',
      'kld',
      'KLD',
      'kullback_leibler_divergence',
      'kullbackLeiblerDivergence',
      'klDivergence',
      'KLDivergence',
    ],
    entry: {
      className: 'KLDivergence',
      create: (c) => new KLDivergence(c as ReductionArgs),
    },
  },
  {
    names: ['poisson', 'Poisson'],
    entry: { className: 'Poisson', create: (c) => new Poisson(c as ReductionArgs) },
  },
  {
    names: [
      'cosine_similarity',
      'cosineSimilarity',
      'CosineSimilarity',
      'cosine_proximity',
      'cosineProximity',
    ],
    entry: {
      className: 'CosineSimilarity',
      create: (c) => new CosineSimilarity(c as CosineSimilarityArgs),
    },
  },
];

const BUILTIN_ENTRIES = new Set<LossEntry>(BUILTINS.map((b) => b.entry));

/** Duck-typed check, so a plain object with `name`, `call` and `getConfig` is a Loss. */
function isLoss(x: unknown): x is Loss {
  return hasMembers(x, { call: 'function', getConfig: 'function', name: 'string' });
}

function isBuiltin(entry: LossEntry): entry is BuiltinLoss {
  return BUILTIN_ENTRIES.has(entry);
}

const table = new NameTable<LossEntry>({ kind: 'loss' });
for (const { names, entry } of BUILTINS) table.add(names, entry);

/**
 * A loss written as a function, wrapped as a Loss: per-example results are averaged, a
 * scalar result is used as is.
 */
export class FunctionLoss extends AveragedFunction implements Loss {
  /** The function's values averaged over every axis but the batch: one per example. */
  perExample(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.tidy(() => {
      const out = this.fn(yTrue, yPred);
      if (out.rank === 0) {
        throw new ValueError(
          received(
            `Loss "${this.name}" returns a scalar, so it cannot weigh examples; return one value per example`,
            'shape',
            out.shape,
          ),
        );
      }
      return out.rank === 1
        ? out
        : tf.mean(
            out,
            Array.from({ length: out.rank - 1 }, (_, i) => i + 1),
          );
    });
  }

  override call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    if (sampleWeight === undefined) return super.call(yTrue, yPred);
    return tf.tidy(() =>
      reduceLosses(this.name, this.perExample(yTrue, yPred), 'sum_over_batch_size', sampleWeight),
    );
  }

  getConfig(): Record<string, unknown> {
    return {};
  }
}

function byName(name: string, config: Record<string, unknown>): Loss {
  const entry = table.get(name);
  if (isBuiltin(entry)) return entry.create(config);
  return typeof entry === 'function' ? new FunctionLoss(entry, name) : entry;
}

/**
 * Resolves a name (`'mse'`, `'categorical_crossentropy'`, `'CategoricalCrossentropy'`, a
 * registered name), a serialized `{ className, config }`, a Loss object (returned as is) or a
 * function `(yTrue, yPred) => Tensor` to a Loss.
 */
export function get(identifier: LossIdentifier): Loss {
  if (typeof identifier === 'string') return byName(identifier, {});
  if (typeof identifier === 'function') {
    return new FunctionLoss(
      identifier,
      table.nameOf(identifier) ?? (identifier.name || 'custom_loss'),
    );
  }
  if (isLoss(identifier)) return identifier;
  if (hasMembers(identifier, { className: 'string' }))
    return deserialize(identifier as SerializedLoss);
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
  const { className, config: options } = parseSerialized('loss', config);
  return byName(className, options);
}

/**
 * `{ className, config }` of a loss. A custom loss must be registered first (its registered
 * name becomes the class name) so it can be loaded again.
 */
export function serialize(loss: Loss | LossFn): SerializedLoss {
  if (loss instanceof FunctionLoss) {
    const name = table.nameOf(loss.fn);
    if (name !== undefined) return { className: name, config: {} };
  } else if (typeof loss !== 'function' && loss.className !== undefined) {
    const entry = table.find(loss.className);
    if (entry !== undefined && isBuiltin(entry)) {
      return { className: loss.className, config: loss.getConfig() };
    }
  }
  const name = table.nameOf(loss);
  if (name !== undefined) {
    return { className: name, config: typeof loss === 'function' ? {} : loss.getConfig() };
  }
  const shown = typeof loss === 'function' ? loss : loss.name;
  throw new ValueError(
    received(
      'Cannot serialize an unregistered loss; register it first with losses.register(name, loss)',
      'loss',
      shown,
    ),
  );
}

/**
 * Registers a custom loss (a Loss object or a function) under `name`, so configs and
 * worker threads can refer to it. Registering the same loss again is harmless; a name
 * held by another loss (built-ins included) needs `{ override: true }`.
 */
export function register(name: string, loss: Loss | LossFn, options: RegisterOptions = {}): void {
  if (typeof loss !== 'function' && !isLoss(loss)) {
    throw new ValueError(
      received(
        'losses.register: expected a Loss object or a function (yTrue, yPred) => Tensor',
        'loss',
        loss,
      ),
    );
  }
  table.add([name], loss, options);
}

/** Every listed name: the built-in Keras names, then registered ones. */
export function names(): string[] {
  return table.names();
}

/** Canonical snake_case name of a built-in loss name or alias (`'mse'` → `'mean_squared_error'`), or undefined. */
export function canonicalName(name: string): string | undefined {
  const entry = table.find(name);
  if (entry === undefined || !isBuiltin(entry)) return undefined;
  return BUILTINS.find((b) => b.entry === entry)?.names[0];
}
