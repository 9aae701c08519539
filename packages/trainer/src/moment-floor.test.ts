import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dataset } from '@tessera/datasets';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from './checkpoint.js';
import { fit } from './fit.js';
import { MOMENT_FLOOR_PERIOD } from './fused-adam.js';
import { bitwiseEqual, classifier, editedBlobs, weightsOf } from './testing/fixtures.js';

const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

/**
 * blobs whose last feature is 0 in every row but the first: the weights it feeds get a
 * gradient in the first step only, so their first moments shrink by β1 a step after it.
 */
function onceActive(size: number): Dataset {
  return editedBlobs(size, 'once-active', (features) => {
    for (let r = 1; r < size; r++) features[r * 6 + 5] = 0;
    features[5] = 3;
  });
}

describe("Adam's moments on the resident step", () => {
  it('a first moment that stops getting gradients is set to 0 before it becomes subnormal', async () => {
    // 600 steps: the first moments fed by the last feature are 0.9^599 ≈ 3e-28 times
    // their first value (about 1e-3) at the end, far under the 1e-25 floor, and would be
    // subnormal (under 1.18e-38) after about 800 steps.
    const data = onceActive(4800);
    const factory = classifier();
    const run = { epochs: 1, batchSize: 8, seed: 3, shuffle: false } as const;
    const dir = await mkdtemp(join(tmpdir(), 'tessera-floor-'));
    made.push(dir);
    const two = factory.make();
    const history = await fit(two, data, { ...run, workers: 2, checkpoint: { dir } });
    expect(history.trainingPath).toMatchObject({ path: 'resident' });
    const saved = await loadCheckpoint(join(dir, 'checkpoints', 'latest.tsr'));
    expect(saved.optimizer.iteration).toBe(600);
    expect(600 % MOMENT_FLOOR_PERIOD).not.toBe(0); // the last floor was steps before the end
    const m = saved.optimizer.slots['m']!;
    const v = saved.optimizer.slots['v']!;
    expect(m.length).toBe(v.length);
    let floored = 0;
    let active = 0;
    for (let i = 0; i < m.length; i++) {
      const mi = Math.abs(m[i]!);
      // Never under the floor times β1^(period − 1) once past it, let alone subnormal.
      if (mi !== 0) expect(mi).toBeGreaterThan(1e-25 * 0.9 ** (MOMENT_FLOOR_PERIOD - 1));
      if (mi === 0 && v[i] !== 0) floored++;
      if (mi !== 0) active++;
    }
    // The weights from the last feature to the hidden units that row 0 reached (its
    // second moment is still about half its first value), and only those.
    expect(floored).toBeGreaterThan(0);
    expect(floored).toBeLessThanOrEqual(8);
    expect(active).toBeGreaterThan(40);
    // The floor is keyed by the iteration: one worker trains the same bits.
    const one = factory.make();
    await fit(one, data, { ...run, workers: 1 });
    expect(bitwiseEqual(weightsOf(one), weightsOf(two))).toBe(true);
  });
});
