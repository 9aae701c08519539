/**
 * Losses that are not a plain mean over the batch's rows, with several workers: reduction
 * 'sum' (each shard's share is its own sum) and ignoreClass (each shard divides by the rows
 * kept in the whole batch, counted through collective.ts). The shards' gradients then add
 * up to the whole batch's, as on one thread.
 */
import { losses } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import { blobs, classifier, maxAbsDiff } from './testing/fixtures.js';
import { expectWorkerParity } from './testing/parity.js';

const run = { epochs: 3, batchSize: 8, seed: 5 } as const;

describe('fit: loss reductions with several workers', () => {
  it("reduction 'sum': 1, 2 and 4 workers train like model.fit", async () => {
    const factory = classifier({
      optimizer: { className: 'SGD', config: { learningRate: 0.02 } },
      loss: losses.categoricalCrossentropy({ reduction: 'sum' }),
    });
    const expected = await expectWorkerParity({
      make: () => factory.make(),
      data: blobs(42),
      ...run,
    });
    // A mean would have trained with 1/8 of the step: the reduction mattered.
    const mean = classifier({
      optimizer: { className: 'SGD', config: { learningRate: 0.02 } },
    }).make();
    await fit(mean, blobs(42), { workers: 1, ...run });
    const { weightsOf } = await import('./testing/fixtures.js');
    expect(maxAbsDiff(expected, weightsOf(mean))).toBeGreaterThan(1e-3);
  });

  it('ignoreClass: 1, 2 and 4 workers divide by the rows kept in the whole batch', async () => {
    const factory = classifier({
      optimizer: { className: 'SGD', config: { learningRate: 0.2 } },
      loss: losses.sparseCategoricalCrossentropy({ ignoreClass: 0 }),
    });
    await expectWorkerParity({
      make: () => factory.make(),
      data: blobs(42),
      oneHot: false,
      ...run,
    });
  });

  it('with the loss reported per epoch as model.fit reports it', async () => {
    const factory = classifier({
      optimizer: 'sgd',
      loss: losses.sparseCategoricalCrossentropy({ ignoreClass: 2, reduction: 'sum' }),
    });
    const reference = factory.make();
    const data = blobs(42);
    const { x, y } = data.toTensors({ oneHot: false });
    const h0 = await reference.fit(x, y, { ...run, verbose: 0 });
    x.dispose();
    y.dispose();
    for (const workers of [2, 4]) {
      const h = await fit(factory.make(), data, { workers, ...run });
      h.history['loss']!.forEach((loss, e) => {
        expect(loss).toBeCloseTo(h0.history['loss']![e]!, 4);
      });
    }
  });
});
