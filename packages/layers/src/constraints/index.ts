/**
 * `constraints`: projections applied to weights after each optimizer update.
 *
 * ```ts
 * import { constraints } from '@tessera/layers';
 * layers.dense({ units: 8, kernelConstraint: constraints.maxNorm({ maxValue: 3 }), biasConstraint: 'non_neg' });
 * ```
 */
import { NonNeg } from './non-neg.js';
import type { MaxNormArgs, MinMaxNormArgs, UnitNormArgs } from './norm-constraints.js';
import { MaxNorm, MinMaxNorm, UnitNorm } from './norm-constraints.js';
import { deserialize, get, names, register, serialize } from './registry.js';

/** Caps the norm of each slice along `axis` at `maxValue` (defaults 2, axis 0). */
function maxNorm(args?: MaxNormArgs): MaxNorm {
  return new MaxNorm(args);
}

/** Sets negative weights to 0. */
function nonNeg(): NonNeg {
  return new NonNeg();
}

/** Scales each slice along `axis` to norm 1 (default axis 0). */
function unitNorm(args?: UnitNormArgs): UnitNorm {
  return new UnitNorm(args);
}

/** Moves each slice's norm toward [minValue, maxValue] (defaults 0, 1, rate 1, axis 0). */
function minMaxNorm(args?: MinMaxNormArgs): MinMaxNorm {
  return new MinMaxNorm(args);
}

/** The constraint registry and factories. */
export const constraints = {
  get,
  serialize,
  deserialize,
  register,
  names,
  maxNorm,
  nonNeg,
  unitNorm,
  minMaxNorm,
} as const;

export type { Axis, Constraint } from './constraint.js';
export { EPSILON, isConstraint } from './constraint.js';
export { NonNeg } from './non-neg.js';
export type { MaxNormArgs, MinMaxNormArgs, UnitNormArgs } from './norm-constraints.js';
export { MaxNorm, MinMaxNorm, UnitNorm } from './norm-constraints.js';
export type {
  ConstraintIdentifier,
  ConstraintName,
  CustomConstraintName,
  SerializedConstraint,
} from './registry.js';
export { CONSTRAINT_NAMES } from './registry.js';
