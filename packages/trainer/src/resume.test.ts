import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '@tessera/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, restoreModel } from './checkpoint.js';
import { TrainingAbortedError } from './errors.js';
import { fit } from './fit.js';
import { bitwiseEqual, blobs, classifier, weightsOf } from './testing/fixtures.js';

const data = blobs(60);
const factory = classifier();
const run = { workers: 2, epochs: 3, batchSize: 8, seed: 21 } as const; // 8 steps an epoch

const made: string[] = [];
/** A temp run folder, removed after the tests; its checkpoints are in `<run>/checkpoints`. */
async function runFolder(prefix: string): Promise<{ dir: string; ckpt: string }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return { dir, ckpt: join(dir, 'checkpoints') };
}
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

describe('checkpoints and resume', () => {
  it('resumes mid-epoch bitwise-identical to the uninterrupted run', async () => {
    const { dir, ckpt } = await runFolder('tessera-resume-');
    const whole = factory.make();
    const history = await fit(whole, data, {
      ...run,
      checkpoint: { dir, everySteps: 5, keep: 10 },
    });
    const files = await readdir(ckpt);
    expect(files).toEqual(
      expect.arrayContaining([
        'step-5.tsr',
        'step-10.tsr',
        'epoch-1.tsr',
        'latest.tsr',
        'best.tsr',
      ]),
    );

    const saved = await loadCheckpoint(join(ckpt, 'step-10.tsr')); // epoch 2, after its 2nd batch
    expect(saved.progress).toMatchObject({ epoch: 1, batch: 2 });
    expect(saved.optimizer.iteration).toBe(10);
    const resumed = restoreModel(saved);
    const resumedHistory = await fit(resumed, data, { workers: 2, resume: saved });
    expect(bitwiseEqual(weightsOf(resumed), weightsOf(whole))).toBe(true);
    expect(resumedHistory.history['loss']).toEqual(history.history['loss']);
  });

  it('an abort saves a checkpoint first, and resuming from it finishes the same run', async () => {
    const { dir, ckpt } = await runFolder('tessera-abort-');
    const whole = factory.make();
    await fit(whole, data, { ...run });

    const controller = new AbortController();
    const stopAfter13 = { onBatchEnd: () => void (stopAt++ === 12 && controller.abort()) };
    let stopAt = 0;
    const first = factory.make();
    const attempt = fit(first, data, {
      ...run,
      checkpoint: { dir, every: 100 },
      signal: controller.signal,
      callbacks: [stopAfter13],
    });
    await expect(attempt).rejects.toThrow(TrainingAbortedError);
    await attempt.catch((err: TrainingAbortedError) => {
      // The abort takes effect when the run of steps holding step 13 ends.
      const m =
        /^fit: training aborted at epoch (\d+), batch (\d+) \(step (\d+)\); checkpoint saved to (.+)$/.exec(
          err.message,
        );
      expect(m).not.toBeNull();
      const [epoch, batch, step] = [Number(m![1]), Number(m![2]), Number(m![3])];
      expect(step).toBeGreaterThanOrEqual(13);
      expect(step).toBe((epoch - 1) * 8 + batch);
      expect(m![4]).toBe(join(ckpt, 'latest.tsr'));
      expect(err.checkpoint).toBe(join(ckpt, 'latest.tsr'));
    });
    const saved = await loadCheckpoint(join(ckpt, 'latest.tsr'));
    const second = restoreModel(saved);
    await fit(second, data, { workers: 2, resume: join(ckpt, 'latest.tsr') });
    expect(bitwiseEqual(weightsOf(second), weightsOf(whole))).toBe(true);
  });

  it('rejects a truncated or altered checkpoint with a clear error', async () => {
    const { dir, ckpt } = await runFolder('tessera-bad-');
    await fit(factory.make(), data, { ...run, epochs: 1, checkpoint: { dir } });
    const path = join(ckpt, 'epoch-1.tsr');
    const bytes = await readFile(path);
    await writeFile(join(ckpt, 'cut.tsr'), bytes.subarray(0, bytes.length - 10));
    await expect(loadCheckpoint(join(ckpt, 'cut.tsr'))).rejects.toThrow(FormatError);
    await expect(loadCheckpoint(join(ckpt, 'cut.tsr'))).rejects.toThrow(
      /cut\.tsr: Tessera checkpoint file is truncated/,
    );
    bytes[bytes.length - 100]! ^= 4;
    await writeFile(join(ckpt, 'flip.tsr'), bytes);
    await expect(fit(factory.make(), data, { resume: join(ckpt, 'flip.tsr') })).rejects.toThrow(
      /flip\.tsr: .*checksum mismatch/,
    );
  });
});
