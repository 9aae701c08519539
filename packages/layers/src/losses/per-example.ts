/**
 * The base of the losses that take no options beyond an optional axis: a per-example
 * value (a reduction over the last axis), averaged over the batch.
 */
import { type Tensor, tf } from '@tessera/core';
import { checkKeys } from '../registry/checks.js';
import type { Loss } from './loss.js';
import { alignTargets } from './shapes.js';

/** A loss given by its per-example values; `call` averages them over the batch. */
export abstract class PerExampleLoss implements Loss {
  abstract readonly name: string;
  abstract readonly className: string;

  constructor(owner: string, args: object, allowed: readonly string[] = []) {
    checkKeys(owner, args, allowed);
  }

  /** One value per example (called inside `tf.tidy`, targets aligned to `yPred`'s shape). */
  protected abstract perExample(yTrue: Tensor, yPred: Tensor): Tensor;

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return tf.tidy(() => tf.mean(this.perExample(alignTargets(this.name, yTrue, yPred), yPred)));
  }

  getConfig(): Record<string, unknown> {
    return {};
  }
}
