/**
 * A `(yTrue, yPred) => Tensor` function called as a loss or a metric (the base of
 * FunctionLoss and FunctionMetric).
 */
import { type Tensor, tf } from '@tessera/core';

/** A function of the targets and the predictions: per-example values or a scalar. */
export type TargetFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * Wraps a function under a name: `call` averages a per-example result and uses a scalar
 * result as is.
 */
export abstract class AveragedFunction {
  /** The registered name, else the function's own name. */
  readonly name: string;
  /** The wrapped function. */
  readonly fn: TargetFn;

  constructor(fn: TargetFn, name: string) {
    this.fn = fn;
    this.name = name;
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.tidy(() => {
      const out = this.fn(yTrue, yPred);
      return out.rank === 0 ? out : tf.mean(out);
    });
  }
}
