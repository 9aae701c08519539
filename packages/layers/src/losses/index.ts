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
import type { Reduction, ReductionArgs } from './reduction.js';
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
  meanSquaredError: (args?: ReductionArgs): MeanSquaredError => new MeanSquaredError(args),
  /** Mean absolute error loss. */
  meanAbsoluteError: (args?: ReductionArgs): MeanAbsoluteError => new MeanAbsoluteError(args),
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
  meanAbsolutePercentageError: (args?: ReductionArgs): MeanAbsolutePercentageError =>
    new MeanAbsolutePercentageError(args),
  /** Mean squared logarithmic error. */
  meanSquaredLogarithmicError: (args?: ReductionArgs): MeanSquaredLogarithmicError =>
    new MeanSquaredLogarithmicError(args),
  /** Log-cosh. */
  logCosh: (args?: ReductionArgs): LogCosh => new LogCosh(args),
  /** Hinge. */
  hinge: (args?: ReductionArgs): Hinge => new Hinge(args),
  /** Squared hinge. */
  squaredHinge: (args?: ReductionArgs): SquaredHinge => new SquaredHinge(args),
  /** Categorical hinge. */
  categoricalHinge: (args?: ReductionArgs): CategoricalHinge => new CategoricalHinge(args),
  /** Kullback-Leibler divergence. */
  klDivergence: (args?: ReductionArgs): KLDivergence => new KLDivergence(args),
  /** Poisson. */
  poisson: (args?: ReductionArgs): Poisson => new Poisson(args),
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
export { REDUCTIONS } from './reduction.js';
export { FunctionLoss } from './registry.js';
export type {
  BinaryCrossentropyArgs,
  CategoricalCrossentropyArgs,
  CosineSimilarityArgs,
  HuberArgs,
  Reduction,
  ReductionArgs,
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
