/**
 * Keras's other regression losses: mean absolute percentage error, mean squared
 * logarithmic error, log-cosh and cosine similarity.
 */
import { type Tensor, tf } from '@tessera/core';
import { numberArg } from '../registry/checks.js';
import { EPSILON } from './loss.js';
import { PerExampleLoss } from './per-example.js';
import type { ReductionArgs } from './reduction.js';

/**
 * `100 · mean(|yTrue - yPred| / max(|yTrue|, ε))` over the last axis.
 *
 * ```ts
 * new MeanAbsolutePercentageError().call(tf.tensor([[2]]), tf.tensor([[1]])); // 50
 * ```
 */
export class MeanAbsolutePercentageError extends PerExampleLoss {
  readonly name = 'mean_absolute_percentage_error';
  readonly className = 'MeanAbsolutePercentageError';

  constructor(args: ReductionArgs = {}) {
    super('MeanAbsolutePercentageError', args);
  }

  protected values(yTrue: Tensor, yPred: Tensor): Tensor {
    const scale = tf.maximum(tf.abs(yTrue), EPSILON);
    return tf.mul(100, tf.mean(tf.abs(tf.div(tf.sub(yTrue, yPred), scale)), -1));
  }
}

/**
 * `mean((log(max(yPred, ε) + 1) - log(max(yTrue, ε) + 1))²)` over the last axis.
 *
 * ```ts
 * new MeanSquaredLogarithmicError().call(yTrue, yPred);
 * ```
 */
export class MeanSquaredLogarithmicError extends PerExampleLoss {
  readonly name = 'mean_squared_logarithmic_error';
  readonly className = 'MeanSquaredLogarithmicError';

  constructor(args: ReductionArgs = {}) {
    super('MeanSquaredLogarithmicError', args);
  }

  protected values(yTrue: Tensor, yPred: Tensor): Tensor {
    const logOf = (t: Tensor): Tensor => tf.log1p(tf.maximum(t, EPSILON));
    return tf.mean(tf.square(tf.sub(logOf(yPred), logOf(yTrue))), -1);
  }
}

/**
 * `mean(log(cosh(yPred - yTrue)))` over the last axis, computed as
 * `x + softplus(-2x) - log 2` so large errors do not overflow.
 *
 * ```ts
 * new LogCosh().call(yTrue, yPred);
 * ```
 */
export class LogCosh extends PerExampleLoss {
  readonly name = 'log_cosh';
  readonly className = 'LogCosh';

  constructor(args: ReductionArgs = {}) {
    super('LogCosh', args);
  }

  protected values(yTrue: Tensor, yPred: Tensor): Tensor {
    const x = tf.sub(yPred, yTrue);
    const value = tf.sub(tf.add(x, tf.softplus(tf.mul(-2, x))), Math.log(2));
    return tf.mean(value, -1);
  }
}

/** Options of CosineSimilarity. */
export interface CosineSimilarityArgs extends ReductionArgs {
  /** Axis along which the similarity is computed (default -1). */
  axis?: number;
}

/**
 * `-sum(l2normalize(yTrue) · l2normalize(yPred))` along `axis`: -1 for aligned vectors, so
 * minimising it aligns them (Keras's sign).
 *
 * ```ts
 * new CosineSimilarity().call(tf.tensor([[1, 0]]), tf.tensor([[2, 0]])); // -1
 * ```
 */
export class CosineSimilarity extends PerExampleLoss {
  readonly name = 'cosine_similarity';
  readonly className = 'CosineSimilarity';
  /** Axis of the vectors. */
  readonly axis: number;

  constructor(args: CosineSimilarityArgs = {}) {
    super('CosineSimilarity', args, ['axis']);
    this.axis = numberArg('CosineSimilarity', 'axis', args.axis, -1, { integer: true });
  }

  protected values(yTrue: Tensor, yPred: Tensor): Tensor {
    const unit = (t: Tensor): Tensor =>
      tf.div(t, tf.sqrt(tf.maximum(tf.sum(tf.square(t), this.axis, true), 1e-12)));
    return tf.neg(tf.sum(tf.mul(unit(yTrue), unit(yPred)), this.axis));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}
