import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TrainerCallback, TrainerContext } from './callbacks/callback.js';
import { WorkerError } from './errors.js';
import { fit } from './fit.js';
import {
  bitwiseEqual,
  blobs,
  faultProbe,
  probedClassifier,
  registerFaultProbe,
  weightsOf,
  withSentinel,
} from './testing/fixtures.js';

registerFaultProbe();

function recorder(): TrainerCallback & { steps: Record<string, Float32Array>[] } {
  let ctx: TrainerContext | undefined;
  const steps: Record<string, Float32Array>[] = [];
  return {
    steps,
    setTrainer: (c) => {
      ctx = c;
    },
    nextStop: (iteration) => iteration + 1,
    onBatchEnd: () => {
      steps.push(ctx!.snapshotWeights());
    },
  };
}

// Batch size 8, 2 workers, no shuffle: step k covers rows 8(k-1)…8k-1 and shard 1 holds
// the last four of them. Row 21 is in step 3, shard 1.
async function expectFault(
  value: number,
  cause: RegExp,
  extra: { stepTimeoutMs?: number } = {},
): Promise<void> {
  const model = probedClassifier().make();
  const rec = recorder();
  const run = fit(model, withSentinel(21, value), {
    workers: 2,
    epochs: 1,
    batchSize: 8,
    shuffle: false,
    seed: 1,
    callbacks: [rec],
    customObjects: [faultProbe],
    ...extra,
  });
  await expect(run).rejects.toThrow(WorkerError);
  await run.catch((err: WorkerError) => {
    expect(err.worker).toBe(1);
    expect(err.iteration).toBe(3);
    expect(err.message).toMatch(/^fit: worker 1 failed at step 3 \(computing gradients\): /);
    expect(err.message).toMatch(cause);
    expect(err.message).toContain('Weights and optimizer state are those after step 2.');
  });
  expect(rec.steps).toHaveLength(2);
  expect(bitwiseEqual(weightsOf(model), rec.steps[1]!)).toBe(true);
}

describe('fit: faults in workers', () => {
  it('a worker that throws fails the step and keeps the weights of the step before', async () => {
    await expectFault(1000, /injected fault/);
  });

  it('a worker thread that exits fails the step the same way', async () => {
    await expectFault(2000, /exit/i);
  });

  it('a worker that hangs past stepTimeoutMs is stopped and named', async () => {
    await expectFault(3000, /no answer within stepTimeoutMs=1500 ms/, { stepTimeoutMs: 1500 });
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
});
