/**
 * The trainer's callbacks, translated from the peers' suites: Keras 3
 * `keras/src/callbacks/{csv_logger,terminate_on_nan,model_checkpoint}_test.py`. Keras runs them in
 * `model.fit`; here they run in @tessera/layers' `model.fit` and in the data-parallel `fit`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tf } from '@tessera/core';
import { tempFolder } from '@tessera/core/testing';
import { initializers, layers, type Model, sequential } from '@tessera/layers';
import { afterAll, describe, expect, it } from 'vitest';
import {
  csvLogger,
  fit,
  loadCheckpoint,
  modelCheckpoint,
  terminateOnNaN,
} from '../../src/index.js';
import { bitwiseEqual, blobs, classifier, weightsOf } from '../../src/testing/fixtures.js';
import { weightRecorder } from '../../src/testing/recorders.js';

const tmp = tempFolder('tessera-parity-csv-');
afterAll(() => tmp.cleanup());

/** Keras's test data: 10 rows of 3 features, one target column. */
function kerasData() {
  const x = tf.tensor2d(
    Array.from({ length: 30 }, (_, i) => (Math.sin(i * 2.1) + 1) / 2),
    [10, 3],
  );
  const y = tf.tensor2d(
    Array.from({ length: 10 }, (_, i) => (Math.cos(i) + 1) / 2),
    [10, 1],
  );
  return { x, y };
}

function kerasModel(): Model {
  const m = sequential([
    layers.dense({ units: 2, activation: 'relu', inputShape: [3] }),
    layers.dense({ units: 1 }),
  ]);
  m.compile({ loss: 'mse', optimizer: 'sgd', metrics: ['mse'] });
  return m;
}

describe('Keras csv_logger_test.py', () => {
  // CSVLoggerTest.test_CSVLogger: a new file with a tab separator; append without a second
  // header; the same logger reused; 5 columns per line, one header in all.
  it('test_CSVLogger: separator, append, reuse', async () => {
    const path = join(tmp.dir, 'log.tsv');
    const { x, y } = kerasData();
    const run = async (logger: ReturnType<typeof csvLogger>, epochs: number) =>
      kerasModel().fit(x, y, {
        batchSize: 4,
        validationData: [x, y],
        epochs,
        verbose: 0,
        callbacks: [logger],
      });
    await run(csvLogger({ path, separator: '\t' }), 1);
    const first = await readFile(path, 'utf8');
    expect(first.split('\n')[0]).toBe(['epoch', 'loss', 'mse', 'val_loss', 'val_mse'].join('\t'));
    const appending = csvLogger({ path, separator: '\t', append: true });
    await run(appending, 1);
    await run(appending, 2);
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    for (const line of lines) expect(line.split('\t')).toHaveLength(5);
    expect(lines).toHaveLength(5);
    expect(lines.join(' ').match(/epoch/g)).toHaveLength(1);
    tf.dispose([x, y]);
  });

  // Keras writes the header in append mode when the file is new (or empty).
  it('append to a file that does not exist yet starts with the header', async () => {
    const path = join(tmp.dir, 'fresh.csv');
    const { x, y } = kerasData();
    await kerasModel().fit(x, y, {
      epochs: 2,
      verbose: 0,
      callbacks: [csvLogger({ path, append: true })],
    });
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('epoch,loss,mse');
    expect(lines).toHaveLength(3);
    tf.dispose([x, y]);
  });

  it('the data-parallel fit writes the same columns', async () => {
    const path = join(tmp.dir, 'workers.csv');
    await fit(classifier().make(), blobs(32), {
      workers: 2,
      epochs: 2,
      batchSize: 8,
      seed: 1,
      validationSplit: 0.25,
      callbacks: [csvLogger({ path, separator: ';' })],
    });
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('epoch;accuracy;loss;val_accuracy;val_loss');
    expect(lines).toHaveLength(3);
  });
});

