import { tf } from '@tessera/core';
import { metrics } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import { blobs, classifier } from './testing/fixtures.js';

/** One-hot rows of a dataset's class ids (what the trainer feeds a categorical loss). */
function oneHot(targets: ArrayLike<number>, classes: number): number[][] {
  return Array.from(targets, (c) => Array.from({ length: classes }, (_, j) => (j === c ? 1 : 0)));
}

describe('fit: stateful metrics from statistics summed over workers', () => {
  it('precision, recall and AUC are the same for 1, 2 and 4 workers, and validation equals evaluate', async () => {
    const factory = classifier();
    const train = blobs(90, 4);
    const validation = blobs(45, 9);
    const logs: Record<string, number[]>[] = [];
    for (const workers of [1, 2, 4]) {
      const model = factory.make();
      const history = await fit(model, train, {
        workers,
        epochs: 2,
        batchSize: 10,
        seed: 3,
        loss: 'categorical_crossentropy',
        metrics: ['precision', metrics.recall({ thresholds: 0.4 }), 'auc'],
        validationData: validation,
        // Stateful metrics are not planned by the resident step: this is the tfjs path.
        trainingPath: 'auto',
      });
      expect(history.trainingPath?.path).toBe('tfjs');
      logs.push(history.history);
      // Validation metrics after the last epoch are those of the whole validation set.
      const x = tf.tensor(validation.features as Float32Array, [validation.size, 6]);
      const y = tf.tensor(oneHot(validation.targets as Int32Array, 3));
      const pred = model.predict(x) as tf.Tensor;
      for (const [key, metric] of [
        ['val_precision', metrics.precision()],
        ['val_recall', metrics.recall({ thresholds: 0.4 })],
        ['val_auc', metrics.auc()],
      ] as const) {
        const whole = metric.call(y, pred);
        expect(history.history[key]?.[1]).toBeCloseTo(whole.dataSync()[0]!, 5);
        whole.dispose();
      }
      tf.dispose([x, y, pred]);
    }
    for (const other of logs.slice(1)) {
      for (const key of ['precision', 'recall', 'auc', 'val_auc']) {
        other[key]!.forEach((v, epoch) => {
          expect(v, `${key} epoch ${epoch}`).toBeCloseTo(logs[0]![key]![epoch]!, 5);
        });
      }
    }
  });
});
