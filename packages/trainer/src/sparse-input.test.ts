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
});
