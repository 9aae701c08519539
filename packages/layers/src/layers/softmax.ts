/**
 * Softmax over one axis (default the last) or several: `exp(x_i) / Σ_j exp(x_j)`.
 *
 * ```ts
 * layers.softmax({ axis: -1 });
 * ```
 */
import { received, ShapeError, type Tensor, tf, ValueError } from '@tessera/core';
import { keysOf } from '../engine/arg-keys.js';
import { LAYER_ARG_KEYS, Layer, type LayerArgs } from '../engine/layer.js';
import { receivedShape, type Shape, singleShape } from '../engine/shape.js';

/** Arguments of `layers.softmax`. */
export interface SoftmaxArgs extends LayerArgs {
  /**
   * Axis to normalise over, or several (Keras 3: the joint slice sums to one); negative
   * counts from the end; default -1. 0, the batch, is not allowed.
   */
  axis?: number | number[];
}

/** Softmax over `axis` (one axis or several). */
export class Softmax extends Layer<'one'> {
  static override readonly className = 'Softmax';
  static override readonly argKeys: readonly string[] = keysOf<SoftmaxArgs>()([
    'axis',
    ...LAYER_ARG_KEYS,
  ]);
  readonly axis: number | number[];

  constructor(args: SoftmaxArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    const list = Array.isArray(axis) ? axis : [axis];
    if (
      list.length === 0 ||
      !list.every((a) => Number.isInteger(a) && a !== 0) ||
      new Set(list).size !== list.length
    ) {
      throw new ValueError(
        received(
          'Softmax: axis must be a non-zero integer or a list of distinct ones (axis 0 is the batch)',
          'axis',
          axis,
        ),
      );
    }
    // One axis is kept as a number, the form every existing config and exporter reads.
    this.axis = list.length === 1 ? (list[0] as number) : [...list];
  }

  /** The axes as non-negative indices for an input of rank `rank`. */
  private axesFor(rank: number): number[] {
    return (Array.isArray(this.axis) ? this.axis : [this.axis]).map((a) => (a < 0 ? rank + a : a));
  }

  protected override checkInputShape(inputShape: Shape | Shape[]): void {
    super.checkInputShape(inputShape);
    const shape = singleShape(inputShape, 'Softmax');
    const axes = this.axesFor(shape.length);
    if (axes.some((a) => a <= 0 || a >= shape.length) || new Set(axes).size !== axes.length) {
      throw new ShapeError(
        receivedShape(
          `Softmax "${this.name}": axis ${JSON.stringify(this.axis)} is outside the input`,
          shape,
        ),
      );
    }
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = this.single(inputs);
    const axes = this.axesFor(x.rank);
    if (axes.length === 1 && axes[0] === x.rank - 1) return tf.softmax(x);
    const shifted = tf.sub(x, tf.max(x, axes, true));
    const e = tf.exp(shifted);
    return tf.div(e, tf.sum(e, axes, true));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: Array.isArray(this.axis) ? [...this.axis] : this.axis };
  }
}

/** Softmax activation over an axis. */
export function softmax(args: SoftmaxArgs = {}): Softmax {
  return new Softmax(args);
}
