/**
 * Softmax over one axis (default the last): `exp(x_i) / Σ_j exp(x_j)`.
 *
 * ```ts
 * layers.softmax({ axis: -1 });
 * ```
 */
import { received, ShapeError, type Tensor, tf, ValueError } from '@tessera/core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import { receivedShape, type Shape, singleShape } from '../engine/shape.js';

/** Arguments of `layers.softmax`. */
export interface SoftmaxArgs extends LayerArgs {
  /** Axis to normalise over (negative counts from the end; default -1). 0, the batch, is not allowed. */
  axis?: number;
}

/** Softmax over `axis`. */
export class Softmax extends Layer<'one'> {
  static override readonly className = 'Softmax';
  readonly axis: number;

  constructor(args: SoftmaxArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis) || axis === 0) {
      throw new ValueError(
        received('Softmax: axis must be a non-zero integer (axis 0 is the batch)', 'axis', axis),
      );
    }
    this.axis = axis;
  }

  protected override checkInputShape(inputShape: Shape | Shape[]): void {
    super.checkInputShape(inputShape);
    const shape = singleShape(inputShape, 'Softmax');
    const axis = this.axis < 0 ? shape.length + this.axis : this.axis;
    if (axis <= 0 || axis >= shape.length) {
      throw new ShapeError(
        receivedShape(`Softmax "${this.name}": axis ${this.axis} is outside the input`, shape),
      );
    }
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = this.single(inputs);
    const axis = this.axis < 0 ? x.rank + this.axis : this.axis;
    if (axis === x.rank - 1) return tf.softmax(x);
    const shifted = tf.sub(x, tf.max(x, axis, true));
    const e = tf.exp(shifted);
    return tf.div(e, tf.sum(e, axis, true));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/** Softmax activation over an axis. */
export function softmax(args: SoftmaxArgs = {}): Softmax {
  return new Softmax(args);
}
