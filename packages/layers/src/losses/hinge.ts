/**
 * Hinge losses for classifiers whose outputs are scores: hinge, squared hinge and
 * categorical hinge. As in Keras, binary targets given as 0/1 are mapped to -1/1.
 */
import { type Tensor, tf } from '@tessera/core';
import { PerExampleLoss } from './per-example.js';
import type { ReductionArgs } from './reduction.js';

/** 0/1 labels to -1/1 (labels already in -1/1 stay). */
function signedLabels(yTrue: Tensor): Tensor {
  const isBinary = tf.all(tf.logicalOr(tf.equal(yTrue, 0), tf.equal(yTrue, 1))).dataSync()[0];
  return isBinary === 1 ? tf.sub(tf.mul(2, yTrue), 1) : yTrue;
}

/**
 * `mean(max(1 - yTrue · yPred, 0))` over the last axis.
 *
 * ```ts
 * new Hinge().call(tf.tensor([[1, 0]]), tf.tensor([[0.3, -2]])); // (0.7 + 0) / 2
 * ```
 */
export class Hinge extends PerExampleLoss {
  readonly name = 'hinge';
  readonly className = 'Hinge';

  constructor(args: ReductionArgs = {}) {
    super('Hinge', args);
  }

  protected values(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.mean(tf.relu(tf.sub(1, tf.mul(signedLabels(yTrue), yPred))), -1);
  }
}

/**
 * `mean(max(1 - yTrue · yPred, 0)²)` over the last axis.
 *
 * ```ts
 * new SquaredHinge().call(yTrue, yPred);
 * ```
 */
export class SquaredHinge extends PerExampleLoss {
  readonly name = 'squared_hinge';
  readonly className = 'SquaredHinge';

  constructor(args: ReductionArgs = {}) {
    super('SquaredHinge', args);
  }

  protected values(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.mean(tf.square(tf.relu(tf.sub(1, tf.mul(signedLabels(yTrue), yPred)))), -1);
  }
}

/**
 * `max(0, max((1 - yTrue) · yPred) - sum(yTrue · yPred) + 1)` per example, for one-hot
 * targets.
 *
 * ```ts
 * new CategoricalHinge().call(tf.tensor([[0, 1]]), tf.tensor([[0.2, 0.9]])); // 0.3
 * ```
 */
export class CategoricalHinge extends PerExampleLoss {
  readonly name = 'categorical_hinge';
  readonly className = 'CategoricalHinge';

  constructor(args: ReductionArgs = {}) {
    super('CategoricalHinge', args);
  }

  protected values(yTrue: Tensor, yPred: Tensor): Tensor {
    const positive = tf.sum(tf.mul(yTrue, yPred), -1);
    const negative = tf.max(tf.mul(tf.sub(1, yTrue), yPred), -1);
    return tf.relu(tf.add(tf.sub(negative, positive), 1));
  }
}
