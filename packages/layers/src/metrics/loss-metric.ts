/**
 * Metrics that are losses reported as metrics: mae, mse and the crossentropies. The value
 * is the loss's own (mean over the last axis, then the batch), without regularization.
 */
import { received, type Tensor, ValueError } from '@tessera/core';
import type { Loss } from '../losses/loss.js';
import type { Metric } from './metric.js';

/**
 * A loss reported as a metric under `name`. Serializes as the loss's class name with the
 * loss's options plus `name`, as Keras metric classes do (`{ className: 'MeanAbsoluteError',
 * config: { name: 'mae' } }`).
 *
 * ```ts
 * const mae = new LossMetric(new MeanAbsoluteError(), 'mae');
 * ```
 */
export class LossMetric implements Metric {
  readonly name: string;
  /** The loss computed. */
  readonly loss: Loss;

  constructor(loss: Loss, name: string) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new ValueError(received('LossMetric: name must be a non-empty string', 'name', name));
    }
    this.loss = loss;
    this.name = name;
  }

  get className(): string {
    return this.loss.className ?? this.loss.name;
  }

  call(yTrue: Tensor, yPred: Tensor): Tensor {
    return this.loss.call(yTrue, yPred);
  }

  getConfig(): Record<string, unknown> {
    return { ...this.loss.getConfig(), name: this.name };
  }
}
