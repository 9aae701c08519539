/**
 * Regularizing noise layers, active only in training (Keras's GaussianNoise,
 * GaussianDropout, AlphaDropout). Noise is drawn like Dropout's masks: from the layer's
 * own `seed` stream, else the training step's noise (engine/step-noise.ts), else the
 * context's stream or the process-wide one.
 *
 * ```ts
 * layers.gaussianNoise({ stddev: 0.1, seed: 3 });
 * layers.gaussianDropout({ rate: 0.2 });
 * layers.alphaDropout({ rate: 0.1 }); // keeps selu's mean and variance
 * ```
 */
import { Rng, type RngStream, received, type Tensor, tf, ValueError } from '@tessera/core';
import { keysOf } from '../engine/arg-keys.js';
import type { CallContext } from '../engine/call-context.js';
import { LAYER_ARG_KEYS, Layer, type LayerArgs } from '../engine/layer.js';
import { checkArgs, NON_NEGATIVE, requireNumber, seedArg, UNIT_RATE } from '../registry/checks.js';
import { checkNoiseShape, maskShape } from './dropout.js';
import { drawByRows } from './row-draws.js';

/** A layer that adds noise in training from a seeded stream; identity in inference. */
abstract class NoiseLayer extends Layer<'one'> {
  readonly seed: number | undefined;
  private readonly stream: RngStream | undefined;

  constructor(args: LayerArgs & { seed?: number }, owner: string) {
    super(args);
    this.seed = seedArg(owner, args.seed);
    this.stream = this.seed === undefined ? undefined : new Rng(this.seed).stream('noise');
  }

  /** Whether the layer does nothing (rate or stddev 0). */
  protected abstract get inactive(): boolean;

  /** The noisy output for `x` (drawn by rows of the batch, row-draws.ts; `own`: the layer's seeded stream). */
  protected abstract noisy(x: Tensor, own: RngStream | undefined, context: CallContext): Tensor;

  override call(inputs: Tensor | Tensor[], context: CallContext = { training: false }): Tensor {
    const x = this.single(inputs);
    if (!context.training || this.inactive) return x;
    return this.noisy(x, this.stream, context);
  }

  override getConfig(): Record<string, unknown> {
    const config = super.getConfig();
    if (this.seed !== undefined) config['seed'] = this.seed;
    return config;
  }
}

/** `size` normal draws with the given mean and stddev, as a tensor of `shape`. */
function normalTensor(
  own: RngStream | undefined,
  shape: number[],
  mean: number,
  stddev: number,
  context: CallContext,
): Tensor {
  const values = drawByRows(shape, true, context, own, (stream, n) =>
    stream.fillNormal(new Float32Array(n), mean, stddev),
  );
  return tf.tensor(values, shape, 'float32');
}

/** Arguments of `layers.gaussianNoise`. */
export interface GaussianNoiseArgs extends LayerArgs {
  /** Standard deviation of the added noise; non-negative. */
  stddev: number;
  /** Seeds this layer's own noise stream (integer in [0, 2^32)). */
  seed?: number;
}

/** Adds zero-mean Gaussian noise of `stddev` in training. */
export class GaussianNoise extends NoiseLayer {
  static override readonly className = 'GaussianNoise';
  static override readonly argKeys: readonly string[] = keysOf<GaussianNoiseArgs>()([
    'stddev',
    'seed',
    ...LAYER_ARG_KEYS,
  ]);
  readonly stddev: number;

  constructor(args: GaussianNoiseArgs) {
    checkArgs(args, 'GaussianNoise', '{ stddev, seed? }');
    super(args, 'GaussianNoise');
    this.stddev = requireNumber('GaussianNoise', 'stddev', args.stddev, NON_NEGATIVE);
  }

  protected get inactive(): boolean {
    return this.stddev === 0;
  }

  protected noisy(x: Tensor, own: RngStream | undefined, context: CallContext): Tensor {
    return tf.add(x, normalTensor(own, x.shape, 0, this.stddev, context));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev };
  }
}

/** Arguments of `layers.gaussianDropout` and `layers.alphaDropout`. */
export interface NoiseDropoutArgs extends LayerArgs {
  /** Drop rate in [0, 1). */
  rate: number;
  /** Seeds this layer's own noise stream (integer in [0, 2^32)). */
  seed?: number;
  /**
   * AlphaDropout only: the mask's shape, one entry per input axis — 1 shares the mask
   * along that axis, null takes the input's size (as Dropout's).
   */
  noiseShape?: readonly (number | null)[] | null;
}

