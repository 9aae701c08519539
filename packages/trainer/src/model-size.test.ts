import { describe, expect, it } from 'vitest';
import { checkModelSize, checkWorkerCount, estimateParameters } from './model-size.js';
import { classifier } from './testing/fixtures.js';

const dense = (units: number, inputShape?: number[]): unknown => ({
  className: 'Dense',
  config: { units, ...(inputShape === undefined ? {} : { inputShape }) },
});
const sequentialOf = (...layers: unknown[]): unknown => ({
  format: 'tessera-model',
  className: 'Sequential',
  config: { layers },
});

describe('estimateParameters', () => {
  it('counts a first Dense exactly and later ones by their units (a lower bound)', () => {
    expect(estimateParameters(sequentialOf(dense(12, [4]), dense(3)))).toBe(4 * 12 + 12 + 3);
  });

  it('never exceeds the parameters of a real model', () => {
    const model = classifier().make();
    const real = model.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
    expect(estimateParameters(model.toJSON())).toBeLessThanOrEqual(real);
    expect(estimateParameters(model.toJSON())).toBeGreaterThan(0);
  });

  it('reads the input width however a config spells it', () => {
    const spelled = (config: Record<string, unknown>): number =>
      estimateParameters(sequentialOf({ className: 'Dense', config: { units: 10, ...config } }));
    for (const key of ['batchInputShape', 'batch_input_shape', 'batchShape']) {
      expect(spelled({ [key]: [null, 2000] }), key).toBe(2000 * 10 + 10);
      expect(spelled({ [key]: [32, 5, 4] }), key).toBe(20 * 10 + 10);
    }
    expect(spelled({ inputDim: 300 })).toBe(300 * 10 + 10);
    expect(spelled({})).toBe(10);
  });

  it('counts embeddings', () => {
    expect(estimateParameters({ config: { inputDim: 1000, outputDim: 8 } })).toBe(8000);
  });
});

describe('checkModelSize', () => {
  it('refuses units: 1e9 before allocating, naming the number and the limit', () => {
    expect(() => checkModelSize(sequentialOf(dense(1e9, [4])), 'big.json', 8 * 1024 ** 3)).toThrow(
      /^big\.json: the model has about 5,000,000,000 parameters, needing 74\.5 GiB to train; the limit is 8\.0 GiB/,
    );
  });

  it('accepts a small model', () => {
    expect(checkModelSize(sequentialOf(dense(12, [4])), 'ok.json', 1024 ** 3)).toBe(60);
  });
});

describe('checkWorkerCount', () => {
  it('refuses 10,000 workers naming the number and the limit', () => {
    expect(() => checkWorkerCount(10_000, 1000, 12 * 1024 ** 3)).toThrow(
      /^--workers 10000: each worker needs about 49 MiB, so at most 255 fit in the memory limit of 12\.0 GiB/,
    );
    expect(() => checkWorkerCount(8, 1000, 12 * 1024 ** 3)).not.toThrow();
  });
});
