/**
 * What the categorical and the binary crossentropy share: the `fromLogits` and
 * `labelSmoothing` options, label smoothing toward the uniform distribution, and Keras's
 * clipping of probabilities before the log.
 */
import { type Tensor, tf } from '@tessera/core';
import { booleanArg, checkKeys, numberArg } from '../registry/checks.js';
import { EPSILON, type Loss } from './loss.js';
import {
  type Reduction,
  type ReductionArgs,
  reduceLosses,
  reductionArg,
  reductionConfig,
} from './reduction.js';
import { alignTargets } from './shapes.js';

/** Options of the categorical and the binary crossentropy. */
export interface CrossentropyArgs extends ReductionArgs {
  /** Whether `yPred` holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /**
   * In [0, 1]: targets become `yTrue·(1 - s) + s / numClasses`; for the binary crossentropy
   * each unit has two classes, so `yTrue·(1 - s) + 0.5·s` (default 0, no smoothing).
   */
  labelSmoothing?: number;
}

/** Probabilities clipped to [1e-7, 1 - 1e-7], so their log (and log(1 - p)) is finite. */
export function clipProbabilities(p: Tensor): Tensor {
  return tf.clipByValue(p, EPSILON, 1 - EPSILON);
}

/**
 * A crossentropy with the `fromLogits` and `labelSmoothing` options: validates them, smooths
 * the targets and serializes both; each subclass computes its own loss.
 */
export abstract class SmoothedCrossentropy implements Loss {
  abstract readonly name: string;
  abstract readonly className: string;
  /** Whether `yPred` holds logits. */
  readonly fromLogits: boolean;
  /** Label smoothing factor in [0, 1]. */
  readonly labelSmoothing: number;
  /** How per-example values become the loss (default `'sum_over_batch_size'`). */
  readonly reduction: Reduction;

  /** `owner` names the class in validation messages (`'BinaryCrossentropy'`). */
  protected constructor(owner: string, args: CrossentropyArgs) {
    checkKeys(owner, args, ['fromLogits', 'labelSmoothing', 'reduction']);
    this.reduction = reductionArg(owner, args.reduction);
    this.fromLogits = booleanArg(owner, 'fromLogits', args.fromLogits, false);
    this.labelSmoothing = numberArg(owner, 'labelSmoothing', args.labelSmoothing, 0, {
      min: 0,
      max: 1,
    });
  }

  /**
   * `yTrue` aligned to `yPred` as float32, smoothed toward `1 / numClasses` when
   * `labelSmoothing` is set. Call inside `tf.tidy`.
   */
  protected targets(yTrue: Tensor, yPred: Tensor, numClasses: number): Tensor {
    const target = alignTargets(this.name, yTrue, yPred);
    if (this.labelSmoothing === 0) return target;
    return tf.add(tf.mul(target, 1 - this.labelSmoothing), this.labelSmoothing / numClasses);
  }

  /** One loss value per example, unweighted. */
  abstract perExample(yTrue: Tensor, yPred: Tensor): Tensor;

  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return tf.tidy(() =>
      reduceLosses(this.name, this.perExample(yTrue, yPred), this.reduction, sampleWeight),
    );
  }

  getConfig(): Record<string, unknown> {
    return {
      fromLogits: this.fromLogits,
      labelSmoothing: this.labelSmoothing,
      ...reductionConfig(this.reduction),
    };
  }
}
