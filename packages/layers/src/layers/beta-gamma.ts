/**
 * The learned offset `beta` and scale `gamma` of the normalization layers
 * (BatchNormalization, LayerNormalization): their initializer, regularizer and constraint
 * options, checked and resolved once, and their config.
 */
import type { Constraint } from '../constraints/index.js';
import { keysOf } from '../engine/arg-keys.js';
import type { ConstraintArg, RegularizerArg } from '../engine/identifiers.js';
import { type InitializerIdentifier, initializers } from '../initializers/index.js';
import type { Regularizer } from '../regularizers/index.js';
import {
  initializerOr,
  optionalConstraint,
  optionalRegularizer,
  serializeConstraint,
  serializeRegularizer,
} from './common.js';

/** The options of `beta` and `gamma`. */
export interface BetaGammaArgs {
  /** Initial `beta` (default 'zeros'). */
  betaInitializer?: InitializerIdentifier;
  /** Initial `gamma` (default 'ones'). */
  gammaInitializer?: InitializerIdentifier;
  /** Penalty on `beta` added to the loss. */
  betaRegularizer?: RegularizerArg | null;
  /** Penalty on `gamma` added to the loss. */
  gammaRegularizer?: RegularizerArg | null;
  /** Applied to `beta` after each update. */
  betaConstraint?: ConstraintArg | null;
  /** Applied to `gamma` after each update. */
  gammaConstraint?: ConstraintArg | null;
}

/** The keys of {@link BetaGammaArgs}, for the `argKeys` of the layers that take them. */
export const BETA_GAMMA_ARG_KEYS = keysOf<BetaGammaArgs>()([
  'betaInitializer',
  'gammaInitializer',
  'betaRegularizer',
  'gammaRegularizer',
  'betaConstraint',
  'gammaConstraint',
]);

/** Those options resolved. */
export interface BetaGamma {
  readonly betaInitializer: ReturnType<typeof initializers.get>;
  readonly gammaInitializer: ReturnType<typeof initializers.get>;
  readonly betaRegularizer: Regularizer | undefined;
  readonly gammaRegularizer: Regularizer | undefined;
  readonly betaConstraint: Constraint | undefined;
  readonly gammaConstraint: Constraint | undefined;
}

/** Resolves the `beta`/`gamma` options of layer `owner` (errors name it). */
export function betaGammaOptions(owner: string, args: BetaGammaArgs): BetaGamma {
  return {
    betaInitializer: initializerOr(args.betaInitializer, 'zeros', `${owner}: betaInitializer`),
    gammaInitializer: initializerOr(args.gammaInitializer, 'ones', `${owner}: gammaInitializer`),
    betaRegularizer: optionalRegularizer(args.betaRegularizer, `${owner}: betaRegularizer`),
    gammaRegularizer: optionalRegularizer(args.gammaRegularizer, `${owner}: gammaRegularizer`),
    betaConstraint: optionalConstraint(args.betaConstraint, `${owner}: betaConstraint`),
    gammaConstraint: optionalConstraint(args.gammaConstraint, `${owner}: gammaConstraint`),
  };
}

/** The `beta`/`gamma` options as config keys. */
export function betaGammaConfig(o: BetaGamma): Record<string, unknown> {
  return {
    betaInitializer: initializers.serialize(o.betaInitializer),
    gammaInitializer: initializers.serialize(o.gammaInitializer),
    betaRegularizer: serializeRegularizer(o.betaRegularizer),
    gammaRegularizer: serializeRegularizer(o.gammaRegularizer),
    betaConstraint: serializeConstraint(o.betaConstraint),
    gammaConstraint: serializeConstraint(o.gammaConstraint),
  };
}
