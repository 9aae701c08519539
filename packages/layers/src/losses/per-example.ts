/**
 * The base of the losses that take no options beyond an optional axis: a per-example
 * value (a reduction over the last axis), averaged over the batch.
 */
import { type Tensor, tf } from '@tessera/core';
import { checkKeys } from '../registry/checks.js';
import type { Loss } from './loss.js';
import { type Reduction, reduceLosses, reductionArg, reductionConfig } from './reduction.js';
import { alignTargets } from './shapes.js';

/** A loss given by its per-example values; `call` averages them over the batch. */
export abstract class PerExampleLoss implements Loss {
  abstract readonly name: string;
  abstract readonly className: string;
  /** How per-example values become the loss (default `'sum_over_batch_size'`). */
  readonly reduction: Reduction;

  constructor(owner: string, args: object, allowed: readonly string[] = []) {
    checkKeys(owner, args, [...allowed, 'reduction']);
    this.reduction = reductionArg(owner, (args as { reduction?: unknown }).reduction);
  }

  /** One value per example (called inside `tf.tidy`, targets aligned to `yPred`'s shape). */
  protected abstract values(yTrue: Tensor, yPred: Tensor): Tensor;

  /** One loss value per example, unweighted. */
  perExample(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.tidy(() => this.values(alignTargets(this.name, yTrue, yPred), yPred));
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
