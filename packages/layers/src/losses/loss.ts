/**
 * The shapes every loss shares: the `Loss` object the trainer calls, the names the
 * registry knows, and the serialized form.
 */
import type { Tensor } from '@tessera/core';
import type { Reduction } from './reduction.js';

/**
 * A loss object. `call` returns a scalar: the mean over the batch of the per-example
 * losses (Keras's default `sum_over_batch_size` reduction).
 *
 * ```ts
 * const loss = losses.get('categorical_crossentropy');
 * const value = loss.call(yTrue, yPred); // scalar tensor
 * ```
 */
export interface Loss {
  /** Canonical snake_case name, e.g. `'categorical_crossentropy'`. */
  readonly name: string;
  /**
   * Class name used by `losses.serialize` (e.g. `'CategoricalCrossentropy'`). Optional so a
   * plain object with `name`, `call` and `getConfig` is a Loss too; such a loss serializes
   * by its registered name.
   */
  readonly className?: string;
  /**
   * Scalar: mean over the batch. `yTrue` is one-hot for categorical, integer class ids
   * (`[n]` or `[n, 1]`, float or int dtype) for sparse.
   */
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor;
  /**
   * One loss value per example, unweighted (the built-in losses have it). `call` with a
   * `sampleWeight` (`[n]`) weighs these, then reduces them as `reduction` says.
   */
  perExample?(yTrue: Tensor, yPred: Tensor): Tensor;
  /**
   * 1 for each example that `'sum_over_batch_size'` counts, 0 for one it leaves out
   * (SparseCategoricalCrossentropy's `ignoreClass`), shaped like `perExample`'s values; or
   * undefined when every example counts. The data-parallel trainer adds up these counts
   * over the shards of a batch to divide by the whole batch's.
   */
  mask?(yTrue: Tensor, yPred: Tensor): Tensor | undefined;
  /** `'sum_over_batch_size'` (the default), `'sum'` or `'none'` (see reduction.ts). */
  readonly reduction?: Reduction;
  /** Plain JSON options with camelCase keys, e.g. `{ fromLogits: false }`. */
  getConfig(): Record<string, unknown>;
  /**
   * Which fused crossentropy of `@tessera/core` computes exactly this loss on float32
   * `[batch, classes]` probabilities: 'categorical' (one-hot targets), 'sparse' (class ids),
   * or undefined (the training step calls `call`). Each loss declares it for itself; a
   * subclass that changes `call` is not fused unless it says so.
   */
  fusedCrossentropy?(): FusedCrossentropy | undefined;
}

/** The forms of core's fused crossentropy a loss can ask for. */
export type FusedCrossentropy = 'categorical' | 'sparse';

/** A loss written as a function: returns per-example losses or a scalar. */
export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** Serialized loss: class name plus config (plain JSON, camelCase keys). */
export interface SerializedLoss {
  /** Class name (`'CategoricalCrossentropy'`) or a registered custom name. */
  className: string;
  /** Options of the loss. */
  config: Record<string, unknown>;
}

/** Names of the built-in losses: Keras snake_case names, short names, camelCase and class names. */
export type LossName =
  | 'mean_squared_error'
  | 'mse'
  | 'meanSquaredError'
  | 'MeanSquaredError'
  | 'mean_absolute_error'
  | 'mae'
  | 'meanAbsoluteError'
  | 'MeanAbsoluteError'
  | 'categorical_crossentropy'
  | 'categoricalCrossentropy'
  | 'CategoricalCrossentropy'
  | 'sparse_categorical_crossentropy'
  | 'sparseCategoricalCrossentropy'
  | 'SparseCategoricalCrossentropy'
  | 'binary_crossentropy'
  | 'binaryCrossentropy'
  | 'BinaryCrossentropy'
  | 'huber'
  | 'huber_loss'
  | 'Huber';

/** Anything `losses.get` resolves: a name, a serialized loss, a Loss, or a function. */
export type LossIdentifier =
  | LossName
  | (string & Record<never, never>)
  | SerializedLoss
  | Loss
  | LossFn;

/** Keras's fuzz factor: probabilities are clipped to [EPSILON, 1 - EPSILON] before the log. */
export const EPSILON = 1e-7;
