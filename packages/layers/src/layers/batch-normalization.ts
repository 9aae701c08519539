/**
 * BatchNormalization (Keras 3 semantics): in training, each feature is normalised with the
 * batch's mean and (biased) variance, and the moving statistics move toward them:
 * `moving = moving·momentum + batch·(1 - momentum)`; in inference the moving statistics
 * are used. Then `gamma·x̂ + beta`. Weights in Keras order: gamma, beta (trainable),
 * moving_mean, moving_variance (non-trainable). A layer set `trainable = false` runs in
 * inference mode, as in Keras. In data-parallel training (`CallContext.exchange`) the
 * statistics are those of the global batch, exchanged between the shards (synced-moments.ts).
 *
 * ```ts
 * layers.batchNormalization({ momentum: 0.9 });
 * ```
 */

import { ShapeError, type Tensor, tf } from '@tessera/core';
import type { Constraint } from '../constraints/index.js';
import { keysOf } from '../engine/arg-keys.js';
import type { CallContext } from '../engine/call-context.js';
import { LAYER_ARG_KEYS, Layer, type LayerArgs } from '../engine/layer.js';
import type { Weight } from '../engine/layer-weight.js';
import { receivedShape, type Shape, singleShape } from '../engine/shape.js';
import { type InitializerIdentifier, initializers } from '../initializers/index.js';
import { booleanArg, checkArgs, numberArg, POSITIVE, requireNumber } from '../registry/checks.js';
import type { Regularizer } from '../regularizers/index.js';
import {
  BETA_GAMMA_ARG_KEYS,
  type BetaGammaArgs,
  betaGammaConfig,
  betaGammaOptions,
} from './beta-gamma.js';
import { featureAxis, initializerOr } from './common.js';
import { syncedMoments } from './synced-moments.js';

/** Arguments of `layers.batchNormalization`. */
export interface BatchNormalizationArgs extends LayerArgs, BetaGammaArgs {
  /** The feature axis (default -1). */
  axis?: number;
  /** Weight of the old value in the moving statistics, in [0, 1] (default 0.99). */
  momentum?: number;
  /** Added to the variance before the square root; positive (default 1e-3). */
  epsilon?: number;
  /** Learn an offset `beta` (default true). */
  center?: boolean;
  /** Learn a scale `gamma` (default true). */
  scale?: boolean;
  /** Initial moving mean (default 'zeros'). */
  movingMeanInitializer?: InitializerIdentifier;
  /** Initial moving variance (default 'ones'). */
  movingVarianceInitializer?: InitializerIdentifier;
}

/** Normalizes each feature with batch statistics in training, moving ones in inference. */
export class BatchNormalization extends Layer<'one'> {
  static override readonly className = 'BatchNormalization';
  static override readonly argKeys: readonly string[] = keysOf<BatchNormalizationArgs>()([
    'axis',
    'momentum',
    'epsilon',
    'center',
    'scale',
    'movingMeanInitializer',
    'movingVarianceInitializer',
    ...BETA_GAMMA_ARG_KEYS,
    ...LAYER_ARG_KEYS,
  ]);
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: ReturnType<typeof initializers.get>;
  readonly gammaInitializer: ReturnType<typeof initializers.get>;
  readonly movingMeanInitializer: ReturnType<typeof initializers.get>;
  readonly movingVarianceInitializer: ReturnType<typeof initializers.get>;
  readonly betaRegularizer: Regularizer | undefined;
  readonly gammaRegularizer: Regularizer | undefined;
  readonly betaConstraint: Constraint | undefined;
  readonly gammaConstraint: Constraint | undefined;
  gamma: Weight | undefined;
  beta: Weight | undefined;
  movingMean: Weight | undefined;
  movingVariance: Weight | undefined;

  constructor(args: BatchNormalizationArgs = {}) {
    const owner = 'BatchNormalization';
    checkArgs(args, owner, '{ axis?, momentum?, epsilon?, center?, scale?, … }');
    super(args);
    this.axis = requireNumber(owner, 'axis', args.axis ?? -1, { integer: true });
    this.momentum = numberArg(owner, 'momentum', args.momentum, 0.99, { min: 0, max: 1 });
    this.epsilon = numberArg(owner, 'epsilon', args.epsilon, 1e-3, POSITIVE);
    this.center = booleanArg(owner, 'center', args.center, true);
    this.scale = booleanArg(owner, 'scale', args.scale, true);
    this.movingMeanInitializer = initializerOr(
      args.movingMeanInitializer,
      'zeros',
      `${owner}: movingMeanInitializer`,
    );
    this.movingVarianceInitializer = initializerOr(
      args.movingVarianceInitializer,
      'ones',
      `${owner}: movingVarianceInitializer`,
    );
    ({
      betaInitializer: this.betaInitializer,
      gammaInitializer: this.gammaInitializer,
      betaRegularizer: this.betaRegularizer,
      gammaRegularizer: this.gammaRegularizer,
      betaConstraint: this.betaConstraint,
      gammaConstraint: this.gammaConstraint,
    } = betaGammaOptions(owner, args));
  }

