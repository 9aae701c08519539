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
import { KLDivergence, Poisson } from './distribution.js';
import { CategoricalHinge, Hinge, SquaredHinge } from './hinge.js';
import {
  CosineSimilarity,
  type CosineSimilarityArgs,
  LogCosh,
  MeanAbsolutePercentageError,
  MeanSquaredLogarithmicError,
} from './more-regression.js';
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
  /** Mean absolute percentage error. */
  meanAbsolutePercentageError: (): MeanAbsolutePercentageError => new MeanAbsolutePercentageError(),
  /** Mean squared logarithmic error. */
  meanSquaredLogarithmicError: (): MeanSquaredLogarithmicError => new MeanSquaredLogarithmicError(),
  /** Log-cosh. */
  logCosh: (): LogCosh => new LogCosh(),
  /** Hinge. */
  hinge: (): Hinge => new Hinge(),
  /** Squared hinge. */
  squaredHinge: (): SquaredHinge => new SquaredHinge(),
  /** Categorical hinge. */
  categoricalHinge: (): CategoricalHinge => new CategoricalHinge(),
  /** Kullback-Leibler divergence. */
  klDivergence: (): KLDivergence => new KLDivergence(),
  /** Poisson. */
  poisson: (): Poisson => new Poisson(),
  /** Cosine similarity (negated, as a loss). */
  cosineSimilarity: (args?: CosineSimilarityArgs): CosineSimilarity => new CosineSimilarity(args),
};

export type {
  FusedCrossentropy,
  Loss,
  LossFn,
  LossIdentifier,
  LossName,
  SerializedLoss,
} from './loss.js';
export { EPSILON } from './loss.js';
export { FunctionLoss } from './registry.js';
export type {
  BinaryCrossentropyArgs,
  CategoricalCrossentropyArgs,
  CosineSimilarityArgs,
  HuberArgs,
  SparseCategoricalCrossentropyArgs,
};
export {
  BinaryCrossentropy,
  CategoricalCrossentropy,
  CategoricalHinge,
  CosineSimilarity,
  Hinge,
  Huber,
  KLDivergence,
  LogCosh,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  Poisson,
  SparseCategoricalCrossentropy,
  SquaredHinge,
};
