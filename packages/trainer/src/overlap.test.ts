import { callbackRecorder } from '@tessera/layers/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fit } from './fit.js';
import { WorkerLoops } from './loops.js';
import { bitwiseEqual, classifier, sparseBlobs, weightsOf } from './testing/fixtures.js';

// The next run of steps posted before the batch hooks of the last one are called, when every
// callback's batch hooks only read their logs (the layers package's epoch-loop.ts, "Overlap").
// 600 rows in batches of 2: 300 steps an epoch, more than one run holds (MAX_RUN), so some
// runs are continued.
const data = sparseBlobs(600);
const options = { epochs: 2, batchSize: 2, seed: 3 };

afterEach(() => {
  vi.restoreAllMocks();
});

/** Fits with a recorder whose batch hooks do (or do not) say they read only their logs. */
async function fitWith(
  make: () => ReturnType<ReturnType<typeof classifier>['make']>,
  workers: number,
  readsLogsOnly: boolean,
) {
  const spy = vi.spyOn(WorkerLoops.prototype, 'run');
  const recorder = callbackRecorder();
  const model = make();
  const history = await fit(model, data, {
    ...options,
    workers,
    callbacks: [{ ...recorder, batchHooksReadLogsOnly: readsLogsOnly }],
  });
  const kept = spy.mock.calls.filter((call) => call[2] === true).length;
  spy.mockRestore();
  return { model, history, calls: recorder.calls, kept };
}

describe('fit: runs that overlap the batch hooks of the run before', () => {
  it.each([
    ['split by hidden units (the kernel stays block-major between such runs)', 48, 'units'],
    ['split by rows', 40, 'rows'],
  ] as const)(
    '%s: the same bits, hooks and logs as runs that wait',
    async (_, hidden, parallel) => {
      const models = classifier({ inputs: 64, hidden });
      for (const workers of [1, 2]) {
        const overlapped = await fitWith(() => models.make(), workers, true);
        expect(overlapped.history.trainingPath?.parallel).toBe(parallel);
        // Some runs were posted to follow at once (one per epoch at least is not: the last).
        expect(overlapped.kept).toBeGreaterThan(0);
        const waiting = await fitWith(() => models.make(), workers, false);
        expect(waiting.kept).toBe(0);
        expect(bitwiseEqual(weightsOf(overlapped.model), weightsOf(waiting.model))).toBe(true);
        expect(overlapped.history.history).toEqual(waiting.history.history);
        expect(overlapped.calls).toEqual(waiting.calls);
      }
    },
  );
});
