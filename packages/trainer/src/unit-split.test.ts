import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { layers, sequential } from '@tessera/layers';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, restoreModel } from './checkpoint.js';
import { fit } from './fit.js';
import {
  bitwiseEqual,
  classifier,
  maxAbsDiff,
  sameStart,
  sparseBlobs,
  weightsOf,
} from './testing/fixtures.js';
import { weightRecorder } from './testing/recorders.js';

// The resident step split by hidden units (unit-split-stepper.ts): a Dense layer on
// compressed rows with a multiple of 16 units, then the output layer, trained with Adam.
// Each worker owns blocks of 16 hidden units; the hidden kernel is block-major during runs.
const data = sparseBlobs(80);
const factory = () => classifier({ inputs: 64, hidden: 48 });

const made: string[] = [];
afterAll(async () => {
  for (const dir of made) await rm(dir, { recursive: true, force: true });
});

describe('fit: split by hidden units', () => {
  it('is chosen for a Dense layer of 48 units on sparse rows with Adam, and said so', async () => {
    const history = await fit(factory().make(), data, { workers: 2, epochs: 1, batchSize: 16 });
    expect(history.trainingPath).toMatchObject({
      path: 'resident',
      sparseInput: true,
      parallel: 'units',
    });
  });

  it.each([
    ['40 hidden units (not a multiple of 16)', () => classifier({ inputs: 64, hidden: 40 })],
    [
      'SGD (no fused kernel)',
      () =>
        classifier({
          inputs: 64,
          hidden: 32,
          optimizer: { className: 'SGD', config: { learningRate: 0.05 } },
        }),
    ],
  ] as const)('is not chosen with %s: the row split trains it', async (_, make) => {
    const history = await fit(make().make(), data, { workers: 2, epochs: 1, batchSize: 16 });
    expect(history.trainingPath).toMatchObject({ path: 'resident', parallel: 'rows' });
  });

  it.each([
    ['adam', undefined, [1, 2, 3, 4]],
    [
      'adam with amsgrad',
      { className: 'Adam', config: { learningRate: 0.01, amsgrad: true } },
      [1, 3],
    ],
    ['adamw', { className: 'AdamW', config: { learningRate: 0.01, weightDecay: 0.01 } }, [1, 2]],
  ] as const)(
    'trains with %s (%j) bitwise the same for the worker counts %j',
    async (_, optimizer, counts) => {
      const models = factory();
      const finals: Record<string, Float32Array>[] = [];
      const losses: number[][] = [];
      for (const workers of counts) {
        const model = models.make();
        const history = await fit(model, data, {
          workers,
          epochs: 3,
          batchSize: 16,
          seed: 7,
          ...(optimizer === undefined ? {} : { optimizer }),
        });
        expect(history.trainingPath?.parallel).toBe('units');
        finals.push(weightsOf(model));
        losses.push(history.history['loss']!);
      }
      for (const other of finals.slice(1)) expect(bitwiseEqual(finals[0]!, other)).toBe(true);
      for (const other of losses.slice(1)) expect(other).toEqual(losses[0]);
      expect(maxAbsDiff(finals[0]!, weightsOf(models.make()))).toBeGreaterThan(1e-3);
      expect(losses[0]![2]!).toBeLessThan(losses[0]![0]!);
    },
  );

  it('agrees with the tfjs path within float rounding, step by step', async () => {
    const models = factory();
    const runs: Record<string, Float32Array>[][] = [];
    for (const trainingPath of ['resident', 'tfjs'] as const) {
      const rec = weightRecorder('step');
      await fit(models.make(), data, {
        workers: 2,
        epochs: 1,
        batchSize: 16,
        seed: 3,
        trainingPath,
        callbacks: [rec],
      });
      runs.push(rec.snapshots);
    }
    expect(runs[0]).toHaveLength(5);
    runs[0]!.forEach((w, step) => {
      expect(maxAbsDiff(w, runs[1]![step]!), `step ${step + 1}`).toBeLessThanOrEqual(1e-5);
    });
  });

  it('gives the same bits in runs of one step (the store row-major between them) as in longer runs', async () => {
    const models = factory();
    const a = models.make();
    const rec = weightRecorder('step');
    await fit(a, data, { workers: 2, epochs: 2, batchSize: 16, seed: 5, callbacks: [rec] });
    const b = models.make();
    await fit(b, data, { workers: 2, epochs: 2, batchSize: 16, seed: 5 });
    expect(bitwiseEqual(weightsOf(a), weightsOf(b))).toBe(true);
    // Callbacks see the kernel row-major: its rows are those the tfjs path would train.
    const kernel = rec.snapshots[0]!['hidden/kernel']!;
    expect(kernel).toHaveLength(64 * 48);
  });

  it('resumes mid-epoch from a checkpoint bitwise-identical to the uninterrupted run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-split-resume-'));
    made.push(dir);
    const run = { workers: 2, epochs: 2, batchSize: 16, seed: 21 } as const; // 5 steps an epoch
    const whole = factory().make();
    const history = await fit(whole, data, { ...run, checkpoint: { dir, everySteps: 3, keep: 5 } });
    const saved = await loadCheckpoint(join(dir, 'checkpoints', 'step-6.tsr'));
    expect(saved.progress).toMatchObject({ epoch: 1, batch: 1 });
    // The checkpoint holds the kernel row-major: the model it restores predicts as trained.
    const resumed = restoreModel(saved);
    const resumedHistory = await fit(resumed, data, { workers: 2, resume: saved });
    expect(resumedHistory.trainingPath?.parallel).toBe('units');
    expect(bitwiseEqual(weightsOf(resumed), weightsOf(whole))).toBe(true);
    expect(resumedHistory.history['loss']).toEqual(history.history['loss']);
  });

  it('lets a veto callback read the weights row-major between the phases of each step', async () => {
    const models = factory();
    const seen: number[] = [];
    const vetoed = models.make();
    const veto = {
      beforeUpdate: (iteration: number) => {
        // Between the phases the kernel is row-major: row 1, column 20 + iteration (in the
        // second block of 16 columns, which block-major would put elsewhere).
        const kernel = vetoed.getLayer('hidden').getWeights()[0]!.dataSync();
        seen.push(kernel[48 + 20 + iteration]!);
        return true;
      },
    };
    const history = await fit(vetoed, data, {
      workers: 2,
      epochs: 1,
      batchSize: 16,
      seed: 4,
      callbacks: [veto],
    });
    expect(history.trainingPath?.parallel).toBe('units');
    expect(seen).toHaveLength(5);
    // The same weights as a run without the veto, step by step (its weights after each
    // step, read by a batch callback).
    const plain = models.make();
    const rec = weightRecorder('step');
    await fit(plain, data, { workers: 2, epochs: 1, batchSize: 16, seed: 4, callbacks: [rec] });
    expect(bitwiseEqual(weightsOf(vetoed), weightsOf(plain))).toBe(true);
    expect(seen[0]).toBe(weightsOf(models.make())['hidden/kernel']![48 + 21]);
    for (let step = 1; step < 5; step++) {
      expect(seen[step]).toBe(rec.snapshots[step - 1]!['hidden/kernel']![48 + 21 + step]);
    }
  });

  it('evaluates a validation split between epochs as the tfjs path does', async () => {
    const models = factory();
    const logs: Record<string, number[]>[] = [];
    for (const trainingPath of ['resident', 'tfjs'] as const) {
      const history = await fit(models.make(), sparseBlobs(320, 5), {
        workers: 2,
        epochs: 2,
        batchSize: 32,
        seed: 6,
        validationSplit: 0.25,
        trainingPath,
      });
      logs.push(history.history);
    }
    const [split, tfjs] = logs as [Record<string, number[]>, Record<string, number[]>];
    split['val_loss']!.forEach((loss, epoch) => {
      expect(Math.abs(loss - tfjs['val_loss']![epoch]!)).toBeLessThan(1e-5);
    });
  });

  it('trains a softmax on its own layer and a hidden layer without bias, batch rows not a multiple of the chunks', async () => {
    const build = () =>
      sequential([
        layers.input({ shape: [64] }),
        layers.dense({ units: 16, activation: 'relu', useBias: false, name: 'hidden' }),
        layers.dense({ units: 3, name: 'logits' }),
        layers.softmax({ name: 'probs' }),
      ]);
    const models = sameStart(build(), { optimizer: 'adam', loss: 'categorical_crossentropy' });
    const finals: Record<string, Float32Array>[] = [];
    for (const workers of [1, 3]) {
      const model = models.make();
      const history = await fit(model, data, { workers, epochs: 2, batchSize: 13, seed: 2 });
      expect(history.trainingPath?.parallel).toBe('units');
      finals.push(weightsOf(model));
    }
    expect(bitwiseEqual(finals[0]!, finals[1]!)).toBe(true);
    const reference = models.make();
    await fit(reference, data, {
      workers: 1,
      epochs: 2,
      batchSize: 13,
      seed: 2,
      trainingPath: 'tfjs',
    });
    expect(maxAbsDiff(finals[0]!, weightsOf(reference))).toBeLessThanOrEqual(1e-4);
  });
});
