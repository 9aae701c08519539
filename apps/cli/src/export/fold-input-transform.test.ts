import { tf } from '@tessera/core';
import { model as functional, input, layers, type Model, sequential } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { weightsOf } from '../testing/model-weights.js';
import { foldInputTransform, type InputTransform } from './fold-input-transform.js';
import { ExportError } from './keras-names.js';

/** Output of `m` with `weights` on rows `x` of shape `shape`. */
function outputs(
  m: Model,
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
      /first layer after the input must be Dense. Received: Maxout/,
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
