/**
 * The fault harness of the trainer's tests. `fit` trains the probed classifier on data
 * whose row 21 holds a sentinel the fault probe (test/fixtures/fault-probe.mjs) acts on in
 * the forward pass: 1000 throws, 2000 exits the thread, 3000 hangs. With batch 8, 2 workers
 * and no shuffle, step k covers rows 8(k-1)…8k-1 and shard 1 holds the last four of them,
 * so row 21 is in step 3, shard 1, and the first 16 rows alone train steps 1 and 2.
 */
import { expect } from 'vitest';
import type { TrainerCallback } from '../callbacks/callback.js';
import { WorkerError } from '../errors.js';
import { fit } from '../fit.js';
import { bitwiseEqual, faultProbe, probedClassifier, weightsOf, withSentinel } from './fixtures.js';
import { weightRecorder } from './recorders.js';

/** A worker hangs forever: far above any real step of these tiny models, even on a loaded machine. */
export const HANG_TIMEOUT_MS = 5000;

export interface FaultCase {
  /** Fail in a hang after this long without progress (for value 3000). */
  stepTimeoutMs?: number;
  /** Every step returns to the main thread (a batch callback), rather than runs of steps. */
  stepwise?: boolean;
}

/**
 * Trains into the fault at step 3 and checks the WorkerError (worker 1, step 3, gradient
 * phase, `cause` in the message) and that the model holds bitwise the weights after step 2:
 * those a batch callback saw (stepwise), and those of a run over the first 16 rows.
 */
export async function expectFault(
  value: number,
  cause: RegExp,
  fault: FaultCase = {},
): Promise<void> {
  const factory = probedClassifier();
  const model = factory.make();
  const options = { workers: 2, epochs: 1, batchSize: 8, shuffle: false, seed: 1 };
  const recorder = weightRecorder('step');
  const callbacks: TrainerCallback[] = fault.stepwise === true ? [recorder] : [];
  const run = fit(model, withSentinel(21, value), {
    ...options,
    callbacks,
    customObjects: [faultProbe],
    ...(fault.stepTimeoutMs === undefined ? {} : { stepTimeoutMs: fault.stepTimeoutMs }),
  });
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkerError);
  const failure = err as WorkerError;
  expect(failure.worker).toBe(1);
  expect(failure.iteration).toBe(3);
  expect(failure.message).toMatch(/^fit: worker 1 failed at step 3 \(computing gradients\): /);
  expect(failure.message).toMatch(cause);
  expect(failure.message).toContain('Weights and optimizer state are those after step 2.');
  if (fault.stepwise === true) {
    expect(recorder.snapshots).toHaveLength(2);
    expect(bitwiseEqual(weightsOf(model), recorder.snapshots[1]!)).toBe(true);
  }
  const twoSteps = factory.make();
  await fit(twoSteps, withSentinel(21, value).take(16), {
    ...options,
    customObjects: [faultProbe],
  });
  expect(bitwiseEqual(weightsOf(model), weightsOf(twoSteps))).toBe(true);
}
