import { tf, ValueError } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { Model } from '../engine/model.js';
import { clearSession, layers, sequential } from '../index.js';
import { runLayerTest } from '../testing/layer-test.js';

beforeEach(() => {
  clearSession();
});

const DATA = [
  [1, 10, -2],
  [3, 30, -2],
  [2, 20, 4],
  [6, 0, 4],
];

/** Float64 column statistics: mean and population variance (Keras's adapt). */
function columnStats(rows: number[][]): { mean: number[]; variance: number[] } {
  const n = rows.length;
  const mean = rows[0]!.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0) / n);
  const variance = rows[0]!.map(
    (_, j) => rows.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / n,
  );
  return { mean, variance };
}

describe('Normalization', () => {
  it('passes the layer harness with given statistics (shapes, config, gradients, leaks)', async () => {
    await runLayerTest({
      layer: () => layers.normalization({ mean: [0.5, -1, 2, 0], variance: [4, 0.25, 1, 9] }),
      inputShape: [3, 4],
      expectedOutputShape: [3, 4],
      expectedWeightShapes: [[4], [4]],
      expectedTrainableWeights: 0,
      trainingStep: false,
    });
  });

  it('adapt learns the float64 mean and population variance per feature', () => {
    const norm = layers.normalization();
    norm.adapt(DATA);
    const { mean, variance } = columnStats(DATA);
    const [m, v] = norm.getWeights();
    Array.from(m!.dataSync()).forEach((x, j) => {
      expect(x).toBeCloseTo(mean[j]!, 5);
    });
    Array.from(v!.dataSync()).forEach((x, j) => {
      expect(x).toBeCloseTo(variance[j]!, 4);
    });
    const x = tf.tensor([[4, 15, 1]]);
    const y = norm.apply(x) as tf.Tensor;
    const expected = [4, 15, 1].map((val, j) => (val - mean[j]!) / Math.sqrt(variance[j]!));
    Array.from(y.dataSync()).forEach((got, j) => {
      expect(got).toBeCloseTo(expected[j]!, 5);
    });
    const back = layers.normalization({ invert: true });
    back.build([null, 3]);
    back.setWeights(norm.getWeights());
    const z = back.apply(y) as tf.Tensor;
    Array.from(z.dataSync()).forEach((got, j) => {
      expect(got).toBeCloseTo([4, 15, 1][j]!, 4);
    });
    tf.dispose([x, y, z]);
  });

  it('keeps the adapted state through the model config and weights, and in training', async () => {
    const norm = layers.normalization({ inputShape: [3] });
    norm.adapt(DATA);
    const m = sequential([norm, layers.dense({ units: 1 })]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const before = norm.getWeights().map((t) => Array.from(t.dataSync()));
    await m.fit(DATA, [[1], [2], [3], [4]], { epochs: 2, verbose: 0, seed: 1 });
    // Non-trainable: training leaves the statistics alone.
    expect(norm.getWeights().map((t) => Array.from(t.dataSync()))).toEqual(before);
    const copy = Model.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    copy.setWeights(m.getWeights());
    const x = tf.tensor(DATA);
    const a = m.predict(x) as tf.Tensor;
    const b = copy.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(copy.layers[0]!.getConfig()).toMatchObject({
      axis: -1,
      mean: null,
      variance: null,
      invert: false,
    });
    tf.dispose([x, a, b]);
  });

  it('rejects bad options in the Keras form', () => {
    expect(() => layers.normalization({ mean: [1, 2] })).toThrow(
      'Normalization: give both mean and variance, or neither (then call adapt). Received: mean=[1,2], variance=null',
    );
    expect(() => layers.normalization({ axis: 0 })).toThrow(ValueError);
    const wrong = layers.normalization({ mean: [1, 2], variance: [1, 1] });
    expect(() => wrong.build([null, 3])).toThrow('mean and variance need 3 values');
  });
});
