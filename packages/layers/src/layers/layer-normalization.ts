/**
 * LayerNormalization (Keras 3): each example normalised over its feature axes (the last by
 * default), then scaled by `gamma` and shifted by `beta` — no batch statistics, so it trains
 * identically on any number of workers. With `rmsScaling`, Keras's variant: `x` (not
 * centred) times `gamma / sqrt(var + ε)`, and no `beta`.
 *
 * ```ts
 * layers.layerNormalization({ epsilon: 1e-3 });
 * layers.layerNormalization({ axis: [-2, -1] });   // over the last two axes of each example
 * ```
 */

import { received, ShapeError, type Tensor, tf, ValueError } from '@tessera/core';
import type { Constraint } from '../constraints/index.js';
import { keysOf } from '../engine/arg-keys.js';
import { LAYER_ARG_KEYS, Layer, type LayerArgs } from '../engine/layer.js';
import type { Weight } from '../engine/layer-weight.js';
import { receivedShape, type Shape, singleShape } from '../engine/shape.js';
import type { initializers } from '../initializers/index.js';
import { booleanArg, checkArgs, numberArg, POSITIVE } from '../registry/checks.js';
import type { Regularizer } from '../regularizers/index.js';
import {
  BETA_GAMMA_ARG_KEYS,
  type BetaGammaArgs,
  betaGammaConfig,
  betaGammaOptions,
} from './beta-gamma.js';

/** Arguments of `layers.layerNormalization`. */
export interface LayerNormalizationArgs extends LayerArgs, BetaGammaArgs {
  /**
   * The axis or axes normalised over (negative counts from the end; default -1). The batch
   * axis 0 is not one of them.
   */
  axis?: number | number[];
  /** Added to the variance before the square root; positive (default 1e-3, Keras's). */
  epsilon?: number;
  /** Learn a per-feature offset `beta` (default true). */
  center?: boolean;
  /** Learn a per-feature scale `gamma` (default true). */
  scale?: boolean;
  /** Keras's RMS variant: `x·gamma / sqrt(var + ε)`, gamma only (default false). */
  rmsScaling?: boolean;
}

const OWNER = 'LayerNormalization';

/** The `axis` argument: an integer or a non-empty list of them. */
function axisArg(value: unknown): number | number[] {
  if (value === undefined) return -1;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every((a) => Number.isInteger(a))) {
    throw new ValueError(
      received(`${OWNER}: axis must be an integer or a list of integers`, 'axis', value),
    );
  }
  return Array.isArray(value) ? [...(value as number[])] : (value as number);
}

/** `gamma · (x - mean) / sqrt(var + ε) + beta` over the feature axes of each example. */
export class LayerNormalization extends Layer<'one'> {
  static override readonly className = 'LayerNormalization';
  static override readonly argKeys: readonly string[] = keysOf<LayerNormalizationArgs>()([
    'axis',
    'epsilon',
    'center',
    'scale',
    'rmsScaling',
    ...BETA_GAMMA_ARG_KEYS,
    ...LAYER_ARG_KEYS,
  ]);
  readonly axis: number | number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly rmsScaling: boolean;
  readonly betaInitializer: ReturnType<typeof initializers.get>;
  readonly gammaInitializer: ReturnType<typeof initializers.get>;
  readonly betaRegularizer: Regularizer | undefined;
  readonly gammaRegularizer: Regularizer | undefined;
  readonly betaConstraint: Constraint | undefined;
  readonly gammaConstraint: Constraint | undefined;
  gamma: Weight | undefined;
  beta: Weight | undefined;

  constructor(args: LayerNormalizationArgs = {}) {
    checkArgs(args, OWNER, '{ axis?, epsilon?, center?, scale?, … }');
    super(args);
    this.axis = axisArg(args.axis);
    this.epsilon = numberArg(OWNER, 'epsilon', args.epsilon, 1e-3, POSITIVE);
    this.center = booleanArg(OWNER, 'center', args.center, true);
    this.scale = booleanArg(OWNER, 'scale', args.scale, true);
    this.rmsScaling = booleanArg(OWNER, 'rmsScaling', args.rmsScaling, false);
    ({
      betaInitializer: this.betaInitializer,
      gammaInitializer: this.gammaInitializer,
      betaRegularizer: this.betaRegularizer,
      gammaRegularizer: this.gammaRegularizer,
      betaConstraint: this.betaConstraint,
      gammaConstraint: this.gammaConstraint,
    } = betaGammaOptions(OWNER, args));
  }

  /** The axes as sorted positive indices for inputs of `rank`, checked. */
  private axesFor(rank: number, shape: Shape): number[] {
    const given = Array.isArray(this.axis) ? this.axis : [this.axis];
    const axes = given.map((a) => (a < 0 ? rank + a : a));
    for (const [i, a] of axes.entries()) {
      if (a < 1 || a >= rank) {
        throw new ShapeError(
          receivedShape(
            `${OWNER} "${this.name}": axis ${given[i]} is out of bounds for inputs of rank ${rank} (the batch axis 0 is not a feature axis)`,
            shape,
          ),
        );
      }
    }
    if (new Set(axes).size !== axes.length) {
      throw new ShapeError(
        receivedShape(
          `${OWNER} "${this.name}": duplicate axes are not allowed (axis=${JSON.stringify(this.axis)})`,
          shape,
        ),
      );
    }
    return axes.sort((a, b) => a - b);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape, OWNER);
    const axes = this.axesFor(shape.length, shape);
    const dims = axes.map((a) => shape[a]);
    if (dims.some((d) => d === null || d === undefined)) {
      throw new ShapeError(
        receivedShape(`${OWNER} "${this.name}": the normalised axes need known sizes`, shape),
      );
    }
    const weightShape = dims as number[];
    if (this.scale || this.rmsScaling) {
      this.gamma = this.addWeight({
        name: 'gamma',
        shape: weightShape,
        initializer: this.gammaInitializer,
        regularizer: this.gammaRegularizer,
        constraint: this.gammaConstraint,
      });
    }
    if (this.center && !this.rmsScaling) {
      this.beta = this.addWeight({
        name: 'beta',
        shape: weightShape,
        initializer: this.betaInitializer,
        regularizer: this.betaRegularizer,
        constraint: this.betaConstraint,
      });
    }
    super.build(inputShape);
  }

  protected override checkInputShape(inputShape: Shape | Shape[]): void {
    super.checkInputShape(inputShape);
    const shape = singleShape(inputShape, OWNER);
    this.axesFor(shape.length, shape);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = this.single(inputs);
    const axes = this.axesFor(x.rank, x.shape);
    // gamma and beta have the axes' sizes; elsewhere they broadcast.
    const broadcast = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
    const { mean, variance } = tf.moments(x, axes, true);
    const inv = tf.rsqrt(tf.add(variance, this.epsilon));
    let y = this.rmsScaling ? tf.mul(x, inv) : tf.mul(tf.sub(x, mean), inv);
    if (this.gamma !== undefined) y = tf.mul(y, tf.reshape(this.gamma.value, broadcast));
    if (this.beta !== undefined) y = tf.add(y, tf.reshape(this.beta.value, broadcast));
    return y;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, OWNER);
    this.axesFor(shape.length, shape);
    return [...shape];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: Array.isArray(this.axis) ? [...this.axis] : this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      rmsScaling: this.rmsScaling,
      ...betaGammaConfig(this),
    };
  }
}

/** Normalizes each example over its feature axes. */
export function layerNormalization(args?: LayerNormalizationArgs): LayerNormalization {
  return new LayerNormalization(args);
}
