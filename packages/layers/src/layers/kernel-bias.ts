/**
 * The kernel and bias of a densely connected layer (Dense, Maxout), in one place: their
 * arguments (`useBias` and the initializer, regularizer and constraint of each), the fields
 * they resolve to, the weights they make and their part of `getConfig`.
 *
 * ```ts
 * class Dense extends KernelBiasLayer {
 *   constructor(args: DenseArgs) { super(args, 'Dense', '{ units, activation?, … }'); … }
 *   build(shape) { this.addKernelBias([inputDim, this.units], [this.units]); … }
 * }
 * ```
 */
import { received, ValueError } from '@tessera/core';
import type { Constraint } from '../constraints/index.js';
import { keysOf } from '../engine/arg-keys.js';
import type { ConstraintArg, InitializerArg, RegularizerArg } from '../engine/identifiers.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { AddWeightOptions, Weight } from '../engine/layer-weight.js';
import { type Initializer, initializers } from '../initializers/index.js';
import { checkArgs } from '../registry/checks.js';
import type { Regularizer } from '../regularizers/index.js';
import {
  initializerOr,
  optionalConstraint,
  optionalRegularizer,
  serializeConstraint,
  serializeRegularizer,
} from './common.js';

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
  /** Whether to add a bias vector (default true). */
  useBias?: boolean;
}

/** The keys of {@link KernelBiasArgs}, for the `argKeys` of the layers that take them. */
export const KERNEL_BIAS_ARG_KEYS = keysOf<KernelBiasArgs>()([
  'useBias',
  'kernelInitializer',
  'biasInitializer',
  'kernelRegularizer',
  'biasRegularizer',
  'kernelConstraint',
  'biasConstraint',
]);

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

/**
 * A layer with a kernel and an optional bias (Dense, Maxout): validates and resolves the
 * {@link KernelBiasArgs} (errors name the layer: `Maxout: useBias must be a boolean.
 * Received: useBias=1`), adds both weights, and serializes them.
 */
export abstract class KernelBiasLayer extends Layer<'one'> implements KernelBias {
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | undefined;
  readonly biasRegularizer: Regularizer | undefined;
  readonly kernelConstraint: Constraint | undefined;
  readonly biasConstraint: Constraint | undefined;
  kernel: Weight | undefined;
  bias: Weight | undefined;

  /** `owner` names the layer class in errors; `expected` shows its arguments (`'{ units, … }'`). */
  constructor(args: LayerArgs & KernelBiasArgs, owner: string, expected: string) {
    checkArgs(args, owner, expected);
    super(args);
    if (args.useBias !== undefined && typeof args.useBias !== 'boolean') {
      throw new ValueError(
        received(`${owner}: useBias must be a boolean`, 'useBias', args.useBias),
      );
    }
    this.useBias = args.useBias ?? true;
    const resolved = resolveKernelBias(args, owner);
    this.kernelInitializer = resolved.kernelInitializer;
    this.biasInitializer = resolved.biasInitializer;
    this.kernelRegularizer = resolved.kernelRegularizer;
    this.biasRegularizer = resolved.biasRegularizer;
    this.kernelConstraint = resolved.kernelConstraint;
    this.biasConstraint = resolved.biasConstraint;
  }

  /** Adds the kernel, and the bias when `useBias`. */
  protected addKernelBias(kernelShape: number[], biasShape: number[]): void {
    const specs = kernelBiasWeights(this, { kernelShape, biasShape });
    this.kernel = this.addWeight(specs.kernel);
    if (this.useBias) this.bias = this.addWeight(specs.bias);
  }

  /** The config keys of the kernel and bias arguments. */
  protected kernelBiasConfig(): Record<string, unknown> {
    return {
      useBias: this.useBias,
      kernelInitializer: initializers.serialize(this.kernelInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      kernelConstraint: serializeConstraint(this.kernelConstraint),
      biasConstraint: serializeConstraint(this.biasConstraint),
    };
  }
}
