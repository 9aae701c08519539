import { losses } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import { blobs, classifier } from './testing/fixtures.js';

describe('fit: losses the shards cannot reduce exactly are refused', () => {
  it("refuses reduction 'sum' and ignoreClass with one Keras-form line", async () => {
    const data = blobs(20);
    await expect(
      fit(classifier().make(), data, {
        workers: 2,
        loss: losses.categoricalCrossentropy({ reduction: 'sum' }),
      }),
    ).rejects.toThrow(
      'fit: the data-parallel trainer needs the loss reduction \'sum_over_batch_size\'; use model.fit on one thread for others. Received: reduction="sum"',
    );
    await expect(
      fit(classifier().make(), data, {
        workers: 2,
        loss: losses.sparseCategoricalCrossentropy({ ignoreClass: 0 }),
      }),
    ).rejects.toThrow('Received: ignoreClass=0');
  });
});
