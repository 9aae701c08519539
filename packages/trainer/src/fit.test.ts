import { tf } from '@tessera/core';
import { layers, sequential } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import {
  bitwiseEqual,
  blobs,
  classifier,
  line,
  maxAbsDiff,
  weightsOf,
} from './testing/fixtures.js';
import { weightRecorder } from './testing/recorders.js';

const data = blobs(50);

describe('fit: N workers train like one', () => {
  it('gives the same weights after each of 20+ steps for 1, 2, 3 and 4 workers (uneven shards)', async () => {
    const factory = classifier();
    const runs: Record<string, Float32Array>[][] = [];
    for (const workers of [1, 2, 3, 4]) {
      const rec = weightRecorder('step');
      // 50 examples, batch 7: shards of 7 split unevenly; the last batch has 1 example.
      await fit(factory.make(), data, {
        workers,
        epochs: 3,
        batchSize: 7,
        seed: 11,
        callbacks: [rec],
      });
      expect(rec.snapshots.length).toBe(24);
      runs.push(rec.snapshots);
    }
    for (const other of runs.slice(1)) {
      other.forEach((w, step) => {
        expect(maxAbsDiff(w, runs[0]![step]!), `step ${step + 1}`).toBeLessThanOrEqual(1e-5);
      });
    }
    // Training did something: the weights moved.
    expect(maxAbsDiff(runs[0]![0]!, runs[0]![23]!)).toBeGreaterThan(1e-3);
  });

  it.each([
    ['adam', undefined],
    [
      'sgd with momentum (its own update loop)',
      { className: 'SGD', config: { learningRate: 0.05, momentum: 0.9 } },
    ],
  ] as const)(
    'trains on the resident step with %s, bitwise the same for 1 to 4 workers',
    async (_, optimizer) => {
      const factory = classifier();
      const finals: Record<string, Float32Array>[] = [];
      for (const workers of [1, 2, 3, 4]) {
        const model = factory.make();
        const history = await fit(model, data, {
          workers,
          epochs: 2,
          batchSize: 7,
          seed: 5,
          ...(optimizer === undefined ? {} : { optimizer }),
        });
        expect(history.trainingPath).toMatchObject({ path: 'resident' });
        finals.push(weightsOf(model));
      }
      for (const other of finals.slice(1)) expect(bitwiseEqual(finals[0]!, other)).toBe(true);
      expect(maxAbsDiff(finals[0]!, weightsOf(factory.make()))).toBeGreaterThan(1e-3);
    },
  );

  it('agrees with the tfjs path (trainingPath) within float rounding, step by step', async () => {
    const factory = classifier();
    const runs: Record<string, Float32Array>[][] = [];
    for (const trainingPath of ['resident', 'tfjs'] as const) {
      const rec = weightRecorder('step');
      const history = await fit(factory.make(), data, {
        workers: 2,
        epochs: 1,
        batchSize: 7,
        seed: 3,
        trainingPath,
        callbacks: [rec],
      });
      expect(history.trainingPath?.path).toBe(trainingPath);
      runs.push(rec.snapshots);
    }
    runs[0]!.forEach((w, step) => {
      expect(maxAbsDiff(w, runs[1]![step]!), `step ${step + 1}`).toBeLessThanOrEqual(1e-5);
    });
  });

  it('is bitwise reproducible for the same seed and worker count', async () => {
    const factory = classifier();
    const a = factory.make();
    const b = factory.make();
    await fit(a, data, { workers: 3, epochs: 2, batchSize: 8, seed: 5 });
    await fit(b, data, { workers: 3, epochs: 2, batchSize: 8, seed: 5 });
    expect(bitwiseEqual(weightsOf(a), weightsOf(b))).toBe(true);
    const c = factory.make();
    await fit(c, data, { workers: 3, epochs: 2, batchSize: 8, seed: 6 });
    expect(bitwiseEqual(weightsOf(a), weightsOf(c))).toBe(false);
  });

  it('matches in-process model.fit with one worker', async () => {
    const factory = classifier({ optimizer: 'sgd' });
    const inProcess = factory.make();
    const { x, y } = data.toTensors({ oneHot: true });
    await inProcess.fit(x, y, { epochs: 2, batchSize: 8, seed: 9, shuffle: true, verbose: 0 });
    tf.dispose([x, y]);
    const parallel = factory.make();
    await fit(parallel, data, { workers: 1, epochs: 2, batchSize: 8, seed: 9 });
    expect(maxAbsDiff(weightsOf(inProcess), weightsOf(parallel))).toBeLessThanOrEqual(1e-6);
  });
});

