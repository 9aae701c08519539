/**
 * Dense: `activation(x · kernel + bias)`, every argument of `tf.keras.layers.Dense`.
 * The kernel has shape `[inputDim, units]`; inputs of rank > 2 are multiplied along
 * their last axis.
 *
 * ```ts
 * layers.dense({ units: 128, activation: 'relu', inputShape: [784] });
 * ```
 */
import {
  type DenseActivation,
  fusedDense,
  received,
  ShapeError,
  type Tensor,
  tf,
  ValueError,
} from '@tessera/core';
import { type ActivationFn, activations } from '../activations/index.js';
import type { Constraint } from '../constraints/index.js';
import type { CallContext } from '../engine/call-context.js';
import type { ActivationArg } from '../engine/identifiers.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { Weight } from '../engine/layer-weight.js';
import { receivedShape, type Shape, singleShape } from '../engine/shape.js';
import type { Initializer } from '../initializers/index.js';
import { initializers } from '../initializers/index.js';
import { checkArgs, positiveIntArg } from '../registry/checks.js';
import type { Regularizer } from '../regularizers/index.js';
import { resolveActivation, serializeConstraint, serializeRegularizer } from './common.js';
import { type KernelBiasArgs, kernelBiasWeights, resolveKernelBias } from './kernel-bias.js';

/** Activations the fused dense op applies itself (softmax along the units axis). */
const FUSED_ACTIVATIONS = new Map<ActivationFn, DenseActivation>([
  [activations.linear, 'linear'],
  [activations.relu, 'relu'],
  [activations.softmax, 'softmax'],
]);

/** Arguments of `layers.dense`. */
export interface DenseArgs extends LayerArgs, KernelBiasArgs {
  /** Number of output units (positive integer). */
  units: number;
  /** Applied to the output: a name ('relu', 'softmax', …), a function, or none (linear). */
  activation?: ActivationArg;
  /** Whether to add a bias vector (default true). */
  useBias?: boolean;
}

/** Kernel and bias as named weights. */
export class Dense extends Layer<'one'> {
  static override readonly className = 'Dense';
  readonly units: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | undefined;
  readonly biasRegularizer: Regularizer | undefined;
  readonly kernelConstraint: Constraint | undefined;
  readonly biasConstraint: Constraint | undefined;
  kernel: Weight | undefined;
  bias: Weight | undefined;

  constructor(args: DenseArgs) {
    checkArgs(args, 'Dense', '{ units, activation?, … }');
    super(args);
    this.units = positiveIntArg('Dense', 'units', args.units);
    this.activation = resolveActivation(args.activation, 'Dense');
    if (args.useBias !== undefined && typeof args.useBias !== 'boolean') {
      throw new ValueError(received('Dense: useBias must be a boolean', 'useBias', args.useBias));
    }
    this.useBias = args.useBias ?? true;
    const resolved = resolveKernelBias(args, 'Dense');
    this.kernelInitializer = resolved.kernelInitializer;
    this.biasInitializer = resolved.biasInitializer;
    this.kernelRegularizer = resolved.kernelRegularizer;
    this.biasRegularizer = resolved.biasRegularizer;
    this.kernelConstraint = resolved.kernelConstraint;
    this.biasConstraint = resolved.biasConstraint;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, 'Dense');
    const inputDim = shape.at(-1);
    if (shape.length < 2 || inputDim === null || inputDim === undefined) {
      throw new ShapeError(
        receivedShape(
          `Dense "${this.name}": the input needs rank ≥ 2 and a known last dimension`,
          shape,
        ),
      );
    }
    const specs = kernelBiasWeights(this, {
      kernelShape: [inputDim, this.units],
      biasShape: [this.units],
    });
    this.kernel = this.addWeight(specs.kernel);
    if (this.useBias) {
      this.bias = this.addWeight(specs.bias);
    }
    super.build(inputShape);
  }

  protected override checkInputShape(inputShape: Shape | Shape[]): void {
    super.checkInputShape(inputShape);
    const shape = singleShape(inputShape, 'Dense');
    const inputDim = this.kernel?.shape[0];
    if (shape.length < 2 || (shape.at(-1) !== null && shape.at(-1) !== inputDim)) {
      throw new ShapeError(
        receivedShape(
          `Dense "${this.name}" expects inputs of rank ≥ 2 whose last dimension is ${inputDim}`,
          shape,
        ),
      );
    }
  }

  override call(inputs: Tensor | Tensor[], _context?: CallContext): Tensor {
    const x = this.single(inputs);
    const kernel = (this.kernel as Weight).value;
    const bias = this.bias?.value;
    const flat = x.rank === 2 ? x : tf.reshape(x, [-1, x.shape.at(-1) as number]);
    // One recorded op with a fast gradient; other activations run after a linear one.
    const fused = FUSED_ACTIVATIONS.get(this.activation);
    const z = fusedDense({
      x: flat.dtype === 'float32' ? flat : tf.cast(flat, 'float32'),
      kernel,
      bias,
      activation: fused ?? 'linear',
    });
    const y = fused === undefined ? this.activation(z) : z;
    return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), this.units]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, 'Dense');
    return [...shape.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activations.serialize(this.activation),
      useBias: this.useBias,
      kernelInitializer: initializers.serialize(this.kernelInitializer),
      biasInitializer: initializers.serialize(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      activityRegularizer: serializeRegularizer(this.activityRegularizer),
      kernelConstraint: serializeConstraint(this.kernelConstraint),
      biasConstraint: serializeConstraint(this.biasConstraint),
    };
  }
}

/** A densely connected layer: `activation(x · kernel + bias)`. */
export function dense(args: DenseArgs): Dense {
  return new Dense(args);
}
