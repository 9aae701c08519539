/**
 * Dropout: in training, zeroes each value with probability `rate` and scales the rest
 * by `1 / (1 - rate)`; in inference it passes the input through. Masks are drawn from a
 * seeded stream: the layer's own `seed`, else the training step's noise (keyed by `fit`'s
 * seed, the step and row chunks of the batch: engine/step-noise.ts), else the context's
 * stream or the process-wide one — so a seeded run is reproducible, and its masks are the
 * same on one thread, on any number of workers and on either training path.
 *
 * ```ts
 * layers.dropout({ rate: 0.2, seed: 7 });
 * ```
 */
import {
  Rng,
  type RngStream,
  received,
  ShapeError,
  type Tensor,
  tf,
  ValueError,
} from '@tessera/core';
import { keysOf } from '../engine/arg-keys.js';
import type { CallContext } from '../engine/call-context.js';
import { LAYER_ARG_KEYS, Layer, type LayerArgs } from '../engine/layer.js';
import { checkArgs, requireNumber, seedArg, UNIT_RATE } from '../registry/checks.js';
import { drawByRows } from './row-draws.js';

/** Arguments of `layers.dropout`. */
export interface DropoutArgs extends LayerArgs {
  /** Fraction of values dropped in training, in [0, 1). */
  rate: number;
  /** Seeds this layer's own mask stream (integer in [0, 2^32)). */
  seed?: number;
  /**
   * Shape of the mask, batch dimension included, broadcast over the input: a size of 1
   * shares one draw along that axis; null takes the input's size (`[null, 1]` drops whole
   * rows). Default: the input's shape.
   */
  noiseShape?: readonly (number | null)[] | null;
}

/** Inverted dropout, seeded, active only in training. */
export class Dropout extends Layer<'one'> {
  static override readonly className = 'Dropout';
  static override readonly argKeys: readonly string[] = keysOf<DropoutArgs>()([
    'rate',
    'seed',
    'noiseShape',
    ...LAYER_ARG_KEYS,
  ]);
  readonly rate: number;
  readonly seed: number | undefined;
  readonly noiseShape: readonly (number | null)[] | null;
  private readonly stream: RngStream | undefined;

  constructor(args: DropoutArgs) {
    checkArgs(args, 'Dropout', '{ rate, seed?, noiseShape? }');
    super(args);
    this.rate = requireNumber('Dropout', 'rate', args.rate, UNIT_RATE);
    this.seed = seedArg('Dropout', args.seed);
    this.noiseShape = checkNoiseShape('Dropout', args.noiseShape);
    this.stream = args.seed === undefined ? undefined : new Rng(args.seed).stream('dropout');
  }

  override call(inputs: Tensor | Tensor[], context: CallContext = { training: false }): Tensor {
    const x = this.single(inputs);
    if (!context.training || this.rate === 0) return x;
    const keep = 1 - this.rate;
    const scale = 1 / keep;
    const shape = maskShape('Dropout', this.noiseShape, x.shape);
    const perRow = shape[0] === x.shape[0] && this.noiseShape?.[0] !== 1;
    const mask = drawByRows(shape, perRow, context, this.stream, (stream, n) => {
      const m = new Float32Array(n);
      for (let i = 0; i < n; i++) m[i] = stream.next() < keep ? scale : 0;
      return m;
    });
    return tf.mul(x, tf.tensor(mask, shape, 'float32'));
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { ...super.getConfig(), rate: this.rate };
    if (this.seed !== undefined) config['seed'] = this.seed;
    if (this.noiseShape !== null) config['noiseShape'] = [...this.noiseShape];
    return config;
  }
}

/** A `noiseShape` argument: positive integers or nulls, one per input axis; null for none. */
export function checkNoiseShape(owner: string, value: unknown): readonly (number | null)[] | null {
  if (value === undefined || value === null) return null;
  if (
    !Array.isArray(value) ||
    !value.every((d) => d === null || (Number.isInteger(d) && (d as number) > 0))
  ) {
    throw new ValueError(
      received(
        `${owner}: noiseShape must be an array of positive integers or nulls`,
        'noiseShape',
        value,
      ),
    );
  }
  return [...value] as (number | null)[];
}

/**
 * The mask's shape for an input of `shape`: `noise` (a noiseShape) with nulls filled in,
 * each entry 1 (the mask is shared along that axis) or the input's size.
 */
export function maskShape(
  owner: string,
  noise: readonly (number | null)[] | null,
  shape: readonly number[],
): number[] {
  if (noise === null) return [...shape];
  if (noise.length !== shape.length) {
    throw new ShapeError(
      received(
        `${owner}: noiseShape must have one entry per input axis (${shape.length})`,
        'noiseShape',
        noise,
      ),
    );
  }
  return noise.map((d, i) => {
    const size = shape[i]!;
    if (d === null) return size;
    if (d !== 1 && d !== size) {
      throw new ShapeError(
        received(
          `${owner}: noiseShape[${i}] must be 1, null or the input's size ${size}`,
          'noiseShape',
          noise,
        ),
      );
    }
    return d;
  });
}

/** Randomly zeroes a fraction `rate` of the values in training. */
export function dropout(args: DropoutArgs): Dropout {
  return new Dropout(args);
}
