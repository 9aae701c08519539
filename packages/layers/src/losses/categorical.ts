/**
 * Categorical crossentropy for one-hot targets and its sparse form for integer class ids.
 * Probabilities are renormalised to sum to 1 and clipped to [1e-7, 1 - 1e-7] before the log
 * (as Keras does); logits go through a log-softmax, which is stable for any magnitude.
 */
import { received, type Tensor, tf, ValueError } from '@tessera/core';
import { booleanArg, checkKeys } from '../registry/checks.js';
import { type CrossentropyArgs, clipProbabilities, SmoothedCrossentropy } from './crossentropy.js';
import type { FusedCrossentropy, Loss } from './loss.js';
import {
  type Reduction,
  type ReductionArgs,
  reduceLosses,
  reductionArg,
  reductionConfig,
} from './reduction.js';
import { checkSparseShape, requirePredRank, sparseLabels } from './shapes.js';

/** Log-probabilities over the last axis, from probabilities or from logits. */
export function logProbabilities(yPred: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) return tf.logSoftmax(yPred);
  const normalised = tf.div(yPred, tf.sum(yPred, -1, true));
  return tf.log(clipProbabilities(normalised));
}

/** `-Σ target·log(p)` over the last axis, one value per example. Call inside `tf.tidy`. */
function crossentropy(target: Tensor, yPred: Tensor, fromLogits: boolean): Tensor {
  const logProb = logProbabilities(yPred, fromLogits);
  return tf.neg(tf.sum(tf.mul(target, logProb), -1));
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

  perExample(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.tidy(() => {
      const target = this.targets(yTrue, yPred, yPred.shape[yPred.rank - 1] ?? 1);
      return crossentropy(target, yPred, this.fromLogits);
    });
  }

  /** Fused on probabilities without label smoothing (this class only, not subclasses). */
  fusedCrossentropy(): FusedCrossentropy | undefined {
    const plain = this.constructor === CategoricalCrossentropy;
    return plain && !this.fromLogits && this.labelSmoothing === 0 ? 'categorical' : undefined;
  }
}

/** Options of the sparse categorical crossentropy. */
export interface SparseCategoricalCrossentropyArgs extends ReductionArgs {
  /** Whether `yPred` holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /**
   * Examples whose label is this class id count for nothing: their loss is 0 and
   * `'sum_over_batch_size'` divides by the examples left (default null: none ignored).
   */
  ignoreClass?: number | null;
}

/**
 * Categorical crossentropy with integer class ids as targets: `yTrue` is `[n]` or `[n, 1]`
 * (int32 or float32 holding integers), `yPred` is `[n, numClasses]`. A class id outside
 * [0, numClasses) is a ValueError naming it (except `ignoreClass`).
 *
 * ```ts
 * new SparseCategoricalCrossentropy({ ignoreClass: -1 }).call(tf.tensor([2, -1]), probabilities);
 * ```
 */
export class SparseCategoricalCrossentropy implements Loss {
  readonly name = 'sparse_categorical_crossentropy';
  readonly className = 'SparseCategoricalCrossentropy';
  /** Whether `yPred` holds logits. */
  readonly fromLogits: boolean;
  /** How per-example values become the loss (default `'sum_over_batch_size'`). */
  readonly reduction: Reduction;
  /** The class id whose examples are ignored, or null. */
  readonly ignoreClass: number | null;

  constructor(args: SparseCategoricalCrossentropyArgs = {}) {
    const owner = 'SparseCategoricalCrossentropy';
    checkKeys(owner, args, ['fromLogits', 'reduction', 'ignoreClass']);
    this.fromLogits = booleanArg(owner, 'fromLogits', args.fromLogits, false);
    this.reduction = reductionArg(owner, args.reduction);
    const ignore = args.ignoreClass ?? null;
    if (ignore !== null && !Number.isInteger(ignore)) {
      throw new ValueError(
        received(`${owner}: ignoreClass must be an integer or null`, 'ignoreClass', ignore),
      );
    }
    this.ignoreClass = ignore;
  }

  /** Class ids (ignored ones as 0) and, with ignoreClass, the mask of examples that count. */
  private labels(yTrue: Tensor, yPred: Tensor): { labels: Tensor; mask: Tensor | undefined } {
    if (this.ignoreClass === null) {
      return { labels: sparseLabels(this.name, yTrue, yPred), mask: undefined };
    }
    checkSparseShape(this.name, yTrue, yPred);
    const ids = tf.cast(yTrue, 'float32');
    const keep = tf.cast(tf.notEqual(ids, this.ignoreClass), 'float32');
    const labels = sparseLabels(this.name, tf.mul(ids, keep), yPred);
    return { labels, mask: tf.reshape(keep, yPred.shape.slice(0, -1)) };
  }

  private values(yTrue: Tensor, yPred: Tensor): { values: Tensor; mask: Tensor | undefined } {
    requirePredRank(this.name, yTrue, yPred);
    const numClasses = yPred.shape[yPred.rank - 1] ?? 0;
    const { labels, mask } = this.labels(yTrue, yPred);
    const oneHot = tf.reshape(tf.oneHot(labels, numClasses, 1, 0, 'float32'), yPred.shape);
    return { values: crossentropy(oneHot, yPred, this.fromLogits), mask };
  }

  /** One loss value per example, unweighted (0 for an ignored class). */
  perExample(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.tidy(() => {
      const { values, mask } = this.values(yTrue, yPred);
      return mask === undefined ? values : tf.mul(values, mask);
    });
  }

  /** With ignoreClass: 1 for each example whose label is not the ignored class. */
  mask(yTrue: Tensor, yPred: Tensor): Tensor | undefined {
    if (this.ignoreClass === null) return undefined;
    return tf.tidy(() => this.labels(yTrue, yPred).mask as Tensor);
  }

  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return tf.tidy(() => {
      const { values, mask } = this.values(yTrue, yPred);
      return reduceLosses(this.name, values, this.reduction, sampleWeight, mask);
    });
  }

  getConfig(): Record<string, unknown> {
    return {
      fromLogits: this.fromLogits,
      ...reductionConfig(this.reduction),
      ...(this.ignoreClass === null ? {} : { ignoreClass: this.ignoreClass }),
    };
  }

  /** Fused on probabilities (this class only, not subclasses). */
  fusedCrossentropy(): FusedCrossentropy | undefined {
    const plain = this.constructor === SparseCategoricalCrossentropy;
    return plain && !this.fromLogits && this.ignoreClass === null ? 'sparse' : undefined;
  }
}
