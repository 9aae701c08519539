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
import type { ConstraintArg, InitializerArg, RegularizerArg } from '../engine/identifiers.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { Weight } from '../engine/layer-weight.js';
import { receivedShape, type Shape, singleShape } from '../engine/shape.js';
import { type Initializer, initializers } from '../initializers/index.js';
import type { Regularizer } from '../regularizers/index.js';
import {
  checkArgs,
  checkPositiveInt,
  initializerOr,
  optionalConstraint,
  optionalRegularizer,
  serializeConstraint,
  serializeRegularizer,
} from './common.js';

/** Arguments of `layers.maxout`. */
export interface MaxoutArgs extends LayerArgs {
  /** Number of output units (positive integer). */
  units: number;
  /** Affine pieces per unit (positive integer; 2 in the course's formula). */
  pieces: number;
  /** Whether each piece has a bias (default true). */
  useBias?: boolean;
  /** Initial kernel values (default 'glorot_uniform'). */
  kernelInitializer?: InitializerArg;
  /** Initial bias values (default 'zeros'). */
  biasInitializer?: InitializerArg;
  /** Penalty on the kernel added to the loss. */
  kernelRegularizer?: RegularizerArg | null;
  /** Penalty on the bias added to the loss. */
  biasRegularizer?: RegularizerArg | null;
  /** Applied to the kernel after each update. */
  kernelConstraint?: ConstraintArg | null;
  /** Applied to the bias after each update. */
  biasConstraint?: ConstraintArg | null;
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
    this.units = checkPositiveInt(args.units, 'Maxout', 'units');
    this.pieces = checkPositiveInt(args.pieces, 'Maxout', 'pieces');
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializerOr(
      args.kernelInitializer,
      'glorot_uniform',
      'Maxout: kernelInitializer',
    );
    this.biasInitializer = initializerOr(args.biasInitializer, 'zeros', 'Maxout: biasInitializer');
    this.kernelRegularizer = optionalRegularizer(
      args.kernelRegularizer,
      'Maxout: kernelRegularizer',
    );
    this.biasRegularizer = optionalRegularizer(args.biasRegularizer, 'Maxout: biasRegularizer');
    this.kernelConstraint = optionalConstraint(args.kernelConstraint, 'Maxout: kernelConstraint');
    this.biasConstraint = optionalConstraint(args.biasConstraint, 'Maxout: biasConstraint');
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
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [inputDim, width],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: [width],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
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
