/**
 * The kernel and bias of a densely connected layer (Dense, Maxout): resolving their
 * initializer, regularizer and constraint arguments, and the `addWeight` options of both.
 *
 * ```ts
 * const resolved = resolveKernelBias(args, 'Dense');
 * const specs = kernelBiasWeights(resolved, { kernelShape: [inputDim, units], biasShape: [units] });
 * ```
 */
import type { Constraint } from '../constraints/index.js';
import type { ConstraintArg, InitializerArg, RegularizerArg } from '../engine/identifiers.js';
import type { AddWeightOptions } from '../engine/layer-weight.js';
import type { Initializer } from '../initializers/index.js';
import type { Regularizer } from '../regularizers/index.js';
import { initializerOr, optionalConstraint, optionalRegularizer } from './common.js';

/** The kernel and bias arguments a dense-like layer accepts. */
export interface KernelBiasArgs {
  /** Initial kernel values (default 'glorot_uniform'). */
  kernelInitializer?: InitializerArg;
  /** Initial bias values (default 'zeros'). */
  biasInitializer?: InitializerArg;
  /** Penalty on the kernel added to the loss (e.g. 'l2'). */
  kernelRegularizer?: RegularizerArg | null;
  /** Penalty on the bias added to the loss. */
  biasRegularizer?: RegularizerArg | null;
  /** Applied to the kernel after each update (e.g. 'max_norm'). */
  kernelConstraint?: ConstraintArg | null;
  /** Applied to the bias after each update. */
  biasConstraint?: ConstraintArg | null;
}

/** {@link KernelBiasArgs} resolved to objects. */
export interface KernelBias {
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | undefined;
  readonly biasRegularizer: Regularizer | undefined;
  readonly kernelConstraint: Constraint | undefined;
  readonly biasConstraint: Constraint | undefined;
}

/**
 * Resolves the kernel and bias arguments (defaults 'glorot_uniform' and 'zeros'); errors
 * name the argument as `${owner}: kernelInitializer` and so on.
 */
export function resolveKernelBias(args: KernelBiasArgs, owner: string): KernelBias {
  return {
    kernelInitializer: initializerOr(
      args.kernelInitializer,
      'glorot_uniform',
      `${owner}: kernelInitializer`,
    ),
    biasInitializer: initializerOr(args.biasInitializer, 'zeros', `${owner}: biasInitializer`),
    kernelRegularizer: optionalRegularizer(args.kernelRegularizer, `${owner}: kernelRegularizer`),
    biasRegularizer: optionalRegularizer(args.biasRegularizer, `${owner}: biasRegularizer`),
    kernelConstraint: optionalConstraint(args.kernelConstraint, `${owner}: kernelConstraint`),
    biasConstraint: optionalConstraint(args.biasConstraint, `${owner}: biasConstraint`),
  };
}

/** The `addWeight` options of the weights named 'kernel' and 'bias' with the given shapes. */
export function kernelBiasWeights(
  resolved: KernelBias,
  shapes: { kernelShape: number[]; biasShape: number[] },
): { kernel: AddWeightOptions; bias: AddWeightOptions } {
  return {
    kernel: {
      name: 'kernel',
      shape: shapes.kernelShape,
      initializer: resolved.kernelInitializer,
      regularizer: resolved.kernelRegularizer,
      constraint: resolved.kernelConstraint,
    },
    bias: {
      name: 'bias',
      shape: shapes.biasShape,
      initializer: resolved.biasInitializer,
      regularizer: resolved.biasRegularizer,
      constraint: resolved.biasConstraint,
    },
  };
}
