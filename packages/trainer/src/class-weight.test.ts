import { tf } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import { blobs, classifier, maxAbsDiff, weightsOf } from './testing/fixtures.js';

describe('fit: classWeight', () => {
  it('trains like in-process model.fit with classWeight, the same for 1, 2 and 4 workers', async () => {
    const data = blobs(50);
    const classWeight = { 0: 3, 2: 0.5 };
    const factory = classifier({ optimizer: 'sgd' });
    const inProcess = factory.make();
    const { x, y } = data.toTensors({ oneHot: true });
    const h0 = await inProcess.fit(x, y, {
      epochs: 2,
      batchSize: 8,
      seed: 9,
      verbose: 0,
      classWeight,
    });
    tf.dispose([x, y]);
    const unweighted = factory.make();
    await fit(unweighted, data, { workers: 1, epochs: 2, batchSize: 8, seed: 9 });
    for (const workers of [1, 2, 4]) {
      const m = factory.make();
      const history = await fit(m, data, {
        workers,
        epochs: 2,
        batchSize: 8,
        seed: 9,
        classWeight,
      });
      expect(history.trainingPath?.path).toBe('tfjs');
      expect(maxAbsDiff(weightsOf(inProcess), weightsOf(m))).toBeLessThanOrEqual(1e-5);
      expect(history.history['loss']![1]).toBeCloseTo(h0.history['loss']![1]!, 5);
    }
    // The weights did change the run.
    expect(maxAbsDiff(weightsOf(inProcess), weightsOf(unweighted))).toBeGreaterThan(1e-4);
  });
});
