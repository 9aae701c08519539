import { tf } from '@tessera/core';
import {
  model as functional,
  input,
  layers,
  Model,
  type Model as ModelType,
  sequential,
} from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { weightsOf } from '../testing/model-weights.js';
import { foldInputTransform, type InputTransform } from './fold-input-transform.js';
import { ExportError } from './keras-names.js';

/** Output of `m` with `weights` on rows `x` of shape `shape`. */
function outputs(
  m: ModelType,
  weights: Array<{ values: Float32Array; shape: number[] }>,
  x: number[],
  shape: number[],
): Float32Array {
  m.setWeights(weights.map((w) => tf.tensor(w.values, w.shape)));
  const xt = tf.tensor(x, shape);
  const y = m.predict(xt) as tf.Tensor;
  const data = y.dataSync() as Float32Array;
  tf.dispose([xt, y]);
  return data;
}

const transform: InputTransform = {
  featureScale: 0.5,
  normalizer: { method: 'standard', offset: [1, -2, 0.5], scale: [2, 0.25, 4] },
};

describe('foldInputTransform', () => {
  it('folds scale and normalization exactly through Dropout into a functional Dense layer', () => {
    const i = input({ shape: [3] });
    const h = layers.dropout({ rate: 0.2 }).apply(i);
    const o = layers.dense({ units: 2, activation: 'tanh', name: 'first' }).apply(h);
    const m = functional({ inputs: i, outputs: layers.dense({ units: 1 }).apply(o), seed: 2 });
    const original = weightsOf(m);
    const folded = foldInputTransform(m.toJSON(), original, transform);
    expect(folded.layer).toBe('first');
    const raw = [3, 1, -4, 0.2, 7, 2];
    const normalised = raw.map((v, j) => {
      const n = transform.normalizer!;
      return (v * 0.5 - n.offset[j % 3]!) / n.scale[j % 3]!;
    });
    const expected = outputs(m, original, normalised, [2, 3]);
    const actual = outputs(m, folded.weights, raw, [2, 3]);
    for (let k = 0; k < expected.length; k++) expect(actual[k]).toBeCloseTo(expected[k]!, 5);
  });

  it('leaves the weights alone when training used raw features', () => {
    const m = sequential([layers.dense({ units: 2, inputShape: [3] })], { seed: 1 });
    const w = weightsOf(m);
    const folded = foldInputTransform(m.toJSON(), w, { featureScale: 1 });
    expect(folded.layer).toBeUndefined();
    expect(folded.weights.map((x) => x.values)).toEqual(w.map((x) => x.values));
  });

  it('refuses a model whose first layer mixes features before a Dense layer', () => {
    const m = sequential([layers.maxout({ units: 2, pieces: 2, inputShape: [3] })]);
    expect(() => foldInputTransform(m.toJSON(), weightsOf(m), transform)).toThrow(
      /first layer after the input must be Dense, BatchNormalization, Normalization or LayerNormalization. Received: Maxout/,
    );
  });

  /** Random weights for `m` (variances positive), set on it. */
  function randomize(m: ModelType): void {
    let k = 0;
    const values = m.weights.map((w) => {
      const size = w.shape.reduce((a, b) => a * b, 1);
      const data = Float32Array.from({ length: size }, () => {
        k++;
        const v = Math.sin(k * 12.9898) * 2;
        return /variance$/.test(w.name) ? 0.1 + Math.abs(v) : v;
      });
      return tf.tensor(data, w.shape);
    });
    m.setWeights(values);
    tf.dispose(values);
  }

  /** The folded model on raw rows equals the original on transformed rows. */
  function expectFoldExact(
    m: ModelType,
    t: InputTransform,
    raw: number[],
    shape: number[],
  ): string {
    randomize(m);
    const original = weightsOf(m);
    const folded = foldInputTransform(m.toJSON(), original, t);
    const d = shape.slice(1).reduce((a, b) => a * b, 1);
    const transformed = raw.map((v, i) => {
      const n = t.normalizer;
      const j = i % d;
      return n === undefined
        ? v * t.featureScale
        : (v * t.featureScale - n.offset[j]!) / n.scale[j]!;
    });
    const expected = outputs(m, original, transformed, shape);
    const rebuilt = Model.fromJSON(folded.model);
    const actual = outputs(rebuilt, folded.weights, raw, shape);
    for (let k = 0; k < expected.length; k++) expect(actual[k]).toBeCloseTo(expected[k]!, 4);
    return folded.description;
  }

  const raw = [3, 1, -4, 0.2, 7, 2];
  it.each([
    ['BatchNormalization', () => layers.batchNormalization({ inputShape: [3], momentum: 0.5 })],
    [
      'BatchNormalization without gamma',
      () => layers.batchNormalization({ inputShape: [3], scale: false }),
    ],
    ['Normalization', () => layers.normalization({ inputShape: [3] })],
    ['an inverted Normalization', () => layers.normalization({ inputShape: [3], invert: true })],
  ] as const)('folds scale and normalization into %s as the first layer', (_, first) => {
    const m = sequential(
      [
        first(),
        layers.gaussianNoise({ stddev: 0.1 }),
        layers.dense({ units: 2, activation: 'tanh' }),
      ],
      { seed: 3 },
    );
    expect(expectFoldExact(m, transform, raw, [2, 3])).toMatch(
      /into the statistics of the first layer/,
    );
  });

  it('folds a pixel scale into LayerNormalization (epsilon) and BatchNormalization over an axis', () => {
    const pixels = { featureScale: 1 / 255 };
    const rows = Array.from({ length: 12 }, (_, i) => (i * 37) % 256);
    const ln = sequential([
      layers.layerNormalization({ inputShape: [6] }),
      layers.dense({ units: 2 }),
    ]);
    expectFoldExact(ln, pixels, rows, [2, 6]);
    const bn = sequential([
      layers.batchNormalization({ inputShape: [2, 3], axis: 1 }),
      layers.flatten(),
      layers.dense({ units: 2 }),
    ]);
    expectFoldExact(bn, pixels, rows, [2, 2, 3]);
  });

  it('refuses a per-feature normalization it cannot fold', () => {
    const ln = sequential([layers.layerNormalization({ inputShape: [3] })]);
    expect(() => foldInputTransform(ln.toJSON(), weightsOf(ln), transform)).toThrow(
      /cannot fold the feature scale 1\/2 and the standard normalization into layer "layer_normalization[^"]*" \(LayerNormalization\): it normalizes each example/,
    );
    const byAxis = sequential([layers.batchNormalization({ inputShape: [3, 2], axis: 1 })]);
    const six = {
      featureScale: 1,
      normalizer: {
        method: 'standard' as const,
        offset: [1, 2, 3, 4, 5, 6],
        scale: [1, 1, 1, 1, 1, 2],
      },
    };
    expect(() => foldInputTransform(byAxis.toJSON(), weightsOf(byAxis), six)).toThrow(
      /normalizes 3 features, the input has 6/,
    );
  });

  it('refuses to fold an offset into a Dense layer without a bias', () => {
    const m = sequential([layers.dense({ units: 2, useBias: false, inputShape: [3] })]);
    let error: unknown;
    try {
      foldInputTransform(m.toJSON(), weightsOf(m), transform);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ExportError);
    expect((error as Error).message).toMatch(/no bias to absorb the offset/);
  });
});
