/**
 * Loss and metrics of a model on a dataset, in chunks, with the same loss, metrics and
 * target encoding as training (the layers package's TrainingStep, inference mode).
 */
import { tf } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import { losses, type Model, metrics, TrainingStep } from '@tessera/layers';

/** What to compute. */
export interface EvaluateOptions {
  /** Loss identifier as compiled or saved (a name or `{ className, config }`). */
  loss: unknown;
  /** Metric identifiers. */
  metrics: readonly unknown[];
  /** Examples per chunk (default 1024). */
  batchSize?: number;
}

/** How targets are fed to the loss (the trainer's rule). */
function encoding(data: Dataset, lossName: string): 'one-hot' | 'sparse' | 'binary' | 'regression' {
  if (data.task === 'regression') return 'regression';
  if (lossName === 'sparse_categorical_crossentropy') return 'sparse';
  if (lossName === 'binary_crossentropy') return 'binary';
  return 'one-hot';
}

/** `{ loss, <metric>: value, … }`: means over all examples of the dataset. */
export function evaluateModel(
  model: Model,
  data: Dataset,
  options: EvaluateOptions,
): Record<string, number> {
  const loss = losses.get(options.loss as Parameters<typeof losses.get>[0]);
  const metricList = options.metrics.map((m) =>
    metrics.get(m as Parameters<typeof metrics.get>[0], { loss: loss.name }),
  );
  const step = new TrainingStep(model, { loss, metrics: metricList });
  const mode = encoding(data, loss.name);
  const chunk = options.batchSize ?? 1024;
  const order = Int32Array.from({ length: data.size }, (_, i) => i);
  let lossSum = 0;
  const sums = new Array<number>(step.statistics.size).fill(0);
  for (let start = 0; start < data.size; start += chunk) {
    const end = Math.min(data.size, start + chunk);
    const n = end - start;
    const xs = data.gatherFeatures(order, start, end);
    const ys = data.gatherTargets(order, start, end, { oneHot: mode === 'one-hot' });
    const yShape =
      mode === 'one-hot'
        ? [n, data.numClasses ?? 1]
        : mode === 'sparse'
          ? [n]
          : mode === 'binary'
            ? [n, 1]
            : [n, ...data.targetShape];
    const x = tf.tensor(xs, [n, ...data.featureShape], 'float32');
    const y = tf.tensor(ys, yShape, 'float32');
    try {
      const r = step.evaluate(x, y);
      lossSum += r.loss * n;
      // Statistics, not per-chunk values: precision or AUC are those of all rows.
      r.statistics.forEach((m, i) => {
        sums[i] = (sums[i] ?? 0) + m * n;
      });
    } finally {
      tf.dispose([x, y]);
    }
  }
  const total = Math.max(1, data.size);
  const result: Record<string, number> = { loss: lossSum / total };
  const values = step.statistics.values(
    sums.map((s) => s / total),
    data.size,
  );
  step.metricNames.forEach((name, i) => {
    result[name] = values[i]!;
  });
  return result;
}
