import { describe, expect, it } from 'vitest';
import { DashboardRecorder } from './recorder.js';
import type { DashboardSnapshot } from './snapshot.js';

describe('DashboardRecorder', () => {
  it('records epochs and batches and pushes throttled, then once more at the end', async () => {
    const pushes: DashboardSnapshot[] = [];
    const recorder = new DashboardRecorder({
      title: 't',
      epochs: 2,
      examples: 100,
      batchSize: 10,
      workers: 2,
      checkpointDir: '/nonexistent-tessera-dir',
      onChange: (s) => pushes.push(structuredClone(s)),
      intervalMs: 50,
    });
    recorder.onTrainBegin();
    for (let epoch = 0; epoch < 2; epoch++) {
      const before = pushes.length;
      recorder.onEpochBegin(epoch);
      // A burst of 10 batches, as after a run of steps: no push from inside the hooks.
      for (let b = 0; b < 10; b++) recorder.onBatchEnd(b, { loss: 1 / (b + 1) });
      expect(pushes.length).toBe(before);
      recorder.onEpochEnd(epoch, { loss: 0.5, val_loss: 0.6 });
    }
    await new Promise((r) => setTimeout(r, 120));
    const beforeEnd = pushes.length;
    expect(beforeEnd).toBeGreaterThanOrEqual(1);
    recorder.onTrainEnd();
    expect(pushes.length).toBe(beforeEnd + 1);
    const last = pushes[pushes.length - 1]!;
    expect(last.status).toBe('finished');
    expect(last.epoch).toBe(2);
    expect(last.epochLogs).toEqual([
      { loss: 0.5, val_loss: 0.6 },
      { loss: 0.5, val_loss: 0.6 },
    ]);
    expect(last.batches).toHaveLength(20);
    expect(last.batches[19]!.x).toBeCloseTo(2, 9);
    expect(last.perWorker).toHaveLength(2);
    expect(last.checkpoints).toEqual([]);
    await new Promise((r) => setTimeout(r, 120));
    expect(pushes.length).toBe(beforeEnd + 1);
  });
});
