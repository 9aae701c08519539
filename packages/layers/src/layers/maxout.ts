/**
 * Maxout: each unit is the largest of `pieces` affine functions of the input,
 * `y_u = max_k (x · W[:, u·pieces + k] + b[u·pieces + k])` — the course's
 * `max(w1ᵀx + b1, w2ᵀx + b2)` with pieces = 2.
 *
 * Weight layout: kernel `[inputDim, units · pieces]` and bias `[units · pieces]`; the
 * pieces of one unit are adjacent columns (column `u · pieces + k` is piece k of unit u).
 *
 * ```ts
 * layers.maxout({ units: 16, pieces: 2 });
 * ```
 */
import { ShapeError, type Tensor, tf } from '@tessera/core';
import { keysOf } from '../engine/arg-keys.js';
import { LAYER_ARG_KEYS, type LayerArgs } from '../engine/layer.js';
import type { Weight } from '../engine/layer-weight.js';
import { receivedShape, type Shape, singleShape } from '../engine/shape.js';
import { positiveIntArg } from '../registry/checks.js';
import { KERNEL_BIAS_ARG_KEYS, type KernelBiasArgs, KernelBiasLayer } from './kernel-bias.js';

/** Arguments of `layers.maxout`. */
export interface MaxoutArgs extends LayerArgs, KernelBiasArgs {
  /** Number of output units (positive integer). */
  units: number;
  /** Affine pieces per unit (positive integer; 2 in the course's formula). */
  pieces: number;
}

/** Maxout units over `pieces` affine pieces (kernel `[in, units · pieces]`). */
export class Maxout extends KernelBiasLayer {
  static override readonly className = 'Maxout';
  static override readonly argKeys: readonly string[] = keysOf<MaxoutArgs>()([
    'units',
    'pieces',
    ...KERNEL_BIAS_ARG_KEYS,
    ...LAYER_ARG_KEYS,
  ]);
  readonly units: number;
  readonly pieces: number;

  constructor(args: MaxoutArgs) {
    super(args, 'Maxout', '{ units, pieces }');
    this.units = positiveIntArg('Maxout', 'units', args.units);
    this.pieces = positiveIntArg('Maxout', 'pieces', args.pieces);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, 'Maxout');
    const inputDim = shape.at(-1);
    if (shape.length !== 2 || inputDim === null || inputDim === undefined) {
      throw new ShapeError(
        receivedShape(
          `Maxout "${this.name}" expects inputs (batch, features) with known features`,
          shape,
        ),
      );
    }
    const width = this.units * this.pieces;
    this.addKernelBias([inputDim, width], [width]);
    super.build(inputShape);
  }

  protected override checkInputShape(inputShape: Shape | Shape[]): void {
    super.checkInputShape(inputShape);
    const shape = singleShape(inputShape, 'Maxout');
    const inputDim = this.kernel?.shape[0];
    if (shape.length !== 2 || (shape[1] !== null && shape[1] !== inputDim)) {
      throw new ShapeError(
        receivedShape(`Maxout "${this.name}" expects inputs (batch, ${inputDim})`, shape),
      );
    }
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = this.single(inputs);
    const z = tf.fused.matMul({
      a: x as tf.Tensor2D,
      b: (this.kernel as Weight).value as tf.Tensor2D,
      ...(this.bias === undefined ? {} : { bias: this.bias.value }),
    });
    return tf.max(tf.reshape(z, [x.shape[0] as number, this.units, this.pieces]), -1);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, 'Maxout');
    return [shape[0] ?? null, this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      pieces: this.pieces,
      ...this.kernelBiasConfig(),
    };
  }
}

/** Maxout units: the maximum over `pieces` affine pieces. */
export function maxout(args: MaxoutArgs): Maxout {
  return new Maxout(args);
}
