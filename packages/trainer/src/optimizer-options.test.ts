import { tf } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import { blobs, classifier, maxAbsDiff, weightsOf } from './testing/fixtures.js';

const ADAMW = {
  className: 'AdamW',
  config: { learningRate: 0.05, weightDecay: 0.5, excludeFromWeightDecay: ['bias'] },
};

describe('fit: per-variable optimizer options', () => {
  it('excludeFromWeightDecay trains like in-process model.fit for 1, 2 and 4 workers', async () => {
    const data = blobs(40);
    const factory = classifier();
    const inProcess = factory.make();
    inProcess.compile({ optimizer: ADAMW as never, loss: 'categorical_crossentropy' });
    const { x, y } = data.toTensors({ oneHot: true });
    await inProcess.fit(x, y, { epochs: 2, batchSize: 8, seed: 4, verbose: 0 });
    tf.dispose([x, y]);
    for (const workers of [1, 2, 4]) {
      const m = factory.make();
      const h = await fit(m, data, {
        workers,
        epochs: 2,
        batchSize: 8,
        seed: 4,
        optimizer: ADAMW,
        loss: 'categorical_crossentropy',
      });
      expect(h.trainingPath?.path).toBe('tfjs');
      expect(maxAbsDiff(weightsOf(inProcess), weightsOf(m))).toBeLessThanOrEqual(1e-5);
    }
  });
});
