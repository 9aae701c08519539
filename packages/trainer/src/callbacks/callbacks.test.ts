import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { IOError } from '@tessera/core';
import { tempFolder } from '@tessera/core/testing';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../checkpoint.js';
import { fit } from '../fit.js';
import {
  bitwiseEqual,
  blobs,
  classifier,
  editedBlobs,
  faultProbe,
  probedClassifier,
  registerFaultProbe,
  weightsOf,
} from '../testing/fixtures.js';
import { weightRecorder } from '../testing/recorders.js';
import { csvLogger } from './csv-logger.js';
import { earlyStopping, reduceLROnPlateau, terminateOnNaN } from './index.js';
import { modelCheckpoint } from './model-checkpoint.js';

const data = blobs(64);
registerFaultProbe();

describe('trainer callbacks', () => {
  it('earlyStopping stops after `patience` epochs without improvement and restores the best weights', async () => {
    const rec = weightRecorder('epoch');
    // 'loss' in max mode never improves after the first epoch: with patience 2 it stops at epoch index 2.
    const stop = earlyStopping({
      monitor: 'loss',
      mode: 'max',
      patience: 2,
      restoreBestWeights: true,
    });
    const model = classifier().make();
    const history = await fit(model, data, {
      workers: 2,
      epochs: 10,
      batchSize: 16,
      seed: 3,
      callbacks: [rec, stop],
    });
    expect(history.epoch).toEqual([0, 1, 2]);
    expect(stop.stoppedEpoch).toBe(2);
    expect(stop.bestEpoch).toBe(0);
    expect(bitwiseEqual(weightsOf(model), rec.snapshots[0]!)).toBe(true);
    expect(bitwiseEqual(rec.snapshots[0]!, rec.snapshots[2]!)).toBe(false);
  });

  it('reduceLROnPlateau lowers the rate the workers use', async () => {
    const rec = weightRecorder('epoch');
    const model = classifier().make();
    await fit(model, data, {
      workers: 2,
      epochs: 4,
      batchSize: 16,
      seed: 3,
      callbacks: [
        rec,
        reduceLROnPlateau({ monitor: 'loss', mode: 'max', patience: 0, factor: 1e-30 }),
      ],
    });
    expect(model.compiled!.optimizer.learningRate).toBeLessThan(1e-30);
    expect(bitwiseEqual(rec.snapshots[0]!, rec.snapshots[1]!)).toBe(false);
    // From epoch 3 on the rate is ~1e-33: float32 weights no longer move.
    expect(bitwiseEqual(rec.snapshots[2]!, rec.snapshots[3]!)).toBe(true);
  });

  it('terminateOnNaN stops before the bad update and never overwrites the last good checkpoint', async () => {
    const { dir } = tempFolder('tessera-nan-');
    const poisoned = editedBlobs(64, 'poisoned', (features) => {
      features[20 * 6] = 4000; // row 20: the second batch of 16 (step 2)
    });
    const factory = probedClassifier();
    const model = factory.make();
    const rec = weightRecorder('step');
    const steps = rec.snapshots;
    const guard = terminateOnNaN();
    const history = await fit(model, poisoned, {
      workers: 2,
      epochs: 3,
      batchSize: 16,
      shuffle: false,
      seed: 1,
      customObjects: [faultProbe],
      callbacks: [rec, guard, modelCheckpoint({ dir, everySteps: 1, monitor: 'loss' })],
    });
    expect(guard.stoppedAt).toBe(2);
    expect(steps).toHaveLength(1);
    expect(bitwiseEqual(weightsOf(model), steps[0]!)).toBe(true);
    // As Keras: the stopped epoch ends with the logs of its applied step (step 1 only).
    expect(history.epoch).toEqual([0]);
    expect(Number.isFinite(history.history['loss']![0]!)).toBe(true);
    const latest = await loadCheckpoint(join(dir, 'latest.tsr'));
    expect(latest.optimizer.iteration).toBe(1);
    expect(bitwiseEqual(latest.weights, steps[0]!)).toBe(true);
    await expect(stat(join(dir, 'step-2.tsr'))).rejects.toThrow();
  });

  it('modelCheckpoint writes the epoch, latest.tsr and an improved best.tsr whole, and keeps the newest', async () => {
    const { dir } = tempFolder('tessera-epoch-ckpt-');
    const rec = weightRecorder('epoch');
    // 'loss' in max mode improves only at the first epoch (the loss falls).
    await fit(classifier().make(), data, {
      workers: 2,
      epochs: 3,
      batchSize: 16,
      seed: 2,
      callbacks: [rec, modelCheckpoint({ dir, keep: 2, monitor: 'loss', mode: 'max' })],
    });
    expect((await readdir(dir)).sort()).toEqual([
      'best.tsr',
      'epoch-2.tsr',
      'epoch-3.tsr',
      'latest.tsr',
    ]);
    const latest = await readFile(join(dir, 'latest.tsr'));
    expect(latest.equals(await readFile(join(dir, 'epoch-3.tsr')))).toBe(true);
    expect(
      bitwiseEqual((await loadCheckpoint(join(dir, 'latest.tsr'))).weights, rec.snapshots[2]!),
    ).toBe(true);
    const epoch2 = await loadCheckpoint(join(dir, 'epoch-2.tsr'));
    expect(bitwiseEqual(epoch2.weights, rec.snapshots[1]!)).toBe(true);
    const best = await loadCheckpoint(join(dir, 'best.tsr'));
    expect(bitwiseEqual(best.weights, rec.snapshots[0]!)).toBe(true);
    expect(bitwiseEqual(best.weights, rec.snapshots[1]!)).toBe(false);
  });

  it('modelCheckpoint writes behind the training: a failed write stops the run with its error, and nothing is written after it', async () => {
    const { dir } = tempFolder('tessera-ckpt-fail-');
    // epoch-2.tsr cannot be written: a folder with a file in it is where the file would go.
    await mkdir(join(dir, 'epoch-2.tsr', 'inside'), { recursive: true });
    const err = await fit(classifier().make(), data, {
      workers: 2,
      epochs: 4,
      batchSize: 16,
      seed: 2,
      verbose: 0,
      callbacks: [modelCheckpoint({ dir, monitor: 'loss' })],
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(IOError);
    expect((err as Error).message).toContain(join(dir, 'epoch-2.tsr'));
    // fit returned after every write in flight ended: none left half done, none after the failure.
    const names = (await readdir(dir)).sort();
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(names).not.toContain('epoch-3.tsr');
    expect(names).not.toContain('epoch-4.tsr');
    const first = await loadCheckpoint(join(dir, 'epoch-1.tsr'));
    expect(first.optimizer.iteration).toBe(4); // 64 examples in batches of 16
  });

  it('csvLogger writes a header and one row per epoch', async () => {
    const { dir } = tempFolder('tessera-csv-');
    const path = join(dir, 'log.csv');
    await fit(classifier().make(), data, {
      workers: 2,
      epochs: 3,
      batchSize: 16,
      seed: 1,
      validationSplit: 0.25,
      callbacks: [csvLogger({ path })],
    });
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('epoch,accuracy,loss,val_accuracy,val_loss');
    expect(lines).toHaveLength(4);
    expect(lines[3]!.split(',')[0]).toBe('2');
    expect(
      lines[3]!
        .split(',')
        .slice(1)
        .every((v) => Number.isFinite(Number(v))),
    ).toBe(true);
  });

  it('validates arguments with clear messages', () => {
    expect(() => modelCheckpoint({ dir: '' })).toThrow('Received: dir=""');
    expect(() => csvLogger({ path: '' })).toThrow('csvLogger: path must be a file path');
  });
});
