// Dropout draws the same masks on every way of training a model (layers' step-noise.ts):
// in-process model.fit, the trainer's tfjs path and its resident step, on any number of
// workers — so they train the same weights, to float rounding (bit for bit between worker
// counts of one path). Before, each drew its own way and they ended up 2e-3 apart.
import { tf } from '@tessera/core';
import type { Dataset } from '@tessera/datasets';
import { layers, type Model as ModelType, sequential } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import { bitwiseEqual, blobs, maxAbsDiff, sameStart, weightsOf } from './testing/fixtures.js';
import { weightRecorder } from './testing/recorders.js';

/** A classifier with two Dropout layers of these rates (named layers, so weights compare by name). */
function build(rates: [number, number]): ModelType {
  return sequential([
    layers.input({ shape: [6] }),
    layers.dense({ units: 16, activation: 'relu', name: 'hidden1' }),
    layers.dropout({ rate: rates[0], name: 'drop1' }),
    layers.dense({ units: 12, activation: 'relu', name: 'hidden2' }),
    layers.dropout({ rate: rates[1], name: 'drop2' }),
    layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
  ]);
}

/** Makes the model of `rates` with the same initial weights each time. */
function factory(rates: [number, number] = [0.4, 0.25]): () => ModelType {
  const start = sameStart(build(rates));
  return () => start.make();
}

const EPOCHS = 2;
const SEED = 9;

async function viaModelFit(make: () => ModelType, data: Dataset, batchSize: number) {
  const model = make();
  const { x, y } = data.toTensors({ oneHot: true });
  try {
    await model.fit(x, y, { epochs: EPOCHS, batchSize, seed: SEED, verbose: 0 });
  } finally {
    tf.dispose([x, y]);
  }
  return weightsOf(model);
}

async function viaTrainer(
  make: () => ModelType,
  data: Dataset,
  batchSize: number,
  workers: number,
  trainingPath: 'tfjs' | 'resident',
) {
  const model = make();
  const steps = weightRecorder('step');
  const history = await fit(model, data, {
    workers,
    epochs: EPOCHS,
    batchSize,
    seed: SEED,
    trainingPath,
    callbacks: [steps],
  });
  expect(history.trainingPath?.path).toBe(trainingPath);
  return { final: weightsOf(model), steps: steps.snapshots };
}

describe('Dropout: the same masks on every path and worker count', () => {
  // 42 rows: batches of 21 cut into 16 chunks of 2 or 1 rows; batches of 7 into 7 of one
  // row; and a last batch of 42 mod 16 = 10 rows.
  it.each([21, 7, 16])(
    'batch %i: model.fit, the tfjs path and the resident step agree',
    async (batch) => {
      const make = factory();
      const data = blobs(42);
      const reference = await viaModelFit(make, data, batch);
      const tfjs1 = await viaTrainer(make, data, batch, 1, 'tfjs');
      const tfjs3 = await viaTrainer(make, data, batch, 3, 'tfjs');
      const resident1 = await viaTrainer(make, data, batch, 1, 'resident');
      const resident2 = await viaTrainer(make, data, batch, 2, 'resident');
      expect(maxAbsDiff(reference, tfjs1.final)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(reference, tfjs3.final)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(reference, resident1.final)).toBeLessThanOrEqual(1e-5);
      // Step by step, the two paths within float rounding; worker counts of the resident
      // step bit for bit.
      expect(resident1.steps.length).toBe(tfjs1.steps.length);
      resident1.steps.forEach((w, i) => {
        expect(maxAbsDiff(w, tfjs1.steps[i]!), `step ${i + 1}`).toBeLessThanOrEqual(1e-5);
        expect(bitwiseEqual(w, resident2.steps[i]!), `step ${i + 1}, 2 workers`).toBe(true);
      });
    },
  );

  it('drops something: without its masks the weights end elsewhere', async () => {
    const make = factory();
    const data = blobs(42);
    const withDropout = await viaModelFit(make, data, 21);
    // The same model, initial weights and steps with the masks off (rate 0 keeps every unit).
    const plain = () => {
      const m = build([0, 0]);
      m.setWeights(make().getWeights());
      m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
      return m;
    };
    const withoutDropout = await viaModelFit(plain, data, 21);
    expect(maxAbsDiff(withDropout, withoutDropout)).toBeGreaterThan(1e-3);
  });
});
