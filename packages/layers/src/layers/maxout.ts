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
import type { Constraint } from '../constraints/index.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { Weight } from '../engine/layer-weight.js';
import { receivedShape, type Shape, singleShape } from '../engine/shape.js';
import { type Initializer, initializers } from '../initializers/index.js';
import { checkArgs, positiveIntArg } from '../registry/checks.js';
import type { Regularizer } from '../regularizers/index.js';
import { serializeConstraint, serializeRegularizer } from './common.js';
import { type KernelBiasArgs, kernelBiasWeights, resolveKernelBias } from './kernel-bias.js';

/** Arguments of `layers.maxout`. */
export interface MaxoutArgs extends LayerArgs, KernelBiasArgs {
  /** Number of output units (positive integer). */
  units: number;
  /** Affine pieces per unit (positive integer; 2 in the course's formula). */
  pieces: number;
  /** Whether each piece has a bias (default true). */
  useBias?: boolean;
}

/** Maxout units over `pieces` affine pieces (kernel `[in, units · pieces]`). */
export class Maxout extends Layer<'one'> {
  static override readonly className = 'Maxout';
  readonly units: number;
  readonly pieces: number;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | undefined;
  readonly biasRegularizer: Regularizer | undefined;
  readonly kernelConstraint: Constraint | undefined;
  readonly biasConstraint: Constraint | undefined;
  kernel: Weight | undefined;
  bias: Weight | undefined;

  constructor(args: MaxoutArgs) {
    checkArgs(args, 'Maxout', '{ units, pieces }');
    super(args);
    this.units = positiveIntArg('Maxout', 'units', args.units);
    this.pieces = positiveIntArg('Maxout', 'pieces', args.pieces);
    this.useBias = args.useBias ?? true;
    const resolved = resolveKernelBias(args, 'Maxout');
    this.kernelInitializer = resolved.kernelInitializer;
    this.biasInitializer = resolved.biasInitializer;
    this.kernelRegularizer = resolved.kernelRegularizer;
    this.biasRegularizer = resolved.biasRegularizer;
    this.kernelConstraint = resolved.kernelConstraint;
    this.biasConstraint = resolved.biasConstraint;
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
    const specs = kernelBiasWeights(this, { kernelShape: [inputDim, width], biasShape: [width] });
    this.kernel = this.addWeight(specs.kernel);
    if (this.useBias) {
      this.bias = this.addWeight(specs.bias);
    }
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

/** Maxout units: the maximum over `pieces` affine pieces. */
export function maxout(args: MaxoutArgs): Maxout {
  return new Maxout(args);
}
