import { describe, expect, it } from 'vitest';
import { addBatchPoint, emptySnapshot, MAX_BATCH_POINTS, perWorkerRates } from './snapshot.js';

describe('dashboard snapshot', () => {
  it('splits the rate over workers by their shard of each batch', () => {
    expect(perWorkerRates(1000, 3, 10)).toEqual([400, 300, 300]);
    expect(perWorkerRates(90, 1, 128)).toEqual([90]);
  });

  it('thins the per-batch series to stay under the limit, keeping the latest point', () => {
    const s = emptySnapshot('run', 2);
    for (let i = 0; i < 5 * MAX_BATCH_POINTS; i++) addBatchPoint(s, { x: i, logs: { loss: i } });
    expect(s.batches.length).toBeLessThanOrEqual(MAX_BATCH_POINTS);
    expect(s.batches.length).toBeGreaterThan(MAX_BATCH_POINTS / 2);
    expect(s.batches[s.batches.length - 1]!.x).toBe(5 * MAX_BATCH_POINTS - 1);
    const xs = s.batches.map((b) => b.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });
});
