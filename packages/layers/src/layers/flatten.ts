/**
 * Flatten: `[batch, d1, d2, …]` → `[batch, d1·d2·…]` (no weights).
 *
 * ```ts
 * layers.flatten({ inputShape: [28, 28] });   // output (None, 784)
 * ```
 */
import type { Tensor } from '@tessera/core';
import { tf } from '@tessera/core';
import { keysOf } from '../engine/arg-keys.js';
import { LAYER_ARG_KEYS, Layer, type LayerArgs } from '../engine/layer.js';
import { type Shape, singleShape } from '../engine/shape.js';

/** Arguments of `layers.flatten`. */
export type FlattenArgs = LayerArgs;

/** Reshapes each example to one axis. */
export class Flatten extends Layer<'one'> {
  static override readonly className = 'Flatten';
  static override readonly argKeys: readonly string[] = keysOf<FlattenArgs>()([...LAYER_ARG_KEYS]);

  constructor(args: FlattenArgs = {}) {
    super(args);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = this.single(inputs);
    return tf.reshape(x, [x.shape[0] as number, -1]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, 'Flatten');
    const rest = shape.slice(1);
    const size = rest.some((d) => d === null)
      ? null
      : rest.reduce<number>((a, d) => a * (d as number), 1);
    return [shape[0] ?? null, size];
  }
}

/** Flattens every example to one axis. */
export function flatten(args: FlattenArgs = {}): Flatten {
  return new Flatten(args);
}
