/**
 * Losses: `losses.get('categorical_crossentropy')`, `losses.categoricalCrossentropy({ fromLogits: true })`,
 * `losses.serialize / deserialize / register`.
 */
import { BinaryCrossentropy, type BinaryCrossentropyArgs } from './binary.js';
import {
  CategoricalCrossentropy,
  type CategoricalCrossentropyArgs,
  SparseCategoricalCrossentropy,
  type SparseCategoricalCrossentropyArgs,
} from './categorical.js';
import { canonicalName, deserialize, get, names, register, serialize } from './registry.js';
import { Huber, type HuberArgs, MeanAbsoluteError, MeanSquaredError } from './regression.js';

/** The loss registry and a factory per built-in loss. */
export const losses = {
  get,
  serialize,
  deserialize,
  register,
  names,
  canonicalName,
  /** Mean squared error loss. */
  meanSquaredError: (): MeanSquaredError => new MeanSquaredError(),
  /** Mean absolute error loss. */
  meanAbsoluteError: (): MeanAbsoluteError => new MeanAbsoluteError(),
  /** Categorical crossentropy for one-hot targets. */
  categoricalCrossentropy: (args?: CategoricalCrossentropyArgs): CategoricalCrossentropy =>
    new CategoricalCrossentropy(args),
  /** Categorical crossentropy for integer class ids. */
  sparseCategoricalCrossentropy: (
    args?: SparseCategoricalCrossentropyArgs,
  ): SparseCategoricalCrossentropy => new SparseCategoricalCrossentropy(args),
  /** Binary crossentropy. */
  binaryCrossentropy: (args?: BinaryCrossentropyArgs): BinaryCrossentropy =>
    new BinaryCrossentropy(args),
  /** Huber loss. */
  huber: (args?: HuberArgs): Huber => new Huber(args),
};

export type { Loss, LossFn, LossIdentifier, LossName, SerializedLoss } from './loss.js';
export { EPSILON } from './loss.js';
export { FunctionLoss } from './registry.js';
export type {
  BinaryCrossentropyArgs,
  CategoricalCrossentropyArgs,
  HuberArgs,
  SparseCategoricalCrossentropyArgs,
};
export {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  Huber,
  MeanAbsoluteError,
  MeanSquaredError,
  SparseCategoricalCrossentropy,
};
