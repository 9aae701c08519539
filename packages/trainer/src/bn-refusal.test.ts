import { tf } from '@tessera/core';
import { layers, sequential } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import { blobs, maxAbsDiff, weightsOf } from './testing/fixtures.js';

const bnModel = () =>
  sequential([
    layers.input({ shape: [6] }),
    layers.batchNormalization({ momentum: 0.8, name: 'bn' }),
    layers.dense({ units: 3, activation: 'softmax', kernelInitializer: 'ones', name: 'out' }),
  ]);

describe('fit: BatchNormalization', () => {
  it('refuses more than one worker with one Keras-form line', async () => {
    await expect(
      fit(bnModel(), blobs(20), { workers: 2, optimizer: 'sgd', loss: 'categorical_crossentropy' }),
    ).rejects.toThrow(
      'fit: BatchNormalization needs the statistics of the whole batch, which the data-parallel trainer does not exchange yet; expected workers=1 (or model.fit). Received: workers=2',
    );
  });

  it('trains with one worker like in-process model.fit, moving statistics included', async () => {
    const data = blobs(40);
    const a = bnModel();
    a.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
    const { x, y } = data.toTensors({ oneHot: true });
    await a.fit(x, y, { epochs: 2, batchSize: 8, seed: 6, verbose: 0 });
    tf.dispose([x, y]);
    const b = bnModel();
    await fit(b, data, {
      workers: 1,
      epochs: 2,
      batchSize: 8,
      seed: 6,
      optimizer: 'sgd',
      loss: 'categorical_crossentropy',
    });
    expect(maxAbsDiff(weightsOf(a), weightsOf(b))).toBeLessThanOrEqual(1e-5);
    // The moving mean moved away from its initial zeros.
    expect(Math.max(...Array.from(b.getWeights()[2]!.dataSync()).map(Math.abs))).toBeGreaterThan(
      1e-3,
    );
  });
});