describe('Keras terminate_on_nan_test.py', () => {
  // TerminateOnNaNTest.test_TerminateOnNaN: constant 1e5 kernels blow the loss up at once.
  it('test_TerminateOnNaN: training ends in the first epoch with a non-finite loss', async () => {
    const m = sequential([
      layers.dense({
        units: 2,
        activation: 'relu',
        kernelInitializer: initializers.constant({ value: 1e5 }),
        inputShape: [3],
      }),
      ...Array.from({ length: 4 }, () =>
        layers.dense({
          units: 2,
          activation: 'relu',
          kernelInitializer: initializers.constant({ value: 1e5 }),
        }),
      ),
      layers.dense({ units: 2 }),
    ]);
    m.compile({ loss: 'mean_squared_error', optimizer: 'sgd' });
    const x = tf.tensor2d(
      Array.from({ length: 30 }, (_, i) => (i % 7) / 7),
      [10, 3],
    );
    const y = tf.oneHot(tf.tensor1d([0, 1, 1, 0, 1, 0, 0, 1, 1, 0], 'int32'), 2).toFloat();
    const stopper = terminateOnNaN();
    const h = await m.fit(x, y, { batchSize: 4, epochs: 20, verbose: 0, callbacks: [stopper] });
    expect(h.epoch.length).toBeLessThanOrEqual(1);
    const losses = h.history['loss'] ?? [];
    if (losses.length > 0) expect(Number.isFinite(losses[0])).toBe(false);
    tf.dispose([x, y]);
  });

  // test_terminate_on_nan_graceful_stop: infinite targets stop training without an error.
  it('test_terminate_on_nan_graceful_stop: infinite targets, fewer than 4 epochs', async () => {
    const m = sequential([layers.dense({ units: 1, inputShape: [1] })]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.tensor2d([[1], [2]]);
    const y = tf.tensor2d([[Number.POSITIVE_INFINITY], [Number.POSITIVE_INFINITY]]);
    const h = await m.fit(x, y, {
      epochs: 2,
      batchSize: 1,
      verbose: 0,
      callbacks: [terminateOnNaN()],
    });
    expect((h.history['loss'] ?? []).length).toBeLessThan(4);
    tf.dispose([x, y]);
  });
});

describe('Keras model_checkpoint_test.py (Tessera writes .tsr files into a folder)', () => {
  // test_model_checkpoint_options, case 8a: an integer save_freq saves every N steps.
  it('case 8a: everySteps 3 saves after steps 3, 6, 9 and 12 of 12 (keep 10)', async () => {
    const dir = join(tmp.dir, 'every3');
    await fit(classifier().make(), blobs(40), {
      workers: 1,
      epochs: 3,
      batchSize: 10,
      seed: 1,
      callbacks: [
        modelCheckpoint({ dir, everyEpochs: 0, everySteps: 3, keep: 10, saveBest: false }),
      ],
    });
    const files = (await readdir(dir)).filter((f) => f.startsWith('step-')).sort();
    expect(files).toEqual(['step-12.tsr', 'step-3.tsr', 'step-6.tsr', 'step-9.tsr']);
  });

  // case 9: an invalid save frequency is refused.
  it('case 9: invalid frequencies are refused', () => {
    expect(() => modelCheckpoint({ dir: tmp.dir, everySteps: 0 })).toThrow(
      'Received: everySteps=0',
    );
    expect(() => modelCheckpoint({ dir: tmp.dir, everyEpochs: -1 })).toThrow(/everyEpochs/);
  });

  // cases 1–4 and 13–15: save_best_only keeps the best epoch's model (mode min or max), and
  // test_model_checkpoint_loading: the saved weights are the model's at that epoch.
  it("saveBest keeps the best epoch; its weights are that epoch's", async () => {
    for (const [monitor, mode] of [
      ['loss', 'min'],
      ['accuracy', 'max'],
      ['loss', 'max'],
    ] as const) {
      const dir = join(tmp.dir, `best-${monitor}-${mode}`);
      const rec = weightRecorder('epoch');
      const values: number[] = [];
      const model = classifier().make();
      const history = await fit(model, blobs(32), {
        workers: 2,
        epochs: 4,
        batchSize: 8,
        seed: 2,
        callbacks: [rec, modelCheckpoint({ dir, everyEpochs: 0, monitor, mode })],
      });
      values.push(...(history.history[monitor] ?? []));
      const best =
        mode === 'min' ? values.indexOf(Math.min(...values)) : values.indexOf(Math.max(...values));
      const saved = await loadCheckpoint(join(dir, 'best.tsr'));
      expect(bitwiseEqual(saved.weights, rec.snapshots[best]!), `${monitor} ${mode}`).toBe(true);
      expect(Object.keys(weightsOf(model))).toEqual(Object.keys(saved.weights));
    }
  });
});
