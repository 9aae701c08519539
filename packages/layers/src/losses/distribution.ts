/**
 * Losses between distributions and counts: Kullback-Leibler divergence and Poisson.
 */
import { type Tensor, tf } from '@tessera/core';
import { EPSILON } from './loss.js';
import { PerExampleLoss } from './per-example.js';
import type { ReductionArgs } from './reduction.js';

/**
 * `sum(yTrue · log(yTrue / yPred))` over the last axis, both clipped to [ε, 1].
 *
 * ```ts
 * new KLDivergence().call(tf.tensor([[0.5, 0.5]]), tf.tensor([[0.9, 0.1]]));
 * ```
 */
export class KLDivergence extends PerExampleLoss {
  readonly name = 'kl_divergence';
  readonly className = 'KLDivergence';

  constructor(args: ReductionArgs = {}) {
    super('KLDivergence', args);
  }

  protected values(yTrue: Tensor, yPred: Tensor): Tensor {
    const t = tf.clipByValue(yTrue, EPSILON, 1);
    const p = tf.clipByValue(yPred, EPSILON, 1);
    return tf.sum(tf.mul(t, tf.log(tf.div(t, p))), -1);
  }
}

/**
 * `mean(yPred - yTrue · log(yPred + ε))` over the last axis: the negative log-likelihood of
 * counts under a Poisson rate `yPred` (up to a constant).
 *
 * ```ts
 * new Poisson().call(tf.tensor([[2]]), tf.tensor([[1.5]]));
 * ```
 */
export class Poisson extends PerExampleLoss {
  readonly name = 'poisson';
  readonly className = 'Poisson';

  constructor(args: ReductionArgs = {}) {
    super('Poisson', args);
  }

  protected values(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.mean(tf.sub(yPred, tf.mul(yTrue, tf.log(tf.add(yPred, EPSILON)))), -1);
  }
}