  /** The feature axis as a positive index for inputs of `rank`. */
  private featureAxis(rank: number): number {
    return featureAxis(`BatchNormalization "${this.name}"`, this.axis, rank);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, 'BatchNormalization');
    const features = shape[this.featureAxis(shape.length)];
    if (features === null || features === undefined) {
      throw new ShapeError(
        receivedShape(
          `BatchNormalization "${this.name}": the feature axis needs a known size`,
          shape,
        ),
      );
    }
    const dims = [features];
    if (this.scale) {
      this.gamma = this.addWeight({
        name: 'gamma',
        shape: dims,
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      });
    }
    if (this.center) {
      this.beta = this.addWeight({
        name: 'beta',
        shape: dims,
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      });
    }
    this.movingMean = this.addWeight({
      name: 'moving_mean',
      shape: dims,
      initializer: this.movingMeanInitializer,
      trainable: false,
    });
    this.movingVariance = this.addWeight({
      name: 'moving_variance',
      shape: dims,
      initializer: this.movingVarianceInitializer,
      trainable: false,
    });
    super.build(inputShape);
  }

  override call(inputs: Tensor | Tensor[], context: CallContext): Tensor {
    const x = this.single(inputs);
    const axis = this.featureAxis(x.rank);
    const reduce = x.shape.map((_, i) => i).filter((i) => i !== axis);
    const broadcast = x.shape.map((_, i) => (i === axis ? -1 : 1));
    let mean: Tensor;
    let variance: Tensor;
    if (context.training && this.trainable && context.exchange !== undefined) {
      // One shard of a data-parallel batch: the global batch's statistics, both ways.
      const synced = syncedMoments(x, axis, this.epsilon, context.exchange);
      this.moveStatistics(synced.mean, synced.variance, context);
      let out = synced.normalized;
      if (this.gamma !== undefined) out = tf.mul(out, tf.reshape(this.gamma.value, broadcast));
      if (this.beta !== undefined) out = tf.add(out, tf.reshape(this.beta.value, broadcast));
      return out;
    }
    if (context.training && this.trainable) {
      ({ mean, variance } = tf.moments(x, reduce));
      this.moveStatistics(mean, variance, context);
    } else {
      mean = this.movingMean!.value;
      variance = this.movingVariance!.value;
    }
    let inv = tf.rsqrt(tf.add(variance, this.epsilon));
    if (this.gamma !== undefined) inv = tf.mul(inv, this.gamma.value);
    const shift = tf.neg(tf.mul(mean, inv));
    const offset = this.beta === undefined ? shift : tf.add(this.beta.value, shift);
    return tf.add(tf.mul(x, tf.reshape(inv, broadcast)), tf.reshape(offset, broadcast));
  }

  /** Moving statistics toward the batch's: collected for the step, or written now. */
  private moveStatistics(mean: Tensor, variance: Tensor, context: CallContext): void {
    const m = this.momentum;
    const pairs: [Weight, Tensor][] = [
      [this.movingMean!, mean],
      [this.movingVariance!, variance],
    ];
    for (const [weight, batch] of pairs) {
      const value = tf.keep(tf.tidy(() => tf.add(tf.mul(weight.value, m), tf.mul(batch, 1 - m))));
      if (context.updates !== undefined) {
        context.updates.push({ weight, value });
      } else {
        weight.write(value);
        value.dispose();
      }
    }
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      ...betaGammaConfig(this),
      movingMeanInitializer: initializers.serialize(this.movingMeanInitializer),
      movingVarianceInitializer: initializers.serialize(this.movingVarianceInitializer),
    };
  }
}

/** Normalizes each feature with batch statistics in training, moving ones in inference. */
export function batchNormalization(args?: BatchNormalizationArgs): BatchNormalization {
  return new BatchNormalization(args);
}
