/**
 * Reshape: every example to `targetShape` (one entry may be -1: inferred from the size).
 *
 * ```ts
 * layers.reshape({ targetShape: [7, -1], inputShape: [28] });   // output (None, 7, 4)
 * ```
 */
import { received, ShapeError, type Tensor, tf, ValueError } from '@tessera/core';
import { keysOf } from '../engine/arg-keys.js';
import { LAYER_ARG_KEYS, Layer, type LayerArgs } from '../engine/layer.js';
import { formatShape, type Shape, singleShape } from '../engine/shape.js';
import { checkArgs } from '../registry/checks.js';

/** Arguments of `layers.reshape`. */
export interface ReshapeArgs extends LayerArgs {
  /** Shape of one example after the layer, without the batch; at most one -1. */
  targetShape: number[];
}

/** Reshapes each example to `targetShape`. */
export class Reshape extends Layer<'one'> {
  static override readonly className = 'Reshape';
  static override readonly argKeys: readonly string[] = keysOf<ReshapeArgs>()([
    'targetShape',
    ...LAYER_ARG_KEYS,
  ]);
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    checkArgs(args, 'Reshape', '{ targetShape }');
    super(args);
    const t = args.targetShape;
    const valid =
      Array.isArray(t) &&
      t.length > 0 &&
      t.every((d) => Number.isInteger(d) && (d > 0 || d === -1)) &&
      t.filter((d) => d === -1).length <= 1;
    if (!valid) {
      throw new ValueError(
        received(
          'Reshape: targetShape must be a non-empty list of positive integers with at most one -1',
          'targetShape',
          t,
        ),
      );
    }
    this.targetShape = [...t];
  }

  /** The per-example output shape for `size` values per example. */
  private resolve(size: number | null, inputShape: Shape): (number | null)[] {
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, d) => a * d, 1);
    const hasFree = this.targetShape.includes(-1);
    if (size === null) return this.targetShape.map((d) => (d === -1 ? null : d));
    if ((hasFree && size % known !== 0) || (!hasFree && size !== known)) {
      throw new ShapeError(
        received(
          `Reshape "${this.name}": cannot reshape ${size} values per example into ${formatShape(this.targetShape)}`,
          'inputShape',
          formatShape(inputShape),
        ),
      );
    }
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  protected override checkInputShape(inputShape: Shape | Shape[]): void {
    super.checkInputShape(inputShape);
    this.computeOutputShape(inputShape);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = this.single(inputs);
    const dims = this.resolve(x.size / (x.shape[0] || 1), [null, ...x.shape.slice(1)]) as number[];
    return tf.reshape(x, [x.shape[0] as number, ...dims]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, 'Reshape');
    const rest = shape.slice(1);
    const size = rest.some((d) => d === null)
      ? null
      : rest.reduce<number>((a, d) => a * (d as number), 1);
    return [shape[0] ?? null, ...this.resolve(size, shape)];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}

/** Reshapes every example to `targetShape`. */
export function reshape(args: ReshapeArgs): Reshape {
  return new Reshape(args);
}
