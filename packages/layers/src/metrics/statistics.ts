/**
 * How a model's metrics are accumulated over batches, workers and an epoch: each metric
 * owns a run of numbers in one flat vector of statistics. A mean metric's run is its batch
 * value; a stateful metric's (precision, AUC, R², see StatefulMetric) is its counts and sums
 * divided by the batch's rows. Row-weighted means of these vectors over any split of the
 * rows into batches or shards are the statistics of all rows, so `values` gives the epoch's
 * metrics exactly as Keras accumulates them, on one thread or many.
 */
import type { Tensor } from '@tessera/core';
import { tf } from '@tessera/core';
import { isStatefulMetric, type Metric } from './metric.js';

interface Entry {
  metric: Metric;
  output: number;
  offset: number;
  count: number;
}

/**
 * The statistics layout of a list of metrics over a model's outputs (each metric on each
 * output, output-major, as the metric names are).
 *
 * ```ts
 * const stats = new MetricStatistics(metricList, model.outputs.map((o) => o.shape));
 * const batch = stats.batch(ys, preds);            // per-batch statistics and values
 * stats.values(meansOverEpoch, rows);              // the epoch's metric values
 * ```
 */
export class MetricStatistics {
  /** Length of the statistics vector. */
  readonly size: number;
  private readonly entries: Entry[];

  constructor(metrics: readonly Metric[], outputShapes: ReadonlyArray<readonly (number | null)[]>) {
    let offset = 0;
    this.entries = outputShapes.flatMap((shape, output) =>
      metrics.map((metric) => {
        const count = isStatefulMetric(metric) ? metric.statisticCount(shape) : 1;
        const entry = { metric, output, offset, count };
        offset += count;
        return entry;
      }),
    );
    this.size = offset;
  }

  /** One metric value per (output, metric) from one batch, and the batch's statistics. */
  batch(
    ys: readonly Tensor[],
    preds: readonly Tensor[],
  ): { statistics: number[]; values: number[] } {
    const statistics = new Array<number>(this.size);
    const values = this.entries.map(({ metric, output, offset }) => {
      const yTrue = ys[output] as Tensor;
      const yPred = preds[output] as Tensor;
      if (isStatefulMetric(metric)) {
        const s = metric.statistics(yTrue, yPred);
        for (let i = 0; i < s.length; i++) statistics[offset + i] = s[i]!;
        const rows = yPred.rank === 0 ? 1 : (yPred.shape[0] as number);
        return metric.fromStatistics(s, rows);
      }
      const v = tf.tidy(() => metric.call(yTrue, yPred).dataSync()[0] as number);
      statistics[offset] = v;
      return v;
    });
    return { statistics, values };
  }

  /** The metric values from statistics averaged over `rows` rows (weighted by rows). */
  values(means: ArrayLike<number>, rows: number): number[] {
    return this.entries.map(({ metric, offset, count }) => {
      if (!isStatefulMetric(metric)) return means[offset] ?? 0;
      const run = Array.from({ length: count }, (_, i) => means[offset + i] ?? 0);
      return metric.fromStatistics(run, rows);
    });
  }
}