describe('fit: history and learning', () => {
  it('learns a separable problem and reports per-epoch logs, throughput and timing', async () => {
    const model = classifier().make();
    const history = await fit(model, blobs(300, 3), {
      workers: 2,
      epochs: 12,
      batchSize: 16,
      seed: 1,
      validationSplit: 0.2,
      optimizer: { className: 'Adam', config: { learningRate: 0.02 } },
    });
    expect(history.epoch).toEqual(Array.from({ length: 12 }, (_, i) => i));
    for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy'])
      expect(history.history[key]).toHaveLength(12);
    expect(history.history['loss']![11]!).toBeLessThan(history.history['loss']![0]!);
    expect(history.history['val_accuracy']![11]!).toBeGreaterThan(0.85);
    expect(history.samplesPerSecond.every((s) => s > 0)).toBe(true);
    const t = history.timing[0]!;
    expect(t.computeMs).toBeGreaterThan(0);
    expect(t.reduceUpdateMs).toBeGreaterThan(0);
    expect(t.waitingMs).toBeGreaterThanOrEqual(0);
    expect(history.seed).toBe(1);
    expect(history.workers).toBe(2);
  });

  it('trains a regression model with mse', async () => {
    const model = sequential([layers.input({ shape: [2] }), layers.dense({ units: 1 })]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const history = await fit(model, line(200), {
      workers: 2,
      epochs: 30,
      batchSize: 20,
      seed: 4,
      optimizer: { className: 'Adam', config: { learningRate: 0.05 } },
    });
    const losses = history.history['loss']!;
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! / 10);
  });

  it('leaks no tensors in the main thread or the workers over 100 steps', async () => {
    const model = classifier().make();
    const before = tf.memory().numTensors;
    const history = await fit(model, blobs(200), {
      workers: 2,
      epochs: 10,
      batchSize: 20,
      seed: 2,
    });
    expect(history.workerTensors).toHaveLength(10);
    // Worker counts after epoch 2 and after epoch 10 (steps 20 and 100) are equal.
    expect(history.workerTensors[9]).toEqual(history.workerTensors[1]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('fit: bad input', () => {
  it('refuses options, data and models that do not fit, naming the value', async () => {
    const model = classifier().make();
    await expect(fit(model, data, { workers: 0 })).rejects.toThrow(
      'fit: workers must be a positive integer. Received: workers=0',
    );
    await expect(fit(model, data, { batchSize: -1 })).rejects.toThrow('Received: batchSize=-1');
    await expect(fit(model, data, { epochs: 1.5 })).rejects.toThrow('Received: epochs=1.5');
    await expect(fit(model, data, { validationSplit: 1 })).rejects.toThrow(
      'Received: validationSplit=1',
    );
    await expect(fit(model, line(10), { epochs: 1 })).rejects.toThrow(
      'fit on dataset "line": the model takes inputs of shape [6] but the examples have shape [2]',
    );
    const wide = sequential([
      layers.input({ shape: [6] }),
      layers.dense({ units: 5, activation: 'softmax' }),
    ]);
    wide.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    await expect(fit(wide, data, { epochs: 1 })).rejects.toThrow(
      'fit on dataset "blobs": the model outputs shape [None, 5] but the data has 3 classes, so the last layer needs 3 unit(s)',
    );
    const uncompiled = sequential([layers.input({ shape: [6] }), layers.dense({ units: 3 })]);
    await expect(fit(uncompiled, data, { epochs: 1 })).rejects.toThrow(/call model.compile/);
  });
});

describe('fit: gradient clipping options', () => {
  it('trains globalClipnorm on the tfjs path (saying why), and clipvalue on the resident step', async () => {
    const factory = classifier();
    const byNorm = await fit(factory.make(), blobs(20), {
      workers: 2,
      epochs: 1,
      optimizer: { className: 'Adam', config: { globalClipnorm: 1 } },
    });
    expect(byNorm.trainingPath).toEqual({
      path: 'tfjs',
      reason: 'the optimizer clips by the global norm, which the resident step does not plan',
    });
    const clipped = factory.make();
    const history = await fit(clipped, blobs(40), {
      workers: 2,
      epochs: 2,
      batchSize: 8,
      seed: 2,
      optimizer: { className: 'Adam', config: { clipvalue: 1e-3 } },
    });
    // Adam's steps stay about lr per weight whatever the clip; the run must still learn.
    expect(history.trainingPath?.path).toBe('resident');
    expect(maxAbsDiff(weightsOf(clipped), weightsOf(factory.make()))).toBeGreaterThan(1e-4);
  });
});
