/**
 * Layers that join several inputs: `concatenate` (along an axis) and `add`
 * (elementwise). They make multi-input functional models useful.
 *
 * ```ts
 * const a = input({ shape: [4] });
 * const b = input({ shape: [2] });
 * const joined = layers.concatenate().apply([a, b]);   // (None, 6)
 * ```
 */
import { received, ShapeError, type Tensor, tf, ValueError } from '@tessera/core';
import { keysOf } from '../engine/arg-keys.js';
import { LAYER_ARG_KEYS, Layer, type LayerArgs } from '../engine/layer.js';
import { formatShape, isShapeList, type Shape } from '../engine/shape.js';

function shapeList(shape: Shape | Shape[], owner: string): Shape[] {
  if (!isShapeList(shape) || shape.length < 2) {
    throw new ValueError(
      received(
        `${owner} needs a list of at least 2 inputs`,
        'inputs',
        isShapeList(shape) ? shape.length : 1,
      ),
    );
  }
  return shape;
}

/** Arguments of `layers.concatenate`. */
export interface ConcatenateArgs extends LayerArgs {
  /** Axis to join along (default -1; not the batch axis). */
  axis?: number;
}

/** Joins its inputs along `axis`. */
export class Concatenate extends Layer<'one'> {
  static override readonly className = 'Concatenate';
  static override readonly argKeys: readonly string[] = keysOf<ConcatenateArgs>()([
    'axis',
    ...LAYER_ARG_KEYS,
  ]);
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args);
    const axis = args.axis ?? -1;
    if (!Number.isInteger(axis) || axis === 0) {
      throw new ValueError(
        received(
          'Concatenate: axis must be a non-zero integer (axis 0 is the batch)',
          'axis',
          axis,
        ),
      );
    }
    this.axis = axis;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const rank = (list[0] as Tensor).rank;
    return tf.concat(list, this.axis < 0 ? rank + this.axis : this.axis);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = shapeList(inputShape, 'Concatenate');
    const first = shapes[0] as Shape;
    const axis = this.axis < 0 ? first.length + this.axis : this.axis;
    const out = [...first];
    for (const s of shapes.slice(1)) {
      const fits =
        s.length === first.length &&
        s.every(
          (d, i) => i === axis || i === 0 || d === first[i] || d === null || first[i] === null,
        );
      if (!fits || axis <= 0 || axis >= first.length) {
        throw new ShapeError(
          received(
            `Concatenate "${this.name}": inputs must match except along axis ${this.axis}`,
            'shapes',
            shapes.map(formatShape).join(' '),
          ),
        );
      }
      const a = out[axis] ?? null;
      const b = s[axis] ?? null;
      out[axis] = a === null || b === null ? null : a + b;
    }
    return out;
  }

  protected override checkInputShape(inputShape: Shape | Shape[]): void {
    this.computeOutputShape(inputShape);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/** Arguments of `layers.add`. */
export type AddArgs = LayerArgs;

/** Adds its inputs elementwise. */
export class Add extends Layer<'one'> {
  static override readonly className = 'Add';
  static override readonly argKeys: readonly string[] = keysOf<AddArgs>()([...LAYER_ARG_KEYS]);

  constructor(args: AddArgs = {}) {
    super(args);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    return list.slice(1).reduce((acc, t) => tf.add(acc, t), list[0] as Tensor);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = shapeList(inputShape, 'Add');
    const first = shapes[0] as Shape;
    for (const s of shapes) {
      if (
        s.length !== first.length ||
        s.some((d, i) => d !== null && first[i] !== null && d !== first[i])
      ) {
        throw new ShapeError(
          received(
            `Add "${this.name}": inputs must have the same shape`,
            'shapes',
            shapes.map(formatShape).join(' '),
          ),
        );
      }
    }
    return [...first];
  }

  protected override checkInputShape(inputShape: Shape | Shape[]): void {
    this.computeOutputShape(inputShape);
  }
}

/** Joins inputs along an axis. */
export function concatenate(args: ConcatenateArgs = {}): Concatenate {
  return new Concatenate(args);
}

/** Adds inputs elementwise. */
export function add(args: AddArgs = {}): Add {
  return new Add(args);
}
