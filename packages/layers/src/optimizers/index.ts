/**
 * Optimizers as in-place update rules over Float32Array ranges, with caller-held state:
 * `optimizers.get('adam', { learningRate: 0.01 })`, `optimizers.serialize / deserialize / register`,
 * `optimizers.schedules.exponentialDecay(...)`, `createSlots(optimizer, length)`.
 */
import { Adadelta, type AdadeltaArgs } from './adadelta.js';
import { Adagrad, type AdagradArgs } from './adagrad.js';
import { Adam, type AdamArgs, AdamW, type AdamWArgs } from './adam.js';
import { Adamax, type AdamaxArgs } from './adamax.js';
import {
  InverseTimeDecay,
  type InverseTimeDecayArgs,
  inverseTimeDecay,
  PiecewiseConstantDecay,
  type PiecewiseConstantDecayArgs,
  PolynomialDecay,
  type PolynomialDecayArgs,
  piecewiseConstantDecay,
  polynomialDecay,
} from './decay-schedules.js';
import { Lion, type LionArgs } from './lion.js';
import { Nadam, type NadamArgs } from './nadam.js';
import { deserialize, get, names, register, serialize } from './registry.js';
import { RMSprop, type RMSpropArgs } from './rmsprop.js';
import {
  CosineDecay,
  cosineDecay,
  deserializeSchedule,
  ExponentialDecay,
  exponentialDecay,
  registerSchedule,
  serializeSchedule,
} from './schedules.js';
import { SGD, type SGDArgs } from './sgd.js';
import { createSlots } from './slots.js';

/** Learning-rate schedules: factories and their (de)serialization. */
export const schedules = {
  exponentialDecay,
  cosineDecay,
  piecewiseConstantDecay,
  polynomialDecay,
  inverseTimeDecay,
  serialize: serializeSchedule,
  deserialize: deserializeSchedule,
  register: registerSchedule,
};

/** The optimizer registry, a factory per built-in optimizer, schedules and slot allocation. */
export const optimizers = {
  get,
  serialize,
  deserialize,
  register,
  names,
  createSlots,
  schedules,
  /** SGD with optional (Nesterov) momentum. */
  sgd: (args?: SGDArgs): SGD => new SGD(args),
  /** Adam. */
  adam: (args?: AdamArgs): Adam => new Adam(args),
  /** AdamW (decoupled weight decay). */
  adamw: (args?: AdamWArgs): AdamW => new AdamW(args),
  /** RMSprop. */
  rmsprop: (args?: RMSpropArgs): RMSprop => new RMSprop(args),
  /** Adagrad. */
  adagrad: (args?: AdagradArgs): Adagrad => new Adagrad(args),
  /** Adadelta. */
  adadelta: (args?: AdadeltaArgs): Adadelta => new Adadelta(args),
  /** Adamax. */
  adamax: (args?: AdamaxArgs): Adamax => new Adamax(args),
  /** Nadam. */
  nadam: (args?: NadamArgs): Nadam => new Nadam(args),
  /** Lion. */
  lion: (args?: LionArgs): Lion => new Lion(args),
};

export type { OptimizerArgs, UpdateArgs, UpdateContext } from './optimizer.js';
export { Optimizer } from './optimizer.js';
export type { VariableRange } from './per-variable.js';
export type {
  OptimizerFactory,
  OptimizerIdentifier,
  OptimizerName,
  OptimizerOverrides,
  SerializedOptimizer,
} from './registry.js';
export type {
  CosineDecayArgs,
  ExponentialDecayArgs,
  LearningRateSchedule,
  SerializedSchedule,
} from './schedules.js';
export type {
  AdadeltaArgs,
  AdagradArgs,
  AdamArgs,
  AdamaxArgs,
  AdamWArgs,
  InverseTimeDecayArgs,
  LionArgs,
  NadamArgs,
  PiecewiseConstantDecayArgs,
  PolynomialDecayArgs,
  RMSpropArgs,
  SGDArgs,
};
export {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  CosineDecay,
  cosineDecay,
  createSlots,
  ExponentialDecay,
  exponentialDecay,
  InverseTimeDecay,
  inverseTimeDecay,
  Lion,
  Nadam,
  PiecewiseConstantDecay,
  PolynomialDecay,
  piecewiseConstantDecay,
  polynomialDecay,
  RMSprop,
  SGD,
};
