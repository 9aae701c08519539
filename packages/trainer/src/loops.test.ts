import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import { expectFault, HANG_TIMEOUT_MS } from './testing/faults.js';
import {
  bitwiseEqual,
  blobs,
  classifier,
  registerFaultProbe,
  weightsOf,
} from './testing/fixtures.js';

registerFaultProbe();

// Without batch callbacks the workers run many steps per post (one run of the loops);
// with one, every step returns to the main thread. Both must train identically and keep
// every fault guarantee.
describe('worker loops: runs of steps without the main thread', () => {
  it('give bitwise the weights of step-by-step training, for 1, 2 and 3 workers', async () => {
    const factory = classifier();
    for (const workers of [1, 2, 3]) {
      const runs = factory.make();
      const stepwise = factory.make();
      const options = { workers, epochs: 2, batchSize: 7, seed: 3 };
      const a = await fit(runs, blobs(90), options);
      const b = await fit(stepwise, blobs(90), { ...options, callbacks: [{ onBatchEnd() {} }] });
      expect(bitwiseEqual(weightsOf(runs), weightsOf(stepwise)), `${workers} workers`).toBe(true);
      expect(a.history['loss']).toEqual(b.history['loss']);
      expect(a.history['accuracy']).toEqual(b.history['accuracy']);
    }
  });

  it('a worker that throws mid-run: the weights are those after the step before', async () => {
    await expectFault(1000, /injected fault/);
  });

  it('a worker thread that exits mid-run fails the same way', async () => {
    await expectFault(2000, /exit/i);
  });

  it('a worker that hangs mid-run is stopped after stepTimeoutMs without progress', async () => {
    await expectFault(3000, /no answer within stepTimeoutMs=5000 ms/, {
      stepTimeoutMs: HANG_TIMEOUT_MS,
    });
  });
});
