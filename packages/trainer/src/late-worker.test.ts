/**
 * A worker left behind (step-channel.ts): on the resident step a phase is over when its
 * last chunk is, so the other workers go on without a worker that is not taking chunks.
 * 'LateAdam' stops the first thread to begin step 2's update, before it takes a chunk,
 * until another thread began step 3's; a protocol that waits for every worker at every
 * step never gets there (LateAdam then throws after 30 s).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import {
  bitwiseEqual,
  classifier,
  lateOptimizer,
  sparseBlobs,
  weightsOf,
} from './testing/fixtures.js';

const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

describe('a worker left behind', () => {
  it.each([
    [2, 'rows', 40],
    [3, 'rows', 40],
    [2, 'units', 48],
    [3, 'units', 48],
  ] as const)(
    'holds up none of %i workers (split by %s), and the weights are the bits of one worker',
    async (workers, parallel, hidden) => {
      await import(lateOptimizer);
      const dir = await mkdtemp(join(tmpdir(), 'tessera-late-'));
      made.push(dir);
      const factory = classifier({ inputs: 64, hidden });
      // 8 batches of 8 an epoch: the first run after the rehearsal holds steps 1 to 3.
      const data = sparseBlobs(64);
      const options = { epochs: 2, batchSize: 8, seed: 3 };
      const late = factory.make();
      const result = await fit(late, data, {
        ...options,
        workers,
        optimizer: { className: 'LateAdam', config: { dir } },
        customObjects: [lateOptimizer],
      });
      expect(result.trainingPath).toMatchObject({ path: 'resident', parallel });
      // One thread waited in step 2 while another went on into step 3.
      expect(existsSync(join(dir, 'late'))).toBe(true);
      expect(existsSync(join(dir, 'ahead'))).toBe(true);
      const one = factory.make();
      const reference = await fit(one, data, {
        ...options,
        workers: 1,
        optimizer: { className: 'Adam', config: {} },
      });
      expect(bitwiseEqual(weightsOf(late), weightsOf(one))).toBe(true);
      expect(result.history['loss']).toEqual(reference.history['loss']);
    },
    60_000,
  );
});
