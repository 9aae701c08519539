// An abort asked for in the last batch of an epoch is taken before the next epoch's
// onEpochBegin: its checkpoint holds the learning rate at that epoch's start, so a resumed
// run applies a LearningRateScheduler once, and ends where an uninterrupted run does.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callbacks } from '@tessera/layers';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, restoreModel } from './checkpoint.js';
import { TrainingAbortedError } from './errors.js';
import { fit } from './fit.js';
import { bitwiseEqual, blobs, classifier, weightsOf } from './testing/fixtures.js';

const folders: string[] = [];
afterAll(async () => {
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});

/** Halves the rate every epoch after the first, recording what it set. */
function halving(rates: number[]) {
  return callbacks.learningRateScheduler({
    schedule: (epoch, lr) => {
      const next = epoch === 0 ? 0.05 : lr * 0.5;
      rates.push(next);
      return next;
    },
  });
}

describe('resume after an abort at the end of an epoch', () => {
  it.each(['resident', 'tfjs'] as const)(
    'runs the schedule once per epoch and ends bit for bit where an uninterrupted run does (%s)',
    async (trainingPath) => {
      const factory = classifier();
      const data = blobs(104);
      // 104 rows in batches of 8: 13 steps an epoch.
      const run = {
        workers: 2,
        epochs: 3,
        batchSize: 8,
        seed: 5,
        verbose: 0,
        trainingPath,
      } as const;
      const whole = factory.make();
      const wholeRates: number[] = [];
      await fit(whole, data, { ...run, callbacks: [halving(wholeRates)] });
      expect(wholeRates).toEqual([0.05, 0.025, 0.0125]);

      const dir = await mkdtemp(join(tmpdir(), 'tessera-schedule-'));
      folders.push(dir);
      const controller = new AbortController();
      let steps = 0;
      const stopInLastBatch = { onBatchEnd: () => void (++steps === 13 && controller.abort()) };
      const firstRates: number[] = [];
      const attempt = fit(factory.make(), data, {
        ...run,
        checkpoint: { dir, every: 100 },
        signal: controller.signal,
        callbacks: [halving(firstRates), stopInLastBatch],
      });
      await expect(attempt).rejects.toThrow(TrainingAbortedError);
      // Aborted before epoch 2's schedule ran.
      expect(firstRates).toEqual([0.05]);
      const file = join(dir, 'checkpoints', 'latest.tsr');
      const saved = await loadCheckpoint(file);
      expect(saved.progress).toMatchObject({ epoch: 1, batch: 0 });
      const resumed = restoreModel(saved);
      const resumedRates: number[] = [];
      await fit(resumed, data, {
        workers: 2,
        resume: file,
        trainingPath,
        callbacks: [halving(resumedRates)],
      });
      expect(resumedRates).toEqual([0.025, 0.0125]);
      expect(bitwiseEqual(weightsOf(resumed), weightsOf(whole))).toBe(true);
    },
  );
});
