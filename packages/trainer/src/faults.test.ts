import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TrainerContext } from './callbacks/callback.js';
import type { CheckpointData } from './checkpoint.js';
import { WorkerError } from './errors.js';
import { fit } from './fit.js';
import { expectFault, HANG_TIMEOUT_MS } from './testing/faults.js';
import {
  bitwiseEqual,
  blobs,
  classifier,
  faultProbe,
  faultyOptimizer,
  probedClassifier,
  registerFaultProbe,
  weightsOf,
  withSentinel,
} from './testing/fixtures.js';

registerFaultProbe();

describe('fit: faults in workers', () => {
  it('a worker that throws fails the step and keeps the weights of the step before', async () => {
    await expectFault(1000, /injected fault/, { stepwise: true });
  });

  it('a worker thread that exits fails the step the same way', async () => {
    await expectFault(2000, /exit/i, { stepwise: true });
  });

  it('a worker that hangs past stepTimeoutMs is stopped and named', async () => {
    await expectFault(3000, /no answer within stepTimeoutMs=5000 ms/, {
      stepTimeoutMs: HANG_TIMEOUT_MS,
      stepwise: true,
    });
  });

  it('names a custom function the workers cannot resolve, and how to register it', async () => {
    const model = probedClassifier().make();
    await expect(fit(model, blobs(40), { workers: 2, epochs: 1 })).rejects.toThrow(
      /worker \d failed \(starting\): the worker could not rebuild the model: .*fault_probe.*customObjects/s,
    );
  });

  it('lets the process exit by itself after a hung worker', () => {
    const script = fileURLToPath(new URL('../test/fixtures/hang-then-exit.mjs', import.meta.url));
    const result = spawnSync(process.execPath, [script, faultProbe], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toMatch(/^rejected: fit: worker 1 failed at step 3/);
    expect(result.status).toBe(0);
  });

  it('an update that fails in one worker rolls every slice back: weights and optimizer state of step 2', async () => {
    await import(faultyOptimizer);
    for (const trainingPath of ['tfjs', 'auto'] as const) {
      let context: TrainerContext | undefined;
      const states: CheckpointData[] = [];
      const model = classifier().make();
      const run = fit(model, blobs(40), {
        workers: 2,
        epochs: 1,
        batchSize: 8,
        shuffle: false,
        seed: 1,
        optimizer: { className: 'FaultyAdam', config: {} },
        customObjects: [faultyOptimizer],
        trainingPath,
        callbacks: [
          {
            setTrainer: (c: TrainerContext) => {
              context = c;
            },
            nextStop: (iteration: number) => iteration + 1,
            onBatchEnd: () => {
              states.push(context!.capture());
            },
          },
        ],
      });
      const err = await run.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, trainingPath).toBeInstanceOf(WorkerError);
      const failure = err as WorkerError;
      // Every update call past the first float of the vector throws (the first part of the
      // vector is updated by then): which worker reports first depends on the path's chunking.
      expect(failure.iteration).toBe(3);
      expect(failure.message).toMatch(
        /^fit: worker [01] failed at step 3 \(updating weights\): injected update fault\. Weights and optimizer state are those after step 2\./,
      );
      expect(states).toHaveLength(2);
      // The run's state after the failure, read through the same context.
      const after = context!.capture();
      expect(after.optimizer.iteration).toBe(2);
      expect(bitwiseEqual(after.weights, states[1]!.weights), `${trainingPath}: weights`).toBe(
        true,
      );
      expect(bitwiseEqual(weightsOf(model), states[1]!.weights)).toBe(true);
      expect(
        bitwiseEqual(after.optimizer.slots, states[1]!.optimizer.slots),
        `${trainingPath}: optimizer state`,
      ).toBe(true);
      // Step 2's update did change the weights: the comparison above is not vacuous.
      expect(bitwiseEqual(states[0]!.weights, states[1]!.weights)).toBe(false);
    }
  });

  it('an update that fails inside a run of steps leaves the state of the step before, from the copy that step wrote', async () => {
    await import(faultyOptimizer);
    // 40 rows, batch 8: step 1 runs alone (nextStop), then steps 2-5 in one run. On the
    // resident step that run writes copy 1 (step 2), then copy 0 (step 3, which fails
    // part-way): the state after step 2 is only in copy 1 and must come back.
    const factory = classifier();
    const capture = (data: ReturnType<typeof blobs>) => {
      let context: TrainerContext | undefined;
      const model = factory.make();
      const run = fit(model, data, {
        workers: 2,
        epochs: 1,
        batchSize: 8,
        shuffle: false,
        seed: 1,
        optimizer: { className: 'FaultyAdam', config: {} },
        customObjects: [faultyOptimizer],
        callbacks: [
          {
            setTrainer: (c: TrainerContext) => {
              context = c;
            },
            nextStop: (iteration: number) => (iteration === 0 ? 1 : Number.POSITIVE_INFINITY),
          },
        ],
      });
      return run.then(
        (history) => ({ error: undefined, state: context!.capture(), model, history }),
        (error: unknown) => ({ error, state: context!.capture(), model, history: undefined }),
      );
    };
    const failed = await capture(blobs(40));
    expect(failed.error).toBeInstanceOf(WorkerError);
    expect((failed.error as WorkerError).iteration).toBe(3);
    // The same two steps, alone (rows 0-15): a run of 2 steps, which ends in copy 0.
    const reference = await capture(blobs(16));
    expect(reference.error).toBeUndefined();
    // The run alternates between copies only on the resident step.
    expect(reference.history?.trainingPath?.path).toBe('resident');
    expect(failed.state.optimizer.iteration).toBe(2);
    expect(bitwiseEqual(failed.state.weights, reference.state.weights)).toBe(true);
    expect(bitwiseEqual(weightsOf(failed.model), reference.state.weights)).toBe(true);
    expect(bitwiseEqual(failed.state.optimizer.slots, reference.state.optimizer.slots)).toBe(true);
  });

  it('a worker that fails while evaluating the validation data raises a WorkerError (validating)', async () => {
    const model = probedClassifier().make();
    const run = fit(model, blobs(32), {
      workers: 2,
      epochs: 2,
      batchSize: 8,
      seed: 1,
      validationData: withSentinel(21, 1000),
      customObjects: [faultProbe],
    });
    const err = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkerError);
    const failure = err as WorkerError;
    // Rows 20-39 of the validation set go to worker 1; the first epoch's 4 steps are done.
    expect([failure.worker, failure.iteration]).toEqual([1, 4]);
    expect(failure.message).toMatch(
      /^fit: worker 1 failed at step 4 \(validating\): injected fault/,
    );
    // Validation runs after step 4 completed: those weights are kept, and the message says so.
    expect(failure.message).toContain('Weights and optimizer state are those after step 4.');
  });
});
