/**
 * LayerNormalization: each example normalised over its last axis, then scaled by `gamma`
 * and shifted by `beta` — no batch statistics, so it trains identically on any number of
 * workers.
 *
 * ```ts
 * layers.layerNormalization({ epsilon: 1e-3 });
 * ```
 */
import { ShapeError, type Tensor, tf } from '@tessera/core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { Weight } from '../engine/layer-weight.js';
import { receivedShape, type Shape, singleShape } from '../engine/shape.js';
import type { InitializerIdentifier } from '../initializers/index.js';
import { initializers } from '../initializers/index.js';
import { booleanArg, checkArgs, numberArg, POSITIVE } from '../registry/checks.js';
import { initializerOr } from './common.js';

/** Arguments of `layers.layerNormalization`. */
export interface LayerNormalizationArgs extends LayerArgs {
  /** Added to the variance before the square root; positive (default 1e-3, Keras's). */
  epsilon?: number;
  /** Learn a per-feature offset `beta` (default true). */
  center?: boolean;
  /** Learn a per-feature scale `gamma` (default true). */
  scale?: boolean;
  /** Initial `beta` (default 'zeros'). */
  betaInitializer?: InitializerIdentifier;
  /** Initial `gamma` (default 'ones'). */
  gammaInitializer?: InitializerIdentifier;
}

/** `gamma · (x - mean) / sqrt(var + ε) + beta` over the last axis of each example. */
export class LayerNormalization extends Layer<'one'> {
  static override readonly className = 'LayerNormalization';
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: ReturnType<typeof initializers.get>;
  readonly gammaInitializer: ReturnType<typeof initializers.get>;
  gamma: Weight | undefined;
  beta: Weight | undefined;

  constructor(args: LayerNormalizationArgs = {}) {
    checkArgs(args, 'LayerNormalization', '{ epsilon?, center?, scale?, … }');
    super(args);
    this.epsilon = numberArg('LayerNormalization', 'epsilon', args.epsilon, 1e-3, POSITIVE);
    this.center = booleanArg('LayerNormalization', 'center', args.center, true);
    this.scale = booleanArg('LayerNormalization', 'scale', args.scale, true);
    this.betaInitializer = initializerOr(
      args.betaInitializer,
      'zeros',
      'LayerNormalization: betaInitializer',
    );
    this.gammaInitializer = initializerOr(
      args.gammaInitializer,
      'ones',
      'LayerNormalization: gammaInitializer',
    );
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, 'LayerNormalization');
    const features = shape.at(-1);
    if (shape.length < 2 || features === null || features === undefined) {
      throw new ShapeError(
        receivedShape(
          `LayerNormalization "${this.name}": the input needs rank ≥ 2 and a known last dimension`,
          shape,
        ),
      );
    }
    if (this.scale) {
      this.gamma = this.addWeight({
        name: 'gamma',
        shape: [features],
        initializer: this.gammaInitializer,
      });
    }
    if (this.center) {
      this.beta = this.addWeight({
        name: 'beta',
        shape: [features],
        initializer: this.betaInitializer,
      });
    }
    super.build(inputShape);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = this.single(inputs);
    const { mean, variance } = tf.moments(x, -1, true);
    let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
    if (this.gamma !== undefined) y = tf.mul(y, this.gamma.value);
    if (this.beta !== undefined) y = tf.add(y, this.beta.value);
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: initializers.serialize(this.betaInitializer),
      gammaInitializer: initializers.serialize(this.gammaInitializer),
    };
  }
}

/** Normalizes each example over its last axis. */
export function layerNormalization(args?: LayerNormalizationArgs): LayerNormalization {
  return new LayerNormalization(args);
}
