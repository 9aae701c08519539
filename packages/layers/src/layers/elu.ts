/**
 * ELU: `x` for x > 0, `alpha · (exp(x) − 1)` otherwise (default alpha 1).
 *
 * ```ts
 * layers.elu({ alpha: 0.5 });
 * ```
 */
import { type Tensor, tf } from '@tessera/core';
import { keysOf } from '../engine/arg-keys.js';
import { LAYER_ARG_KEYS, Layer, type LayerArgs } from '../engine/layer.js';
import { NON_NEGATIVE, numberArg } from '../registry/checks.js';

/** Arguments of `layers.elu`. */
export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part, ≥ 0 (default 1). */
  alpha?: number;
}

/** Exponential linear unit with a configurable `alpha`. */
export class ELU extends Layer<'one'> {
  static override readonly className = 'ELU';
  static override readonly argKeys: readonly string[] = keysOf<ELUArgs>()([
    'alpha',
    ...LAYER_ARG_KEYS,
  ]);
  readonly alpha: number;

  constructor(args: ELUArgs = {}) {
    super(args);
    this.alpha = numberArg('ELU', 'alpha', args.alpha, 1, NON_NEGATIVE);
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = this.single(inputs);
    if (this.alpha === 1) return tf.elu(x);
    // relu(x) + alpha·(exp(min(x, 0)) − 1): no branch, and exp never overflows.
    return tf.add(tf.relu(x), tf.mul(this.alpha, tf.sub(tf.exp(tf.minimum(x, 0)), 1)));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

/** Exponential linear unit. */
export function elu(args: ELUArgs = {}): ELU {
  return new ELU(args);
}
