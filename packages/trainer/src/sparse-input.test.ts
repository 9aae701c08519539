import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import {
  bitwiseEqual,
  classifier,
  maxAbsDiff,
  sparseBlobs,
  weightsOf,
} from './testing/fixtures.js';
import { weightRecorder } from './testing/recorders.js';

// The first Dense layer reads compressed rows (a fifth of the features nonzero, some rows
// all zeros). The resident step alternates between two copies of the state within runs
// of steps (alternation.ts): every worker count and every run length gives the same bits.
const data = sparseBlobs(60);
const factory = () => classifier({ inputs: 64, hidden: 40 });

describe('fit: a first layer on sparse rows (the resident step)', () => {
  it.each([
    ['adam', undefined],
    ['adam with amsgrad', { className: 'Adam', config: { learningRate: 0.01, amsgrad: true } }],
    [
      'sgd with momentum (its own update loop)',
      { className: 'SGD', config: { learningRate: 0.05, momentum: 0.9 } },
    ],
  ] as const)('trains with %s bitwise the same for 1 to 4 workers', async (_, optimizer) => {
    const models = factory();
    const finals: Record<string, Float32Array>[] = [];
    for (const workers of [1, 2, 3, 4]) {
      const model = models.make();
      const history = await fit(model, data, {
        workers,
        epochs: 3,
        batchSize: 16,
        seed: 7,
        ...(optimizer === undefined ? {} : { optimizer }),
      });
      expect(history.trainingPath).toMatchObject({ path: 'resident', sparseInput: true });
      finals.push(weightsOf(model));
    }
    for (const other of finals.slice(1)) expect(bitwiseEqual(finals[0]!, other)).toBe(true);
    // Training moved the first layer's weights.
    expect(maxAbsDiff(finals[0]!, weightsOf(models.make()))).toBeGreaterThan(1e-3);
  });

  it('gives the same bits in runs of one step (a batch callback) as in longer runs', async () => {
    const models = factory();
    const a = models.make();
    const rec = weightRecorder('step');
    await fit(a, data, { workers: 2, epochs: 2, batchSize: 16, seed: 3, callbacks: [rec] });
    const b = models.make();
    await fit(b, data, { workers: 2, epochs: 2, batchSize: 16, seed: 3 });
    expect(rec.snapshots).toHaveLength(8);
    expect(bitwiseEqual(weightsOf(a), weightsOf(b))).toBe(true);
  });

  it('agrees with the tfjs path within float rounding, step by step', async () => {
    const models = factory();
    const runs: Record<string, Float32Array>[][] = [];
    for (const trainingPath of ['resident', 'tfjs'] as const) {
      const rec = weightRecorder('step');
      const history = await fit(models.make(), data, {
        workers: 2,
        epochs: 1,
        batchSize: 16,
        seed: 3,
        trainingPath,
        callbacks: [rec],
      });
      expect(history.trainingPath?.path).toBe(trainingPath);
      runs.push(rec.snapshots);
    }
    expect(runs[0]).toHaveLength(4);
    runs[0]!.forEach((w, step) => {
      expect(maxAbsDiff(w, runs[1]![step]!), `step ${step + 1}`).toBeLessThanOrEqual(1e-5);
    });
  });

  it.each([
    ['split off the training set', { validationSplit: 0.5 }],
    ['given as a data set of its own', { validationData: sparseBlobs(700, 9) }],
  ] as const)(
    'evaluates a validation set %s on its compressed rows, as the tfjs path does on dense rows',
    async (_, validation) => {
      // 600 or 700 validation rows: each of two workers evaluates chunks of 256 rows and a
      // shorter one, read from their own row on.
      const models = factory();
      const logs: Record<string, number[]>[] = [];
      for (const trainingPath of ['resident', 'tfjs'] as const) {
        const history = await fit(models.make(), sparseBlobs(1200, 5), {
          workers: 2,
          epochs: 2,
          batchSize: 64,
          seed: 4,
          trainingPath,
          ...validation,
        });
        expect(history.trainingPath?.sparseInput).toBe(
          trainingPath === 'resident' ? true : undefined,
        );
        logs.push(history.history);
      }
      const [resident, tfjs] = logs as [Record<string, number[]>, Record<string, number[]>];
      expect(resident['val_loss']).toHaveLength(2);
      resident['val_loss']!.forEach((loss, epoch) => {
        expect(Math.abs(loss - tfjs['val_loss']![epoch]!), `epoch ${epoch + 1}`).toBeLessThan(1e-5);
        // The same rows right (the tfjs path reports the fraction in float32).
        expect(resident['val_accuracy']![epoch]).toBeCloseTo(tfjs['val_accuracy']![epoch]!, 6);
      });
      // Training moved the model: the second epoch's validation loss is another number.
      expect(resident['val_loss']![1]).not.toBe(resident['val_loss']![0]);
    },
  );
});
