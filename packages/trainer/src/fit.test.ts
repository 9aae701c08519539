import { tf, ValueError } from '@tessera/core';
import { Dataset } from '@tessera/datasets';
import { layers, sequential } from '@tessera/layers';
import { describe, expect, it, vi } from 'vitest';
import { WorkerError } from './errors.js';
import { fit } from './fit.js';
import type { FitOptions } from './options.js';
import { WorkerPool } from './pool.js';
import {
  bitwiseEqual,
  blobs,
  classifier,
  emptyBlobs,
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

  it('a hidden layer wider than the input, batch 64: bitwise the same for 1 and 2 workers, and it learns', async () => {
    const factory = classifier({ hidden: 64 });
    const wide = blobs(300);
    const runs: { weights: Record<string, Float32Array>; loss: number[] }[] = [];
    for (const workers of [1, 2]) {
      const model = factory.make();
      const history = await fit(model, wide, { workers, epochs: 3, batchSize: 64, seed: 5 });
      expect(history.trainingPath).toMatchObject({ path: 'resident' });
      runs.push({ weights: weightsOf(model), loss: history.history.loss! });
    }
    expect(bitwiseEqual(runs[0]!.weights, runs[1]!.weights)).toBe(true);
    expect(runs[0]!.loss).toEqual(runs[1]!.loss);
    expect(runs[0]!.loss[2]!).toBeLessThan(0.95 * runs[0]!.loss[0]!);
  });

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

/** `size` rows of 6 features and 3 target values (their sum, difference and first feature). */
function threeTargets(size: number, seed = 1): Dataset {
  const base = blobs(size, seed);
  const targets = new Float32Array(size * 3);
  for (let i = 0; i < size; i++) {
    const f = base.features.subarray(i * 6, i * 6 + 6);
    targets.set([f[0]! + f[1]!, f[2]! - f[3]!, f[4]!], i * 3);
  }
  return new Dataset({
    name: 'three',
    task: 'regression',
    featureShape: [6],
    targetShape: [3],
    features: base.features,
    targets,
  });
}

function regressor(): ReturnType<typeof sequential> {
  const model = sequential(
    [
      layers.input({ shape: [6] }),
      layers.dense({ units: 8, activation: 'relu' }),
      layers.dense({ units: 3 }),
    ],
    { seed: 1 },
  );
  model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
  return model;
}

describe('fit: validationData and empty data', () => {
  it('refuses validationData of another task or shape before any worker starts', async () => {
    const started: string[] = [];
    const callbacks = [{ onTrainBegin: () => void started.push('train') }];
    // A regression model on 3 targets, validated on 3 classes: the resident step read past
    // the class ids and reported a made-up val_loss.
    const wrongTask = fit(regressor(), threeTargets(30), {
      workers: 2,
      validationData: blobs(10),
      callbacks,
    });
    await expect(wrongTask).rejects.toThrow(ValueError);
    await expect(wrongTask).rejects.toThrow(
      'fit: validationData (dataset "blobs") must have the task of the training data (dataset "three"), "regression". Received: task="classification"',
    );
    // The reverse failed after a whole epoch, in the workers (Dataset.gatherTargets).
    await expect(
      fit(classifier().make(), data, { workers: 2, validationData: threeTargets(10), callbacks }),
    ).rejects.toThrow('Received: task="regression"');
    const fourClasses = new Dataset({
      name: 'four',
      task: 'classification',
      featureShape: [6],
      features: blobs(10).features,
      targets: new Int32Array(10),
      numClasses: 4,
    });
    await expect(
      fit(classifier().make(), data, { workers: 2, validationData: fourClasses, callbacks }),
    ).rejects.toThrow(
      'must have the numClasses of the training data (dataset "blobs"), 3. Received: numClasses=4',
    );
    expect(started).toEqual([]);
  });

  it('reports the val_loss of the validation rows on the resident step', async () => {
    const model = regressor();
    const validation = threeTargets(12, 7);
    const history = await fit(model, threeTargets(40), {
      workers: 2,
      epochs: 1,
      batchSize: 8,
      seed: 1,
      verbose: 0,
      validationData: validation,
    });
    expect(history.trainingPath?.path).toBe('resident');
    const { x, y } = validation.toTensors();
    const expected = model.evaluate(x, y);
    tf.dispose([x, y]);
    expect(history.history['val_loss']![0]).toBeCloseTo(expected['loss']!, 5);
    expect(history.history['val_mae']![0]).toBeCloseTo(expected['mae']!, 5);
  });

  it('the workers refuse a validation set that is not of the training set kind', async () => {
    // fit refuses one first; this is the workers' own guard, reached by swapping the set in
    // the session fit hands them: their steps read targets the training set's way.
    const ready = WorkerPool.prototype.ready;
    const spy = vi.spyOn(WorkerPool.prototype, 'ready').mockImplementation(function (
      this: WorkerPool,
      init,
      timeoutMs,
    ) {
      return ready.call(this, { ...init, validation: blobs(12).share().describe() }, timeoutMs);
    });
    try {
      const failed = fit(regressor(), threeTargets(30), {
        workers: 2,
        verbose: 0,
        validationData: threeTargets(12, 7),
      });
      await expect(failed).rejects.toThrow(WorkerError);
      await expect(failed).rejects.toThrow(
        `session: the validation set's task "classification" is not the training set's "regression"`,
      );
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses data without rows, as model.fit does', async () => {
    const empty = emptyBlobs();
    for (const options of [{}, { validationSplit: 0.2 }] as FitOptions[]) {
      await expect(fit(classifier().make(), empty, { workers: 2, ...options })).rejects.toThrow(
        'fit: needs at least one training row. Received: rows=0',
      );
    }
    await expect(
      fit(classifier().make(), data, { workers: 2, validationData: empty }),
    ).rejects.toThrow(
      'fit: validationData needs at least one row (dataset "none" has none). Received: rows=0',
    );
  });

  it('refuses options of the wrong kind, and unknown ones, naming them', async () => {
    const model = classifier().make();
    const untyped = (options: Record<string, unknown>): FitOptions => options as FitOptions;
    await expect(fit(model, data, untyped({ validationData: { x: 1, y: 2 } }))).rejects.toThrow(
      'fit: validationData must be a Dataset from @tessera/datasets. Received: validationData="object"',
    );
    await expect(fit(model, data, untyped({ callbacks: { onEpochEnd() {} } }))).rejects.toThrow(
      'fit: callbacks must be an array',
    );
    await expect(fit(model, data, untyped({ shuffle: 'no' }))).rejects.toThrow(
      'fit: shuffle must be true or false. Received: shuffle="no"',
    );
    await expect(fit(model, data, untyped({ epoch: 3 }))).rejects.toThrow(
      /^fit: unknown option "epoch"; expected one of .*epochs.*\. Received: epoch=3$/,
    );
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
