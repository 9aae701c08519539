// A layer applied with a fixed mode (`apply(x, { training: false })`) runs in that mode on
// every way of training: the model JSON the workers rebuild from keeps it (node kwargs), and
// the resident step plans such a Dropout as the identity. Before, the workers' copies lost
// it and dropped: the trainer's `fit` ended 7.5e-3 away from `model.fit` on both paths.
import { tf } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import { input, layers, type Model as ModelType, model } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import { blobs, maxAbsDiff, sameStart, weightsOf } from './testing/fixtures.js';

/** Dense → Dropout(0.5) fixed to `training` → softmax, with the same initial weights each time. */
function factory(training: boolean | undefined): () => ModelType {
  const x = input({ shape: [6] });
  const h = layers.dense({ units: 16, activation: 'relu', name: 'hidden' }).apply(x);
  const d = layers
    .dropout({ rate: 0.5, name: 'drop' })
    .apply(h, training === undefined ? {} : { training });
  const out = layers.dense({ units: 3, activation: 'softmax', name: 'out' }).apply(d);
  const start = sameStart(model({ inputs: x, outputs: out }));
  return () => start.make();
}

const OPTIONS = { epochs: 2, batchSize: 16, seed: 4 };

async function viaModelFit(make: () => ModelType, data: Dataset) {
  const m = make();
  const { x, y } = data.toTensors({ oneHot: true });
  try {
    await m.fit(x, y, { ...OPTIONS, verbose: 0 });
  } finally {
    tf.dispose([x, y]);
  }
  return weightsOf(m);
}

async function viaTrainer(make: () => ModelType, data: Dataset, path: 'tfjs' | 'resident') {
  const m = make();
  const history = await fit(m, data, { ...OPTIONS, workers: 1, trainingPath: path });
  expect(history.trainingPath?.path).toBe(path);
  return weightsOf(m);
}

describe('a Dropout fixed to inference', () => {
  it('trains the same weights via model.fit and the trainer on both paths', async () => {
    const make = factory(false);
    const data = blobs(64);
    const reference = await viaModelFit(make, data);
    expect(maxAbsDiff(reference, await viaTrainer(make, data, 'tfjs'))).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(reference, await viaTrainer(make, data, 'resident'))).toBeLessThanOrEqual(
      1e-5,
    );
    // It is the fixed mode that makes them agree: the same Dropout in the model's mode drops.
    const inModelMode = factory(undefined);
    const sameStart = () => {
      const m = inModelMode();
      m.setWeights(make().getWeights());
      return m;
    };
    const dropping = await viaModelFit(sameStart, data);
    expect(maxAbsDiff(reference, dropping)).toBeGreaterThan(1e-3);
  });
});
