/**
 * Row chunks finished by whichever worker gets there first (row-chunks.ts): with the
 * take-over probe, a worker computes every row chunk another holds as soon as it has none
 * left to claim, so chunks are computed twice and one copy dropped at most steps. The
 * weights must still be the bits of one worker.
 */
import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import {
  bitwiseEqual,
  classifier,
  sparseBlobs,
  takeOverProbe,
  weightsOf,
} from './testing/fixtures.js';

describe('row chunks taken over from another worker', () => {
  it.each([2, 3])(
    '%i workers on compressed rows: the bits of one worker',
    async (workers) => {
      const { takeOverMarker } = (await import(takeOverProbe)) as {
        takeOverMarker: (pid: number) => string;
      };
      const marker = takeOverMarker(process.pid);
      rmSync(marker, { force: true });
      // Steps long enough that every worker takes part (on a tiny model one may find every
      // chunk claimed each time it wakes up), 48 of them. 250 hidden units, not a multiple
      // of 16: the step is split by rows (a multiple would be split by hidden units).
      const factory = classifier({ inputs: 64, hidden: 250 });
      const data = sparseBlobs(1024);
      const options = { epochs: 3, batchSize: 64, seed: 5 };
      const model = factory.make();
      const result = await fit(model, data, {
        ...options,
        workers,
        customObjects: [takeOverProbe],
      });
      expect(result.trainingPath).toMatchObject({
        path: 'resident',
        sparseInput: true,
        parallel: 'rows',
      });
      // Some thread computed a chunk that another finished first.
      expect(existsSync(marker)).toBe(true);
      rmSync(marker, { force: true });
      const one = factory.make();
      const reference = await fit(one, data, { ...options, workers: 1 });
      expect(bitwiseEqual(weightsOf(model), weightsOf(one))).toBe(true);
      expect(result.history['loss']).toEqual(reference.history['loss']);
    },
    60_000,
  );
});
