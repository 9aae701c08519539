/**
 * Dense: `activation(x · kernel + bias)`, every argument of `tf.keras.layers.Dense`.
 * The kernel has shape `[inputDim, units]`; inputs of rank > 2 are multiplied along
 * their last axis.
 *
 * ```ts
 * layers.dense({ units: 128, activation: 'relu', inputShape: [784] });
 * ```
 */
import { fusedDense, ShapeError, type Tensor, tf } from '@tessera/core';
import { type ActivationFn, activations } from '../activations/index.js';
import { keysOf } from '../engine/arg-keys.js';
import type { CallContext } from '../engine/call-context.js';
import type { ActivationArg } from '../engine/identifiers.js';
import { LAYER_ARG_KEYS, type LayerArgs } from '../engine/layer.js';
import type { Weight } from '../engine/layer-weight.js';
import { receivedShape, type Shape, singleShape } from '../engine/shape.js';
import { positiveIntArg } from '../registry/checks.js';
import { activationOutputShape, resolveActivation, serializeRegularizer } from './common.js';
import { KERNEL_BIAS_ARG_KEYS, type KernelBiasArgs, KernelBiasLayer } from './kernel-bias.js';

/** Arguments of `layers.dense`. */
export interface DenseArgs extends LayerArgs, KernelBiasArgs {
  /** Number of output units (positive integer). */
  units: number;
  /** Applied to the output: a name ('relu', 'softmax', …), a function, or none (linear). */
  activation?: ActivationArg;
}

/** Kernel and bias as named weights. */
export class Dense extends KernelBiasLayer {
  static override readonly className = 'Dense';
  static override readonly argKeys: readonly string[] = keysOf<DenseArgs>()([
    'units',
    'activation',
    ...KERNEL_BIAS_ARG_KEYS,
    ...LAYER_ARG_KEYS,
  ]);
  readonly units: number;
  readonly activation: ActivationFn;

  constructor(args: DenseArgs) {
    super(args, 'Dense', '{ units, activation?, … }');
    this.units = positiveIntArg('Dense', 'units', args.units);
    this.activation = resolveActivation(args.activation, 'Dense');
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
    this.addKernelBias([inputDim, this.units], [this.units]);
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
    // One recorded op with a fast gradient when the activation says the op applies it;
    // other activations run after a linear one.
    const fused = this.activation.fusedDense;
    const z = fusedDense({
      x: flat.dtype === 'float32' ? flat : tf.cast(flat, 'float32'),
      kernel,
      bias,
      activation: fused ?? 'linear',
    });
    const y = fused === undefined ? this.activation(z) : z;
    return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), y.shape[y.rank - 1]!]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, 'Dense');
    return activationOutputShape(this.activation, [...shape.slice(0, -1), this.units]);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activations.serialize(this.activation),
      ...this.kernelBiasConfig(),
      activityRegularizer: serializeRegularizer(this.activityRegularizer),
    };
  }
}

/** A densely connected layer: `activation(x · kernel + bias)`. */
export function dense(args: DenseArgs): Dense {
  return new Dense(args);
}
