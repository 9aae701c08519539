/**
 * Dropout: in training, zeroes each value with probability `rate` and scales the rest
 * by `1 / (1 - rate)`; in inference it passes the input through. Masks are drawn from a
 * seeded stream: the layer's own `seed`, else the training step's stream (seeded by
 * `fit`'s seed), else the process-wide one — so a seeded run is reproducible.
 *
 * ```ts
 * layers.dropout({ rate: 0.2, seed: 7 });
 * ```
 */
import { Rng, type RngStream, received, type Tensor, tf, ValueError } from '@tessera/core';
import type { CallContext } from '../engine/call-context.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import { globalStream } from '../engine/seed.js';
import { checkArgs, requireNumber, UNIT_RATE } from '../registry/checks.js';

/** Arguments of `layers.dropout`. */
export interface DropoutArgs extends LayerArgs {
  /** Fraction of values dropped in training, in [0, 1). */
  rate: number;
  /** Seeds this layer's own mask stream (integer in [0, 2^32)). */
  seed?: number;
}

/** Inverted dropout, seeded, active only in training. */
export class Dropout extends Layer<'one'> {
  static override readonly className = 'Dropout';
  readonly rate: number;
  readonly seed: number | undefined;
  private readonly stream: RngStream | undefined;

  constructor(args: DropoutArgs) {
    checkArgs(args, 'Dropout', '{ rate, seed? }');
    super(args);
    this.rate = requireNumber('Dropout', 'rate', args.rate, UNIT_RATE);
    if (
      args.seed !== undefined &&
      (!Number.isInteger(args.seed) || args.seed < 0 || args.seed > 0xffffffff)
    ) {
      throw new ValueError(
        received('Dropout: seed must be an integer in [0, 2^32)', 'seed', args.seed),
      );
    }
    this.seed = args.seed;
    this.stream = args.seed === undefined ? undefined : new Rng(args.seed).stream('dropout');
  }

  override call(inputs: Tensor | Tensor[], context: CallContext = { training: false }): Tensor {
    const x = this.single(inputs);
    if (!context.training || this.rate === 0) return x;
    const stream = this.stream ?? context.rng ?? globalStream('dropout');
    const keep = 1 - this.rate;
    const scale = 1 / keep;
    const mask = new Float32Array(x.size);
    for (let i = 0; i < mask.length; i++) mask[i] = stream.next() < keep ? scale : 0;
    return tf.mul(x, tf.tensor(mask, x.shape, 'float32'));
  }

  override getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { ...super.getConfig(), rate: this.rate };
    if (this.seed !== undefined) config['seed'] = this.seed;
    return config;
  }
}

/** Randomly zeroes a fraction `rate` of the values in training. */
export function dropout(args: DropoutArgs): Dropout {
  return new Dropout(args);
}
