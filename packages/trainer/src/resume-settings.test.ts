/**
 * What a checkpoint must hold for a resumed run to continue exactly as it started: class
 * weights, the validation split, metric configs and every optimizer option, checked against
 * the uninterrupted run; and older checkpoints (no class-weight or split record) still resume.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '@tessera/core';
import { metrics } from '@tessera/layers';
import { afterAll, describe, expect, it } from 'vitest';
import { type CheckpointData, loadCheckpoint, restoreModel, saveCheckpoint } from './checkpoint.js';
import { validateCheckpointFields } from './checkpoint-validation.js';
import { fit } from './fit.js';
import type { FitOptions } from './options.js';
import { bitwiseEqual, blobs, classifier, weightsOf } from './testing/fixtures.js';

const data = blobs(48);
const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

/** Trains 3 epochs whole, and 1 + 2 resumed from the epoch-1 checkpoint; both results. */
async function wholeAndResumed(
  options: FitOptions,
  resumeOptions: FitOptions = {},
): Promise<{
  whole: Record<string, Float32Array>;
  resumed: Record<string, Float32Array>;
  wholeLogs: Record<string, number[]>;
  resumedLogs: Record<string, number[]>;
  saved: CheckpointData;
}> {
  const factory = classifier();
  const run = { workers: 2, epochs: 3, batchSize: 8, seed: 5, ...options } as const;
  const whole = factory.make();
  const wholeHistory = await fit(whole, data, run);
  const dir = await mkdtemp(join(tmpdir(), 'tessera-resume-settings-'));
  made.push(dir);
  await fit(factory.make(), data, { ...run, epochs: 1, checkpoint: { dir } });
  const saved = await loadCheckpoint(join(dir, 'checkpoints', 'epoch-1.tsr'));
  const model = restoreModel(saved);
  const resumedHistory = await fit(model, data, {
    workers: 2,
    epochs: 3,
    resume: saved,
    ...resumeOptions,
  });
  return {
    whole: weightsOf(whole),
    resumed: weightsOf(model),
    wholeLogs: wholeHistory.history as Record<string, number[]>,
    resumedLogs: resumedHistory.history as Record<string, number[]>,
    saved,
  };
}

