// Runs with a veto (a callback with beforeUpdate) go one step at a time and wait for the
// main thread between the phases: a failing worker and a throwing callback must both end
// fit with their error, never resolve quietly or hang.
import { tf } from '@tessera/core';
import { constraints, layers, sequential } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { WorkerError } from './errors.js';
import { fit } from './fit.js';
import {
  blobs,
  faultProbe,
  probedClassifier,
  registerFaultProbe,
  withSentinel,
} from './testing/fixtures.js';

registerFaultProbe();

const allowAll = { beforeUpdate: () => true };

describe('fit with a veto callback', () => {
  it('rejects with the WorkerError when a worker throws', async () => {
    const run = fit(probedClassifier().make(), withSentinel(21, 1000), {
      workers: 2,
      epochs: 1,
      batchSize: 8,
      shuffle: false,
      seed: 1,
      customObjects: [faultProbe],
      callbacks: [allowAll],
    });
    await expect(run).rejects.toThrow(WorkerError);
    await expect(run).rejects.toThrow(/worker 1 failed at step 3 .*injected fault/);
  });

  it('rejects with the callback error when beforeUpdate throws, and stops every thread', async () => {
    const failing = {
      beforeUpdate: (iteration: number) => {
        if (iteration === 2) throw new Error('callback failed on purpose');
        return true;
      },
    };
    await expect(
      fit(probedClassifier().make(), blobs(40), {
        workers: 2,
        epochs: 1,
        batchSize: 8,
        seed: 1,
        customObjects: [faultProbe],
        callbacks: [failing],
      }),
    ).rejects.toThrow('callback failed on purpose');
  });
});

describe('fit: user mistakes in workers count as the user error', () => {
  it('an unregistered custom function is a userError WorkerError', async () => {
    const err = await fit(probedClassifier().make(), blobs(40), { workers: 2, epochs: 1 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkerError);
    expect((err as WorkerError).userError).toBe(true);
  });
});

describe('fit: constraints', () => {
  it('applies kernel constraints after each update without leaking tensors', async () => {
    const m = sequential([
      layers.input({ shape: [6] }),
      layers.dense({
        units: 8,
        activation: 'relu',
        kernelConstraint: constraints.maxNorm({ maxValue: 0.5 }),
      }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ]);
    m.compile({
      optimizer: { className: 'Adam', config: { learningRate: 0.05 } },
      loss: 'categorical_crossentropy',
    });
    const before = tf.memory().numTensors;
    await fit(m, blobs(80), { workers: 2, epochs: 3, batchSize: 8, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    const kernel = m.weights[0]!.variable;
    const norms = tf.tidy(() => Array.from(tf.sqrt(tf.sum(tf.square(kernel), 0)).dataSync()));
    for (const n of norms) expect(n).toBeLessThanOrEqual(0.5 + 1e-6);
  });
});
