/**
 * Categorical crossentropy for one-hot targets and its sparse form for integer class ids.
 * Probabilities are renormalised to sum to 1 and clipped to [1e-7, 1 - 1e-7] before the log
 * (as Keras does); logits go through a log-softmax, which is stable for any magnitude.
 */
import { type Tensor, tf } from '@tessera/core';
import { booleanArg, checkKeys } from '../registry/checks.js';
import { type CrossentropyArgs, clipProbabilities, SmoothedCrossentropy } from './crossentropy.js';
import type { FusedCrossentropy, Loss } from './loss.js';
import { requirePredRank, sparseLabels } from './shapes.js';

/** Log-probabilities over the last axis, from probabilities or from logits. */
export function logProbabilities(yPred: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) return tf.logSoftmax(yPred);
  const normalised = tf.div(yPred, tf.sum(yPred, -1, true));
  return tf.log(clipProbabilities(normalised));
}

/** `-Σ target·log(p)` over the last axis, averaged over the batch. Call inside `tf.tidy`. */
function meanCrossentropy(target: Tensor, yPred: Tensor, fromLogits: boolean): Tensor {
  const logProb = logProbabilities(yPred, fromLogits);
  return tf.mean(tf.neg(tf.sum(tf.mul(target, logProb), -1)));
}

/** Options of the categorical crossentropy: `fromLogits`, `labelSmoothing` (toward 1/numClasses). */
export type CategoricalCrossentropyArgs = CrossentropyArgs;

/**
 * `-Σ yTrue·log(yPred)` over the classes (last axis), averaged over the batch.
 *
 * ```ts
 * const loss = new CategoricalCrossentropy({ fromLogits: true });
 * loss.call(tf.tensor([[0, 1]]), tf.tensor([[0.2, 2.5]]));
 * ```
 */
export class CategoricalCrossentropy extends SmoothedCrossentropy {
  readonly name = 'categorical_crossentropy';
  readonly className = 'CategoricalCrossentropy';

  constructor(args: CategoricalCrossentropyArgs = {}) {
    super('CategoricalCrossentropy', args);
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.tidy(() => {
      const target = this.targets(yTrue, yPred, yPred.shape[yPred.rank - 1] ?? 1);
      return meanCrossentropy(target, yPred, this.fromLogits);
    });
  }

  /** Fused on probabilities without label smoothing (this class only, not subclasses). */
  fusedCrossentropy(): FusedCrossentropy | undefined {
    const plain = this.constructor === CategoricalCrossentropy;
    return plain && !this.fromLogits && this.labelSmoothing === 0 ? 'categorical' : undefined;
  }
}

/** Options of the sparse categorical crossentropy. */
export interface SparseCategoricalCrossentropyArgs {
  /** Whether `yPred` holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
}

/**
 * Categorical crossentropy with integer class ids as targets: `yTrue` is `[n]` or `[n, 1]`
 * (int32 or float32 holding integers), `yPred` is `[n, numClasses]`. A class id outside
 * [0, numClasses) is a ValueError naming it.
 *
 * ```ts
 * new SparseCategoricalCrossentropy().call(tf.tensor([2, 0]), probabilities);
 * ```
 */
export class SparseCategoricalCrossentropy implements Loss {
  readonly name = 'sparse_categorical_crossentropy';
  readonly className = 'SparseCategoricalCrossentropy';
  /** Whether `yPred` holds logits. */
  readonly fromLogits: boolean;

  constructor(args: SparseCategoricalCrossentropyArgs = {}) {
    const owner = 'SparseCategoricalCrossentropy';
    checkKeys(owner, args, ['fromLogits']);
    this.fromLogits = booleanArg(owner, 'fromLogits', args.fromLogits, false);
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    requirePredRank(this.name, yTrue, yPred);
    return tf.tidy(() => {
      const numClasses = yPred.shape[yPred.rank - 1] ?? 0;
      const labels = sparseLabels(this.name, yTrue, yPred);
      const oneHot = tf.reshape(tf.oneHot(labels, numClasses, 1, 0, 'float32'), yPred.shape);
      return meanCrossentropy(oneHot, yPred, this.fromLogits);
    });
  }

  getConfig(): Record<string, unknown> {
    return { fromLogits: this.fromLogits };
  }

  /** Fused on probabilities (this class only, not subclasses). */
  fusedCrossentropy(): FusedCrossentropy | undefined {
    const plain = this.constructor === SparseCategoricalCrossentropy;
    return plain && !this.fromLogits ? 'sparse' : undefined;
  }
}
