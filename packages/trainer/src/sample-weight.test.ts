/**
 * `sampleWeight` through the trainer's fit, as in-process model.fit takes it: each training
 * row's loss weighed, the validation rows split off with their weights (the validation loss
 * weighed too), on 1, 2 and 4 workers alike.
 */
import { losses } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import { blobs, classifier, maxAbsDiff, weightsOf } from './testing/fixtures.js';
import { expectWorkerParity } from './testing/parity.js';

const data = blobs(50);
/** Weights in [0, 2], some 0: rows that count for nothing. */
const weights = Array.from({ length: data.size }, (_, i) =>
  i % 7 === 3 ? 0 : ((i * 37) % 11) / 5,
);
const run = { epochs: 3, batchSize: 8, seed: 8 } as const;

describe('fit: sampleWeight', () => {
  it('trains like model.fit with sampleWeight and validationSplit, on 1, 2 and 4 workers', async () => {
    const factory = classifier({ optimizer: 'sgd' });
    const expected = await expectWorkerParity({
      make: () => factory.make(),
      data,
      ...run,
      inProcess: { sampleWeight: weights, validationSplit: 0.2 },
      trainer: { sampleWeight: weights, validationSplit: 0.2 },
      check: (got, reference, workers) => {
        for (const key of ['loss', 'val_loss', 'val_accuracy']) {
          got.history[key]!.forEach((v, e) => {
            expect(v, `${key} epoch ${e} workers=${workers}`).toBeCloseTo(
              reference.history[key]![e]!,
              5,
            );
          });
        }
      },
    });
    // The weights changed the run.
    const plain = factory.make();
    await fit(plain, data, { workers: 1, ...run, validationSplit: 0.2 });
    expect(maxAbsDiff(expected, weightsOf(plain))).toBeGreaterThan(1e-4);
  });

  it("with reduction 'sum', as a Float32Array", async () => {
    const factory = classifier({
      optimizer: { className: 'SGD', config: { learningRate: 0.02 } },
      loss: losses.categoricalCrossentropy({ reduction: 'sum' }),
    });
    const w = Float32Array.from(weights);
    await expectWorkerParity({
      make: () => factory.make(),
      data,
      ...run,
      inProcess: { sampleWeight: w },
      trainer: { sampleWeight: w },
    });
  });

  it.each([
    ["'mean' (the default under Keras's other name)", 'mean'],
    [
      "'mean_with_sample_weight' (divided by the whole batch's sum of weights)",
      'mean_with_sample_weight',
    ],
  ] as const)('with reduction %s', async (_, reduction) => {
    const factory = classifier({
      optimizer: { className: 'SGD', config: { learningRate: 0.2 } },
      loss: losses.categoricalCrossentropy({ reduction }),
    });
    const w = Float32Array.from(weights);
    await expectWorkerParity({
      make: () => factory.make(),
      data,
      ...run,
      inProcess: { sampleWeight: w },
      trainer: { sampleWeight: w },
    });
  });

  it('refuses weights that do not fit the data, and sampleWeight with classWeight', async () => {
    const m = classifier().make();
    await expect(fit(m, data, { workers: 1, sampleWeight: [1, 2] })).rejects.toThrow(
      'fit: sampleWeight needs one weight per row (50). Received: sampleWeight.length=2',
    );
    await expect(
      fit(m, data, { workers: 1, sampleWeight: weights, classWeight: { 0: 2 } }),
    ).rejects.toThrow('fit: give sampleWeight or classWeight, not both (as Keras)');
    await expect(
      fit(m, data, { workers: 1, sampleWeight: weights.map((v, i) => (i === 4 ? -1 : v)) }),
    ).rejects.toThrow(
      'fit: sample weights must be finite and non-negative. Received: sampleWeight[4]=-1',
    );
  });
});
