import { describe, expect, it } from 'vitest';
import { WorkerError } from './errors.js';
import { fit } from './fit.js';
import {
  bitwiseEqual,
  blobs,
  classifier,
  faultProbe,
  probedClassifier,
  registerFaultProbe,
  weightsOf,
  withSentinel,
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

  // Batch 8, 2 workers, no shuffle: step k covers rows 8(k-1)…8k-1 and shard 1 holds the
  // last four; row 21 is in step 3, shard 1. The first 16 rows alone train steps 1 and 2.
  async function expectFault(value: number, cause: RegExp, stepTimeoutMs?: number) {
    const factory = probedClassifier();
    const model = factory.make();
    const options = { workers: 2, epochs: 1, batchSize: 8, shuffle: false, seed: 1 };
    const run = fit(model, withSentinel(21, value), {
      ...options,
      customObjects: [faultProbe],
      ...(stepTimeoutMs === undefined ? {} : { stepTimeoutMs }),
    });
    await expect(run).rejects.toThrow(WorkerError);
    await run.catch((err: WorkerError) => {
      expect(err.worker).toBe(1);
      expect(err.iteration).toBe(3);
      expect(err.message).toMatch(/^fit: worker 1 failed at step 3 \(computing gradients\): /);
      expect(err.message).toMatch(cause);
    });
    const twoSteps = factory.make();
    await fit(twoSteps, withSentinel(21, value).take(16), {
      ...options,
      customObjects: [faultProbe],
    });
    expect(bitwiseEqual(weightsOf(model), weightsOf(twoSteps))).toBe(true);
  }

  it('a worker that throws mid-run: the weights are those after the step before', async () => {
    await expectFault(1000, /injected fault/);
  });

  it('a worker thread that exits mid-run fails the same way', async () => {
    await expectFault(2000, /exit/i);
  });

  it('a worker that hangs mid-run is stopped after stepTimeoutMs without progress', async () => {
    await expectFault(3000, /no answer within stepTimeoutMs=1000 ms/, 1000);
  });
});
