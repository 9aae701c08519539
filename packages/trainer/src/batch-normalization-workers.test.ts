/**
 * BatchNormalization in data-parallel training: every shard normalises with the global
 * batch's statistics and backpropagates through them (collective.ts exchanges the sums),
 * so 1, 2 and 4 workers train like in-process model.fit, moving statistics included.
 */
import type { Tensor } from '@tessera/core';
import { layers, Model, sequential } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { WorkerError } from './errors.js';
import { fit } from './fit.js';
import { HANG_TIMEOUT_MS } from './testing/faults.js';
import {
  bitwiseEqual,
  blobs,
  faultProbe,
  registerFaultProbe,
  weightsOf,
  withSentinel,
} from './testing/fixtures.js';
import { expectWorkerParity } from './testing/parity.js';

registerFaultProbe();

/** A classifier with BatchNormalization between (and before) its Dense layers. */
function bnFactory(options: { optimizer: string; probe?: boolean }): () => Model {
  const build = () =>
    sequential([
      layers.input({ shape: [6] }),
      ...(options.probe === true ? [layers.lambda({ fn: 'fault_probe', name: 'probe' })] : []),
      layers.batchNormalization({ momentum: 0.8, name: 'bn_in' }),
      layers.dense({ units: 8, activation: 'tanh', name: 'hidden' }),
      layers.batchNormalization({ momentum: 0.9, epsilon: 0.01, name: 'bn_hidden' }),
      layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
    ]);
  const first = build();
  const json = first.toJSON();
  const weights: Tensor[] = first.getWeights();
  return () => {
    const m = Model.fromJSON(json);
    m.setWeights(weights);
    m.compile({ optimizer: options.optimizer, loss: 'categorical_crossentropy' });
    return m;
  };
}

describe('fit: BatchNormalization with several workers', () => {
  it('1, 2 and 4 workers train like model.fit: weights and moving statistics (SGD)', async () => {
    // 42 rows, batch 8: the last batch has 2 rows, so 4 workers run it on 2 shards.
    const make = bnFactory({ optimizer: 'sgd' });
    const expected = await expectWorkerParity({
      make,
      data: blobs(42),
      epochs: 3,
      batchSize: 8,
      seed: 6,
    });
    // The moving statistics moved: the check above compared something.
    const mean = expected['bn_hidden/moving_mean']!;
    expect(Math.max(...Array.from(mean).map(Math.abs))).toBeGreaterThan(1e-2);
  });

  it('and with Adam', async () => {
    await expectWorkerParity({
      make: bnFactory({ optimizer: 'adam' }),
      data: blobs(40, 3),
      epochs: 3,
      batchSize: 10,
      seed: 2,
      tolerance: 1e-4,
    });
  });

  for (const [value, cause, timeout] of [
    [1000, /injected fault/, undefined],
    [3000, /no answer within stepTimeoutMs=5000 ms/, HANG_TIMEOUT_MS],
  ] as const) {
    it(`a worker that ${value === 1000 ? 'throws' : 'hangs'} while the other waits in an exchange fails the step, named, and nothing deadlocks`, async () => {
      // Row 21 misbehaves in worker 1's forward pass of step 3 (before BatchNormalization),
      // while worker 0 waits in the exchange of the batch statistics.
      const make = bnFactory({ optimizer: 'sgd', probe: true });
      const model = make();
      const options = { workers: 2, epochs: 1, batchSize: 8, shuffle: false, seed: 1 };
      const err = await fit(model, withSentinel(21, value), {
        ...options,
        customObjects: [faultProbe],
        ...(timeout === undefined ? {} : { stepTimeoutMs: timeout }),
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkerError);
      expect((err as WorkerError).worker).toBe(1);
      expect((err as WorkerError).message).toMatch(
        /^fit: worker 1 failed at step 3 \(computing gradients\): /,
      );
      expect((err as WorkerError).message).toMatch(cause);
      const twoSteps = make();
      await fit(twoSteps, withSentinel(21, value).take(16), {
        ...options,
        customObjects: [faultProbe],
      });
      expect(bitwiseEqual(weightsOf(model), weightsOf(twoSteps))).toBe(true);
    });
  }
});
