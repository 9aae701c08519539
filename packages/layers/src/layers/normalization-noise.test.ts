import { tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { deserializeLayer, serializeLayer } from '../engine/layer-registry.js';
import { layers, sequential } from '../index.js';
import { runLayerTest } from '../testing/layer-test.js';

describe('LayerNormalization', () => {
  it('passes the layer harness (shapes, weights, training step, config, gradients, leaks)', async () => {
    await runLayerTest({
      layer: () => layers.layerNormalization({ gammaInitializer: 'glorotUniform' }),
      inputShape: [3, 4],
      expectedOutputShape: [3, 4],
      expectedWeightShapes: [[4], [4]],
    });
  });

  it('matches a float64 reference', () => {
    const rows = [
      [1, 2, 4],
      [-3, 0.5, 7],
    ];
    const x = tf.tensor(rows);
    const y = layers.layerNormalization({ epsilon: 0.01 }).apply(x) as tf.Tensor;
    const got = y.arraySync() as number[][];
    rows.forEach((row, r) => {
      const mean = row.reduce((a, b) => a + b, 0) / row.length;
      const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
      row.forEach((v, c) => {
        expect(got[r]![c]).toBeCloseTo((v - mean) / Math.sqrt(variance + 0.01), 5);
      });
    });
    tf.dispose([x, y]);
  });

  it('rejects bad options', () => {
    expect(() => layers.layerNormalization({ epsilon: 0 })).toThrow(
      'LayerNormalization: epsilon must be a positive finite number. Received: epsilon=0',
    );
    expect(() => layers.layerNormalization({ center: 1 as never })).toThrow(ValueError);
  });
});

describe('GaussianNoise, GaussianDropout, AlphaDropout', () => {
  const makers = [
    () => layers.gaussianNoise({ stddev: 0.5, seed: 4 }),
    () => layers.gaussianDropout({ rate: 0.3, seed: 4 }),
    () => layers.alphaDropout({ rate: 0.3, seed: 4 }),
  ];
  for (const make of makers) {
    it(`${make().className}: identity in inference, seeded noise in training, config round-trip`, () => {
      const x = tf.ones([200, 5]);
      const a = make();
      const inference = a.apply(x) as tf.Tensor;
      expect(Array.from(inference.dataSync()).every((v) => v === 1)).toBe(true);
      const noisy = a.apply(x, { training: true }) as tf.Tensor;
      const again = make().apply(x, { training: true }) as tf.Tensor;
      expect(Array.from(noisy.dataSync())).toEqual(Array.from(again.dataSync()));
      expect(Array.from(noisy.dataSync()).some((v) => v !== 1)).toBe(true);
      const back = deserializeLayer(JSON.parse(JSON.stringify(serializeLayer(a))));
      expect(back.getConfig()).toEqual(a.getConfig());
      tf.dispose([x, inference, noisy, again]);
    });
  }

  it('keep the statistics Keras promises (float64 references, large sample)', () => {
    const x = tf.ones([4000, 5]);
    const stats = (t: tf.Tensor): { mean: number; std: number } => {
      const v = Array.from(t.dataSync());
      const mean = v.reduce((s, e) => s + e, 0) / v.length;
      return { mean, std: Math.sqrt(v.reduce((s, e) => s + (e - mean) ** 2, 0) / v.length) };
    };
    const noise = layers
      .gaussianNoise({ stddev: 0.5, seed: 1 })
      .apply(x, { training: true }) as tf.Tensor;
    expect(stats(noise).mean).toBeCloseTo(1, 1);
    expect(stats(noise).std).toBeCloseTo(0.5, 1);
    const gd = layers
      .gaussianDropout({ rate: 0.2, seed: 1 })
      .apply(x, { training: true }) as tf.Tensor;
    expect(stats(gd).std).toBeCloseTo(Math.sqrt(0.2 / 0.8), 1);
    // AlphaDropout on standard-normal inputs keeps mean 0 and variance 1.
    const z = tf.randomNormal([4000, 5], 0, 1, 'float32', 9);
    const ad = layers
      .alphaDropout({ rate: 0.2, seed: 1 })
      .apply(z, { training: true }) as tf.Tensor;
    expect(stats(ad).mean).toBeCloseTo(0, 1);
    expect(stats(ad).std).toBeCloseTo(1, 1);
    tf.dispose([x, noise, gd, z, ad]);
  });

  it('reject bad rates and stddevs in the Keras form', () => {
    expect(() => layers.gaussianNoise({ stddev: -1 })).toThrow(
      'GaussianNoise: stddev must be a non-negative finite number. Received: stddev=-1',
    );
    expect(() => layers.alphaDropout({ rate: 1 })).toThrow(
      'AlphaDropout: rate must be a number in [0, 1). Received: rate=1',
    );
  });
});

describe('ActivityRegularization', () => {
  it('is the identity and adds l1·Σ|x| + l2·Σx² (per example) to the training loss', async () => {
    const m = sequential([layers.activityRegularization({ l1: 0.1, l2: 0.2, inputShape: [2] })]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.tensor([[1, -2]]);
    const logs = m.evaluate(x, x);
    // mse 0; penalty 0.1·3 + 0.2·5 on one example.
    expect(logs['loss']).toBeCloseTo(0.1 * 3 + 0.2 * 5, 5);
    const layer = m.layers[0]!;
    expect(layer.getConfig()).toMatchObject({ l1: 0.1, l2: 0.2 });
    expect(layer.getConfig()['activityRegularizer']).toBeUndefined();
    const back = deserializeLayer(serializeLayer(layer));
    expect(back.getConfig()).toEqual(layer.getConfig());
    x.dispose();
  });
});
