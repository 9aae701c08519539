/**
 * Regression losses: mean squared error, mean absolute error and Huber. As in Keras each
 * computes a per-example loss as the mean over the last axis, then the mean over the batch.
 */
import { type Tensor, tf } from '@tessera/core';
import { checkKeys, numberArg } from '../registry/checks.js';
import type { Loss } from './loss.js';
import {
  type Reduction,
  type ReductionArgs,
  reduceLosses,
  reductionArg,
  reductionConfig,
} from './reduction.js';
import { alignTargets } from './shapes.js';

/**
 * A loss of the error `e = yPred - yTrue`: a penalty per element, its mean over the last
 * axis (per example), then the mean over the batch. Each subclass gives the penalty.
 */
export abstract class ErrorLoss implements Loss {
  abstract readonly name: string;
  abstract readonly className: string;
  /** How per-example values become the loss (default `'sum_over_batch_size'`). */
  readonly reduction: Reduction;

  protected constructor(owner: string, args: object, allowed: readonly string[] = []) {
    checkKeys(owner, args, [...allowed, 'reduction']);
    this.reduction = reductionArg(owner, (args as ReductionArgs).reduction);
  }

  /** The penalty of each element of the error (called inside `tf.tidy`). */
  protected abstract penalty(error: Tensor): Tensor;

  /** One loss value per example: the penalty's mean over the last axis. */
  perExample(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.tidy(() => {
      const target = alignTargets(this.name, yTrue, yPred);
      return tf.mean(this.penalty(tf.sub(yPred, target)), -1);
    });
  }

  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return tf.tidy(() =>
      reduceLosses(this.name, this.perExample(yTrue, yPred), this.reduction, sampleWeight),
    );
  }

  getConfig(): Record<string, unknown> {
    return reductionConfig(this.reduction);
  }
}

/**
 * `mean((yPred - yTrue)²)` over the last axis, averaged over the batch.
 *
 * ```ts
 * const mse = new MeanSquaredError();
 * mse.call(tf.tensor([[0, 1]]), tf.tensor([[1, 1]])); // 0.5
 * ```
 */
export class MeanSquaredError extends ErrorLoss {
  readonly name = 'mean_squared_error';
  readonly className = 'MeanSquaredError';

  constructor(args: ReductionArgs = {}) {
    super('MeanSquaredError', args);
  }

  protected penalty(error: Tensor): Tensor {
    return tf.square(error);
  }
}

/**
 * `mean(|yPred - yTrue|)` over the last axis, averaged over the batch.
 *
 * ```ts
 * new MeanAbsoluteError().call(tf.tensor([[0, 1]]), tf.tensor([[2, 1]])); // 1
 * ```
 */
export class MeanAbsoluteError extends ErrorLoss {
  readonly name = 'mean_absolute_error';
  readonly className = 'MeanAbsoluteError';

  constructor(args: ReductionArgs = {}) {
    super('MeanAbsoluteError', args);
  }

  protected penalty(error: Tensor): Tensor {
    return tf.abs(error);
  }
}

/** Options of the Huber loss. */
export interface HuberArgs extends ReductionArgs {
  /** Where the loss turns from quadratic to linear (default 1). Positive. */
  delta?: number;
}

/**
 * Huber loss: `0.5·e²` where `|e| ≤ delta`, else `delta·|e| - 0.5·delta²`, with
 * `e = yPred - yTrue`; mean over the last axis, then over the batch.
 *
 * ```ts
 * new Huber({ delta: 1 }).call(yTrue, yPred);
 * ```
 */
export class Huber extends ErrorLoss {
  readonly name = 'huber';
  readonly className = 'Huber';
  /** Where the loss turns from quadratic to linear. */
  readonly delta: number;

  constructor(args: HuberArgs = {}) {
    super('Huber', args, ['delta']);
    this.delta = numberArg('Huber', 'delta', args.delta, 1, { min: 0, minInclusive: false });
  }

  protected penalty(error: Tensor): Tensor {
    const absError = tf.abs(error);
    // With q = min(|e|, delta): 0.5·q² + delta·(|e| - q) is 0.5·e² inside the band and
    // delta·|e| - 0.5·delta² outside it — the same piecewise function without a comparison
    // op on the gradient path.
    const q = tf.minimum(absError, this.delta);
    return tf.add(tf.mul(0.5, tf.square(q)), tf.mul(this.delta, tf.sub(absError, q)));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), delta: this.delta };
  }
}
