/**
 * clipnorm and globalClipnorm with several workers: each worker sums and updates a slice
 * of the gradient, so the norms of the whole summed gradient come from every worker's
 * sums of squares over its slice (collective.ts); then each clips as one thread does.
 */
import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import { blobs, classifier, maxAbsDiff, weightsOf } from './testing/fixtures.js';
import { expectWorkerParity } from './testing/parity.js';

const data = blobs(42);
const run = { epochs: 3, batchSize: 8, seed: 4 } as const;

/** The weights of a run of `optimizer` on one worker. */
async function trained(optimizer: unknown): Promise<Record<string, Float32Array>> {
  const m = classifier({ optimizer: optimizer as 'sgd' }).make();
  await fit(m, data, { workers: 1, ...run });
  return weightsOf(m);
}

describe('fit: gradient clipping by norm with several workers', () => {
  for (const [name, clip] of [
    ['clipnorm', { clipnorm: 0.05 }],
    ['globalClipnorm', { globalClipnorm: 0.1 }],
  ] as const) {
    it(`${name}: 1, 2 and 4 workers train like model.fit`, async () => {
      const optimizer = { className: 'SGD', config: { learningRate: 0.5, ...clip } };
      const factory = classifier({ optimizer });
      const expected = await expectWorkerParity({ make: () => factory.make(), data, ...run });
      // The clip bit: without it the run ends elsewhere.
      const unclipped = await trained({ className: 'SGD', config: { learningRate: 0.5 } });
      expect(maxAbsDiff(expected, unclipped)).toBeGreaterThan(1e-3);
    });
  }

  it('Adam with globalClipnorm and weight decay, too', async () => {
    const optimizer = {
      className: 'Adam',
      config: { learningRate: 0.01, globalClipnorm: 0.2, weightDecay: 0.01 },
    };
    const factory = classifier({ optimizer });
    await expectWorkerParity({ make: () => factory.make(), data, ...run, tolerance: 1e-4 });
  });
});
