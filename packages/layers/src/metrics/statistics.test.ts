import { Rng, type Tensor, tf } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearSession, type Logs, layers, sequential } from '../index.js';
import { metrics } from './index.js';
import { MetricStatistics } from './statistics.js';

beforeEach(() => {
  clearSession();
});

/** A binary classifier's data: 40 rows of 3 features, labels from a noisy linear rule. */
function binaryData(): { x: number[][]; y: number[][] } {
  const s = new Rng(7).stream('data');
  const x = Array.from({ length: 40 }, () => [s.normal(), s.normal(), s.normal()]);
  const y = x.map((r) => [r[0]! - 0.5 * r[1]! + 0.7 * s.normal() > 0 ? 1 : 0]);
  return { x, y };
}

function scalarOf(t: Tensor): number {
  const v = t.dataSync()[0]!;
  t.dispose();
  return v;
}

describe('metric statistics: epoch metrics from accumulated counts', () => {
  it('two batches give the metric of all rows, not the mean of the batch values', () => {
    const stats = new MetricStatistics([metrics.precision(), metrics.get('mae')], [[null, 1]]);
    const batches = [
      // tp 1, fp 0 → precision 1
      { y: [[1], [0]], p: [[0.9], [0.1]] },
      // tp 1, fp 3 → precision 0.25
      { y: [[1], [0], [0], [0]], p: [[0.8], [0.7], [0.6], [0.9]] },
    ];
    const sums = new Array<number>(stats.size).fill(0);
    let rows = 0;
    for (const b of batches) {
      const y = tf.tensor(b.y);
      const p = tf.tensor(b.p);
      const { statistics } = stats.batch([y], [p]);
      statistics.forEach((v, i) => {
        sums[i] = sums[i]! + v * b.y.length;
      });
      rows += b.y.length;
      tf.dispose([y, p]);
    }
    const [precision, mae] = stats.values(
      sums.map((s) => s / rows),
      rows,
    );
    expect(precision).toBeCloseTo(2 / 5, 12);
    const errors = [0.1, 0.1, 0.2, 0.7, 0.6, 0.9];
    expect(mae).toBeCloseTo(errors.reduce((a, b) => a + b) / 6, 6);
  });

  it('evaluate in small batches equals the metrics of the whole set', () => {
    const { x, y } = binaryData();
    const m = sequential([
      layers.dense({ units: 4, activation: 'tanh', inputShape: [3] }),
      layers.dense({ units: 1, activation: 'sigmoid' }),
    ]);
    const list = [metrics.precision(), metrics.recall(), metrics.auc(), metrics.r2Score()];
    m.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: list });
    const logs = m.evaluate(x, y, { batchSize: 3 });
    const yt = tf.tensor(y);
    const yp = m.predict(x) as Tensor;
    for (const metric of list) {
      expect(logs[metric.name]).toBeCloseTo(scalarOf(metric.call(yt, yp)), 6);
    }
    tf.dispose([yt, yp]);
  });

  it("fit's epoch logs hold the epoch's precision and AUC from counts", async () => {
    const { x, y } = binaryData();
    const m = sequential([layers.dense({ units: 1, activation: 'sigmoid', inputShape: [3] })]);
    // A learning rate too small to move a prediction across a threshold: the epoch's
    // metrics are those of the initial model on all rows.
    m.compile({
      optimizer: { className: 'SGD', config: { learningRate: 1e-9 } },
      loss: 'binary_crossentropy',
      metrics: ['precision', 'auc'],
    });
    const yt = tf.tensor(y);
    const yp = m.predict(x) as Tensor;
    const expected = {
      precision: scalarOf(metrics.precision().call(yt, yp)),
      auc: scalarOf(metrics.auc().call(yt, yp)),
    };
    tf.dispose([yt, yp]);
    const seen: Logs[] = [];
    const history = await m.fit(x, y, {
      epochs: 1,
      batchSize: 7,
      verbose: 0,
      seed: 1,
      callbacks: [{ onBatchEnd: (_b: number, l?: Logs) => void seen.push({ ...l }) }],
    });
    const last = history.history;
    expect(last['precision']?.[0]).toBeCloseTo(expected.precision, 5);
    expect(last['auc']?.[0]).toBeCloseTo(expected.auc, 5);
    const batchMean = seen.reduce((s, l) => s + (l['precision'] ?? 0), 0) / seen.length;
    expect(Math.abs(batchMean - expected.precision)).toBeGreaterThan(1e-3);
  });
});
