/**
 * Per-batch results summed over an epoch or an evaluation: the loss as a mean weighted by
 * rows, the metrics from accumulated statistics (see MetricStatistics), keyed for logs.
 */
import type { Tensor } from '@tessera/core';
import type { Logs } from '../callbacks/callback.js';
import { disposeAll, rowCount, sliceRows } from './data.js';
import type { StepResult, TrainingStep } from './training-step.js';

/** `{ loss, <metric>… }` with an optional prefix (`val_`). */
export function withKeys(names: readonly string[], result: StepResult, prefix = ''): Logs {
  const logs: Logs = { [`${prefix}loss`]: result.loss };
  names.forEach((n, i) => {
    logs[`${prefix}${n}`] = result.metrics[i] as number;
  });
  return logs;
}

/**
 * The loss's mean over batches weighted by their rows, and the metrics of all rows from
 * their accumulated statistics (precision, AUC, R² from counts, as Keras does).
 */
export class Mean {
  private total = 0;
  private loss = 0;
  private statistics: number[] = [];
  constructor(private readonly step: TrainingStep) {}
  add(result: StepResult, size: number): void {
    this.total += size;
    this.loss += result.loss * size;
    result.statistics.forEach((m, i) => {
      this.statistics[i] = (this.statistics[i] ?? 0) + m * size;
    });
  }
  result(): StepResult {
    const n = this.total || 1;
    const statistics = this.statistics.map((m) => m / n);
    return {
      loss: this.loss / n,
      metrics: this.step.statistics.values(statistics, this.total),
      statistics,
    };
  }
}

/** Loss and metrics over all rows, in batches (inference mode). */
export function evaluateBatches(
  step: TrainingStep,
  xs: Tensor[],
  ys: Tensor[],
  batchSize: number,
  weights?: Tensor,
): StepResult {
  const n = rowCount([xs, ys], ['x', 'y']);
  const mean = new Mean(step);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const xb = sliceRows(xs, start, size);
    const yb = sliceRows(ys, start, size);
    const wb = weights === undefined ? [] : sliceRows([weights], start, size);
    try {
      mean.add(step.evaluate(xb, yb, wb[0]), size);
    } finally {
      disposeAll(xb);
      disposeAll(yb);
      disposeAll(wb);
    }
  }
  return mean.result();
}
