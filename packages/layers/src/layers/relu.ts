/**
 * ReLU with Keras's options: `maxValue` for x ≥ maxValue, `x` for
 * threshold ≤ x < maxValue, `negativeSlope · (x − threshold)` below the threshold.
 *
 * ```ts
 * layers.relu({ maxValue: 6 });    // relu6
 * ```
 */
import { received, type Tensor, ValueError } from '@tessera/core';
import { relu as reluActivation } from '../activations/relu-family.js';
import { keysOf } from '../engine/arg-keys.js';
import { LAYER_ARG_KEYS, Layer, type LayerArgs } from '../engine/layer.js';
import { NON_NEGATIVE, numberArg, requireNumber } from '../registry/checks.js';

/** Arguments of `layers.relu`. */
export interface ReLUArgs extends LayerArgs {
  /** Upper bound of the output, ≥ 0 (default none). */
  maxValue?: number | null;
  /** Slope below the threshold, ≥ 0 (default 0). */
  negativeSlope?: number;
  /** Values below it are damped (default 0). */
  threshold?: number;
}

/** ReLU with Keras's `maxValue`, `negativeSlope` and `threshold`. */
export class ReLU extends Layer<'one'> {
  static override readonly className = 'ReLU';
  static override readonly argKeys: readonly string[] = keysOf<ReLUArgs>()([
    'maxValue',
    'negativeSlope',
    'threshold',
    ...LAYER_ARG_KEYS,
  ]);
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(args: ReLUArgs = {}) {
    super(args);
    this.maxValue =
      args.maxValue === undefined || args.maxValue === null
        ? null
        : requireNumber('ReLU', 'maxValue', args.maxValue, NON_NEGATIVE);
    this.negativeSlope = numberArg('ReLU', 'negativeSlope', args.negativeSlope, 0, NON_NEGATIVE);
    this.threshold = numberArg('ReLU', 'threshold', args.threshold, 0, NON_NEGATIVE);
    if (this.maxValue !== null && this.threshold > this.maxValue) {
      throw new ValueError(
        received(
          `ReLU: threshold must not exceed maxValue=${this.maxValue}`,
          'threshold',
          this.threshold,
        ),
      );
    }
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    // The activation's rule (Keras's): x passes only where x > threshold.
    return reluActivation(this.single(inputs), {
      negativeSlope: this.negativeSlope,
      threshold: this.threshold,
      ...(this.maxValue === null ? {} : { maxValue: this.maxValue }),
    });
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      maxValue: this.maxValue,
      negativeSlope: this.negativeSlope,
      threshold: this.threshold,
    };
  }
}

/** Rectified linear unit with optional cap, slope and threshold. */
export function relu(args: ReLUArgs = {}): ReLU {
  return new ReLU(args);
}
