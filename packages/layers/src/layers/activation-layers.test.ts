import { tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { type Layer, layers } from '../index.js';
import { runLayerTest } from '../testing/layer-test.js';

const xs = [-2.5, -1, -0.25, 0.3, 1.2, 7];

/** Applies `layer` to xs (shape [2, 3]) and compares with `f` computed in float64. */
function expectElementwise(layer: Layer<'one'>, f: (v: number) => number): void {
  const x = tf.tensor(xs, [2, 3]);
  const y = layer.apply(x);
  const got = y.dataSync();
  xs.forEach((v, i) => {
    expect(got[i]).toBeCloseTo(f(v), 5);
  });
  tf.dispose([x, y]);
}

describe('activation layers', () => {
  it('pass the layer harness', async () => {
    const makers = [
      () => layers.activation({ activation: 'tanh' }),
      () => layers.activation({ activation: 'softmax' }),
      () => layers.leakyReLU({ alpha: 0.2 }),
      () => layers.elu({ alpha: 0.7 }),
      () => layers.elu(),
      () => layers.relu({ maxValue: 0.6, negativeSlope: 0.1, threshold: 0.05 }),
      () => layers.softmax({ axis: -1 }),
      () => layers.softmax({ axis: 1 }),
    ];
    for (const layer of makers) {
      await runLayerTest({
        layer,
        inputShape: [2, 3, 4],
        expectedOutputShape: [2, 3, 4],
        expectedWeightShapes: [],
      });
    }
  });

  it('LeakyReLU: x, or alpha·x below 0 (default alpha 0.3)', () => {
    expectElementwise(layers.leakyReLU(), (v) => (v >= 0 ? v : 0.3 * v));
    expectElementwise(layers.leakyReLU({ alpha: 0.05 }), (v) => (v >= 0 ? v : 0.05 * v));
  });

  it('ELU: x, or alpha·(exp(x) - 1) below 0', () => {
    expectElementwise(layers.elu(), (v) => (v > 0 ? v : Math.exp(v) - 1));
    expectElementwise(layers.elu({ alpha: 2 }), (v) => (v > 0 ? v : 2 * (Math.exp(v) - 1)));
  });

  it('ReLU: cap, slope and threshold as Keras defines them', () => {
    expectElementwise(layers.relu(), (v) => Math.max(v, 0));
    expectElementwise(layers.relu({ maxValue: 1 }), (v) => Math.min(Math.max(v, 0), 1));
    expectElementwise(layers.relu({ negativeSlope: 0.1, threshold: 0.5 }), (v) =>
      v >= 0.5 ? v : 0.1 * (v - 0.5),
    );
  });

  it('Activation: applies the named function', () => {
    expectElementwise(layers.activation({ activation: 'sigmoid' }), (v) => 1 / (1 + Math.exp(-v)));
    expect(layers.activation({ activation: 'relu' }).getConfig()['activation']).toBe('relu');
  });

  it('Softmax: normalises over the chosen axis', () => {
    const x = tf.tensor(xs, [1, 2, 3]);
    const lastAxis = layers.softmax().apply(x).dataSync();
    const middle = layers.softmax({ axis: 1 }).apply(x).dataSync();
    for (let r = 0; r < 2; r++) {
      const row = xs.slice(r * 3, r * 3 + 3);
      const z = row.reduce((s, v) => s + Math.exp(v), 0);
      row.forEach((v, i) => {
        expect(lastAxis[r * 3 + i]).toBeCloseTo(Math.exp(v) / z, 5);
      });
    }
    for (let c = 0; c < 3; c++) {
      const col = [xs[c] as number, xs[3 + c] as number];
      const z = col.reduce((s, v) => s + Math.exp(v), 0);
      expect(middle[c]).toBeCloseTo(Math.exp(col[0] as number) / z, 5);
      expect(middle[3 + c]).toBeCloseTo(Math.exp(col[1] as number) / z, 5);
    }
    x.dispose();
  });

  it('reject bad arguments, naming them', () => {
    expect(() => layers.leakyReLU({ alpha: -1 })).toThrow('Received: alpha=-1');
    expect(() => layers.elu({ alpha: Number.NaN })).toThrow(ValueError);
    expect(() => layers.relu({ maxValue: -1 })).toThrow('Received: maxValue=-1');
    expect(() => layers.relu({ maxValue: 1, threshold: 2 })).toThrow('Received: threshold=2');
    expect(() => layers.softmax({ axis: 0 })).toThrow('Received: axis=0');
    expect(() => layers.activation({ activation: 'nope' })).toThrow(/nope/);
  });
});
