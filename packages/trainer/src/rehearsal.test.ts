import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadCheckpoint, restoreModel } from './checkpoint.js';
import { WorkerError } from './errors.js';
import { fit } from './fit.js';
import * as rehearsal from './rehearsal.js';
import {
  bitwiseEqual,
  blobs,
  classifier,
  faultyOptimizer,
  sparseBlobs,
  weightsOf,
} from './testing/fixtures.js';

// The main thread drives the rehearsal, so replacing it here (for the reference runs)
// takes effect; the workers run whatever they are posted.
const skip = { on: false };
vi.mock('./rehearsal.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('./rehearsal.js')>();
  return {
    ...original,
    rehearse: vi.fn((args: Parameters<typeof original.rehearse>[0]) =>
      skip.on ? Promise.resolve({ steps: 0, warmSteps: 0, msPerStep: 0 }) : original.rehearse(args),
    ),
  };
});

const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

describe('the rehearsal before the first epoch', () => {
  it.each([1, 2, 3])(
    'leaves training as it was: %i worker(s) give the bits of a run without it',
    async (workers) => {
      const factory = classifier({ inputs: 64, hidden: 40 });
      const data = sparseBlobs(60);
      const options = { workers, epochs: 2, batchSize: 8, seed: 5 };
      const rehearsed = factory.make();
      const spy = vi.mocked(rehearsal.rehearse);
      spy.mockClear();
      skip.on = false;
      const a = await fit(rehearsed, data, options);
      expect(a.trainingPath?.path).toBe('resident');
      // It ran: 7 whole batches of 8 in 60 rows, then warming steps for at most half the
      // time the fit's 16 steps take at that pace (its first run of 2 at least).
      const done = await spy.mock.results[0]!.value;
      expect(done.steps).toBe(7);
      expect(done.warmSteps).toBeGreaterThanOrEqual(2);
      expect(done.warmSteps).toBeLessThanOrEqual(rehearsal.WARM_STEPS);
      skip.on = true;
      const plain = factory.make();
      const b = await fit(plain, data, options);
      skip.on = false;
      expect(bitwiseEqual(weightsOf(rehearsed), weightsOf(plain))).toBe(true);
      expect(a.history['loss']).toEqual(b.history['loss']);
      expect(a.history['accuracy']).toEqual(b.history['accuracy']);
    },
  );

  it('a worker failing in it fails fit with the step named, the weights untouched', async () => {
    await import(faultyOptimizer);
    // FaultyAdam's update of iteration 3 throws; a run resumed after step 2 rehearses
    // iteration 3.
    const dir = await mkdtemp(join(tmpdir(), 'tessera-rehearsal-'));
    made.push(dir);
    const options = {
      workers: 2,
      batchSize: 8,
      seed: 1,
      shuffle: false,
      customObjects: [faultyOptimizer],
    };
    const first = classifier().make();
    await fit(first, blobs(16), {
      ...options,
      epochs: 1,
      optimizer: { className: 'FaultyAdam', config: {} },
      checkpoint: { dir },
    });
    const saved = await loadCheckpoint(join(dir, 'checkpoints', 'latest.tsr'));
    expect(saved.optimizer.iteration).toBe(2);
    const resumed = restoreModel(saved);
    const error = await fit(resumed, blobs(16), { ...options, epochs: 2, resume: saved }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkerError);
    expect((error as Error).message).toMatch(
      /^fit: worker [01] failed at step 3 \(rehearsing the step\): injected update fault\./,
    );
    expect(bitwiseEqual(weightsOf(resumed), saved.weights)).toBe(true);
  });
});