describe('resume: the run continues with the settings it started with', () => {
  it('classWeight is stored and reused when the resuming call does not repeat it', async () => {
    const classWeight = { 0: 3, 2: 0.25 };
    const r = await wholeAndResumed({ classWeight });
    expect(r.saved.run.classWeight).toEqual({ 0: 3, 2: 0.25 });
    expect(bitwiseEqual(r.resumed, r.whole)).toBe(true);
    expect(r.resumedLogs['loss']).toEqual(r.wholeLogs['loss']);
  });

  it('refuses another classWeight on resume, naming both', async () => {
    const r = await wholeAndResumed({ classWeight: { 1: 2 } }, { classWeight: { 1: 2 } });
    expect(bitwiseEqual(r.resumed, r.whole)).toBe(true);
    const model = restoreModel(r.saved);
    await expect(
      fit(model, data, { workers: 1, resume: r.saved, classWeight: { 1: 3 } }),
    ).rejects.toThrow(
      /fit: resume was trained with classWeight=\{"1":2\}; resuming continues that run, so give the same classWeight or none\. Received: classWeight=/,
    );
    const unweighted = { ...r.saved, run: { ...r.saved.run, classWeight: null } };
    await expect(
      fit(restoreModel(unweighted), data, {
        workers: 1,
        resume: unweighted,
        classWeight: { 0: 2 },
      }),
    ).rejects.toThrow(/trained with classWeight=null/);
  });

  it('a checkpoint from before classWeight was recorded resumes with the caller’s', async () => {
    const classWeight = { 0: 2 };
    const r = await wholeAndResumed({ classWeight }, { classWeight });
    const old = structuredClone(r.saved);
    delete old.run.classWeight;
    validateCheckpointFields(old, 'old.tsr');
    const model = restoreModel(old);
    await fit(model, data, { workers: 2, epochs: 3, resume: old, classWeight });
    expect(bitwiseEqual(weightsOf(model), r.whole)).toBe(true);
  });

  it('validationSplit is stored and reused when the resuming call does not repeat it', async () => {
    // 48 rows: 36 train, the last 12 are held out; a resume without the split trained on them.
    const r = await wholeAndResumed({ validationSplit: 0.25 });
    expect(r.saved.run.validationSplit).toBe(0.25);
    expect(r.saved.run.validationData).toBe(false);
    expect(bitwiseEqual(r.resumed, r.whole)).toBe(true);
    expect(r.resumedLogs['loss']).toEqual(r.wholeLogs['loss']);
    expect(r.wholeLogs['val_loss']).toHaveLength(3);
    expect(r.resumedLogs['val_loss']).toEqual(r.wholeLogs['val_loss']);
  });

  it('a validationSplit given on resume is the caller’s choice; the two recorded fields must agree', async () => {
    const r = await wholeAndResumed({ validationSplit: 0.25 }, { validationSplit: 0.25 });
    expect(bitwiseEqual(r.resumed, r.whole)).toBe(true);
    // Another split (resuming on other data, say): used as given, every row trains.
    const other = restoreModel(r.saved);
    const history = await fit(other, data, {
      workers: 2,
      epochs: 3,
      resume: r.saved,
      validationSplit: 0,
    });
    // The resumed epochs have no val_loss (the saved history's earlier epochs keep theirs).
    expect(history.history['val_loss']?.length ?? 0).toBeLessThan(history.history['loss']!.length);
    expect(bitwiseEqual(weightsOf(other), r.resumed)).toBe(false);
    const inconsistent = { ...r.saved, run: { ...r.saved.run, validationData: true } };
    expect(() => validateCheckpointFields(inconsistent, 'odd.tsr')).toThrow(FormatError);
    expect(() => validateCheckpointFields(inconsistent, 'odd.tsr')).toThrow(
      'odd.tsr: checkpoint field run.validationSplit must be 0 when run.validationData is true. Received: run.validationSplit=0.25',
    );
  });

  it('validationData is recorded, with no rows held out', async () => {
    const validationData = blobs(12);
    const r = await wholeAndResumed(
      { validationData, validationSplit: 0.25 },
      { validationData, validationSplit: 0.25 },
    );
    expect(r.saved.run.validationData).toBe(true);
    expect(r.saved.run.validationSplit).toBe(0);
    expect(bitwiseEqual(r.resumed, r.whole)).toBe(true);
    expect(r.resumedLogs['val_loss']).toEqual(r.wholeLogs['val_loss']);
  });

  it('a checkpoint from before validationSplit was recorded loads and resumes with the caller’s', async () => {
    const r = await wholeAndResumed({ validationSplit: 0.25 }, { validationSplit: 0.25 });
    const old = structuredClone(r.saved);
    delete old.run.validationSplit;
    delete old.run.validationData;
    const dir = await mkdtemp(join(tmpdir(), 'tessera-resume-old-'));
    made.push(dir);
    const file = join(dir, 'old.tsr');
    await saveCheckpoint(file, old);
    const loaded = await loadCheckpoint(file);
    expect(loaded.run.validationSplit).toBeUndefined();
    const model = restoreModel(loaded);
    await fit(model, data, { workers: 2, epochs: 3, resume: file, validationSplit: 0.25 });
    expect(bitwiseEqual(weightsOf(model), r.whole)).toBe(true);
    // Nothing recorded, nothing checked: another split is the caller's to choose.
    const other = restoreModel(loaded);
    await fit(other, data, { workers: 1, epochs: 3, resume: file, validationSplit: 0.5 });
    expect(bitwiseEqual(weightsOf(other), r.whole)).toBe(false);
  });

  it('metric configs (precision at 0.3) and aliases (acc) survive the checkpoint', async () => {
    const metricList = [metrics.precision({ thresholds: 0.3 }), 'acc'];
    const r = await wholeAndResumed({
      loss: 'categorical_crossentropy',
      optimizer: 'adam',
      metrics: metricList as FitOptions['metrics'],
    });
    expect(r.saved.compile.metrics[1]).toBe('acc');
    expect(r.saved.compile.metrics[0]).toMatchObject({
      className: 'Precision',
      config: { thresholds: 0.3 },
    });
    expect(Object.keys(r.resumedLogs).sort()).toEqual(Object.keys(r.wholeLogs).sort());
    expect(r.resumedLogs['precision']).toEqual(r.wholeLogs['precision']);
    expect(r.resumedLogs['acc']).toEqual(r.wholeLogs['acc']);
  });

  it.each([
    [
      'Nadam with clipvalue and weight decay',
      { className: 'Nadam', config: { learningRate: 0.01, clipvalue: 0.05, weightDecay: 0.1 } },
    ],
    [
      'Lion excluding biases from weight decay',
      {
        className: 'Lion',
        config: { learningRate: 0.003, weightDecay: 0.5, excludeFromWeightDecay: ['bias'] },
      },
    ],
    ['Adadelta', { className: 'Adadelta', config: { learningRate: 1 } }],
    ['Adamax', { className: 'Adamax', config: { learningRate: 0.02, clipvalue: 0.1 } }],
  ])('%s resumes bitwise-identically', async (_, optimizer) => {
    const r = await wholeAndResumed({ optimizer, loss: 'categorical_crossentropy' });
    expect(r.saved.optimizer.config).toMatchObject({
      className: optimizer.className,
      config: optimizer.config,
    });
    expect(bitwiseEqual(r.resumed, r.whole)).toBe(true);
    expect(r.resumedLogs['loss']).toEqual(r.wholeLogs['loss']);
  });
});