/** A noise layer with a drop `rate` in [0, 1): the option, check and config they share. */
abstract class RateNoiseLayer extends NoiseLayer {
  readonly rate: number;

  constructor(args: NoiseDropoutArgs, owner: string) {
    checkArgs(
      args,
      owner,
      owner === 'AlphaDropout' ? '{ rate, seed?, noiseShape? }' : '{ rate, seed? }',
    );
    super(args, owner);
    this.rate = requireNumber(owner, 'rate', args.rate, UNIT_RATE);
  }

  protected get inactive(): boolean {
    return this.rate === 0;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate };
  }
}

/** Multiplies by Gaussian noise of mean 1 and stddev `sqrt(rate / (1 - rate))` in training. */
export class GaussianDropout extends RateNoiseLayer {
  static override readonly className = 'GaussianDropout';
  static override readonly argKeys: readonly string[] = keysOf<NoiseDropoutArgs>()([
    'rate',
    'seed',
    'noiseShape',
    ...LAYER_ARG_KEYS,
  ]);

  constructor(args: NoiseDropoutArgs) {
    super(args, 'GaussianDropout');
    if (args.noiseShape !== undefined && args.noiseShape !== null) {
      throw new ValueError(
        received(
          'GaussianDropout: noiseShape is not an option (AlphaDropout and Dropout take it)',
          'noiseShape',
          args.noiseShape,
        ),
      );
    }
  }

  protected noisy(x: Tensor, own: RngStream | undefined, context: CallContext): Tensor {
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    return tf.mul(x, normalTensor(own, x.shape, 1, stddev, context));
  }
}

/** selu's constants: the value a dropped unit takes is `-λα`. */
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/**
 * Dropout for self-normalizing (selu) networks: dropped units are set to selu's negative
 * saturation `α' = -λα`, then `a·x + b` restores the mean and variance, with
 * `a = ((1 - rate)(1 + rate·α'²))^-½` and `b = -a·α'·rate`.
 */
export class AlphaDropout extends RateNoiseLayer {
  static override readonly className = 'AlphaDropout';
  static override readonly argKeys: readonly string[] = keysOf<NoiseDropoutArgs>()([
    'rate',
    'seed',
    'noiseShape',
    ...LAYER_ARG_KEYS,
  ]);
  readonly noiseShape: readonly (number | null)[] | null;

  constructor(args: NoiseDropoutArgs) {
    super(args, 'AlphaDropout');
    this.noiseShape = checkNoiseShape('AlphaDropout', args.noiseShape);
  }

  protected noisy(x: Tensor, own: RngStream | undefined, context: CallContext): Tensor {
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const keep = 1 - this.rate;
    const a = ((1 - this.rate) * (1 + this.rate * alphaP * alphaP)) ** -0.5;
    const b = -a * alphaP * this.rate;
    const shape = maskShape('AlphaDropout', this.noiseShape, x.shape);
    const perRow = shape[0] === x.shape[0] && this.noiseShape?.[0] !== 1;
    const kept = drawByRows(shape, perRow, context, own, (stream, n) => {
      const k = new Float32Array(n);
      for (let i = 0; i < n; i++) k[i] = stream.next() < keep ? 1 : 0;
      return k;
    });
    const mask = tf.tensor(kept, shape, 'float32');
    const dropped = tf.add(tf.mul(x, mask), tf.mul(alphaP, tf.sub(1, mask)));
    return tf.add(tf.mul(a, dropped), b);
  }

  override getConfig(): Record<string, unknown> {
    const config = super.getConfig();
    if (this.noiseShape !== null) config['noiseShape'] = [...this.noiseShape];
    return config;
  }
}

/** Adds Gaussian noise in training. */
export function gaussianNoise(args: GaussianNoiseArgs): GaussianNoise {
  return new GaussianNoise(args);
}

/** Multiplicative Gaussian noise in training. */
export function gaussianDropout(args: NoiseDropoutArgs): GaussianDropout {
  return new GaussianDropout(args);
}

/** Dropout that keeps selu's self-normalization. */
export function alphaDropout(args: NoiseDropoutArgs): AlphaDropout {
  return new AlphaDropout(args);
}
