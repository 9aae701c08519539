/**
 * LeakyReLU: `x` for x ≥ 0, `alpha · x` below (Keras default 0.3). The slope is Keras 3's
 * `negativeSlope` or tfjs's `alpha` (one of the two); the config keeps `alpha`.
 *
 * ```ts
 * layers.leakyReLU({ negativeSlope: 0.1 });   // the same as { alpha: 0.1 }
 * ```
 */
import { received, type Tensor, tf, ValueError } from '@tessera/core';
import { keysOf } from '../engine/arg-keys.js';
import { LAYER_ARG_KEYS, Layer, type LayerArgs } from '../engine/layer.js';
import { NON_NEGATIVE, numberArg } from '../registry/checks.js';

/** Arguments of `layers.leakyReLU`. */
export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for negative inputs, ≥ 0 (default 0.3); tfjs's name. */
  alpha?: number;
  /** The same slope under Keras 3's name; give this or `alpha`, not both. */
  negativeSlope?: number;
}

/** Leaky ReLU with slope `alpha` below zero. */
export class LeakyReLU extends Layer<'one'> {
  static override readonly className = 'LeakyReLU';
  static override readonly argKeys: readonly string[] = keysOf<LeakyReLUArgs>()([
    'alpha',
    'negativeSlope',
    ...LAYER_ARG_KEYS,
  ]);
  readonly alpha: number;

  constructor(args: LeakyReLUArgs = {}) {
    super(args);
    if (args.alpha !== undefined && args.negativeSlope !== undefined) {
      throw new ValueError(
        received(
          `LeakyReLU: give the slope as negativeSlope or as alpha, not both (alpha=${String(args.alpha)})`,
          'negativeSlope',
          args.negativeSlope,
        ),
      );
    }
    this.alpha =
      args.negativeSlope !== undefined
        ? numberArg('LeakyReLU', 'negativeSlope', args.negativeSlope, 0.3, NON_NEGATIVE)
        : numberArg('LeakyReLU', 'alpha', args.alpha, 0.3, NON_NEGATIVE);
  }

  /** The slope under Keras 3's name (the same value as `alpha`). */
  get negativeSlope(): number {
    return this.alpha;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return tf.leakyRelu(this.single(inputs), this.alpha);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

/** Leaky rectified linear unit. */
export function leakyReLU(args: LeakyReLUArgs = {}): LeakyReLU {
  return new LeakyReLU(args);
}
