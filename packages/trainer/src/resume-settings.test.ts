/**
 * What a checkpoint must hold for a resumed run to continue exactly as it started: class
 * weights, metric configs and every optimizer option, checked against the uninterrupted
 * run; and older checkpoints (no class-weight record) still resume.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metrics } from '@tessera/layers';
import { afterAll, describe, expect, it } from 'vitest';
import { type CheckpointData, loadCheckpoint, restoreModel } from './checkpoint.js';
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
