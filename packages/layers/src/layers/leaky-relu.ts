/**
 * LeakyReLU: `x` for x ≥ 0, `alpha · x` below (Keras default alpha 0.3).
 *
 * ```ts
 * layers.leakyReLU({ alpha: 0.1 });
 * ```
 */
import { type Tensor, tf } from '@tessera/core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import { NON_NEGATIVE, numberArg } from '../registry/checks.js';

/** Arguments of `layers.leakyReLU`. */
export interface LeakyReLUArgs extends LayerArgs {
  /** Slope for negative inputs, ≥ 0 (default 0.3). */
  alpha?: number;
}

/** Leaky ReLU with slope `alpha` below zero. */
export class LeakyReLU extends Layer<'one'> {
  static override readonly className = 'LeakyReLU';
  readonly alpha: number;

  constructor(args: LeakyReLUArgs = {}) {
    super(args);
    this.alpha = numberArg('LeakyReLU', 'alpha', args.alpha, 0.3, NON_NEGATIVE);
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
