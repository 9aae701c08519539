import { NotFoundError, ShapeError, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { Dense, input, layers, sequential } from '../index.js';
import { runLayerTest } from '../testing/layer-test.js';

describe('Dense', () => {
  it('passes the layer harness (linear, fused relu, sigmoid after the matmul)', async () => {
    for (const activation of [undefined, 'relu', 'sigmoid'] as const) {
      await runLayerTest({
        layer: () => layers.dense({ units: 3, activation }),
        inputShape: [2, 4],
        expectedOutputShape: [2, 3],
        expectedWeightShapes: [[4, 3], [3]],
      });
    }
  });

  it('passes the harness without bias and on rank-3 inputs', async () => {
    await runLayerTest({
      layer: () => layers.dense({ units: 2, useBias: false, activation: 'tanh' }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 2],
      expectedWeightShapes: [[4, 2]],
    });
  });

  it('computes activation(X·W + b), checked in float64 by hand', () => {
    for (const activation of ['linear', 'relu', 'tanh'] as const) {
      const layer = layers.dense({ units: 3, activation, biasInitializer: 'random_normal' });
      const xValues = [0.5, -1.25, 2, 0.75, 1.5, -0.5, -2, 0.25];
      const x = tf.tensor(xValues, [2, 4]);
      const y = layer.apply(x);
      const [w, b] = layer.getWeights();
      const W = Array.from((w as tf.Tensor).dataSync(), Number);
      const B = Array.from((b as tf.Tensor).dataSync(), Number);
      const f =
        activation === 'relu'
          ? (z: number) => Math.max(z, 0)
          : activation === 'tanh'
            ? Math.tanh
            : (z: number) => z;
      const got = y.dataSync();
      for (let r = 0; r < 2; r++) {
        for (let u = 0; u < 3; u++) {
          let z = B[u] as number;
          for (let k = 0; k < 4; k++)
            z += (xValues[r * 4 + k] as number) * (W[k * 3 + u] as number);
          expect(got[r * 3 + u]).toBeCloseTo(f(z), 5);
        }
      }
      tf.dispose([x, y, w as tf.Tensor, b as tf.Tensor]);
      layer.dispose();
    }
  });

  it('runs linear, relu and softmax as one fused op whose gradients match the composed ops', async () => {
    const rows = (n: number, k: number) =>
      tf.tensor(
        Array.from({ length: n * k }, (_, i) => Math.sin(i * 1.7) * 2),
        [n, k],
      );
    for (const activation of ['linear', 'relu', 'softmax', 'sigmoid'] as const) {
      const layer = layers.dense({ units: 3, activation, biasInitializer: 'random_normal' });
      const x = rows(5, 4);
      const r = rows(5, 3);
      layer.apply(x).dispose();
      const [kernel, bias] = layer.trainableWeights.map((w) => w.variable);
      const ours = tf.variableGrads(
        () => tf.sum(tf.mul(r, layer.apply(x) as tf.Tensor)) as tf.Scalar,
        [kernel!, bias!],
      );
      const composed = tf.grads((w: tf.Tensor, b: tf.Tensor) => {
        const z = tf.add(tf.matMul(x, w), b);
        const y =
          activation === 'relu'
            ? tf.relu(z)
            : activation === 'softmax'
              ? tf.softmax(z)
              : activation === 'sigmoid'
                ? tf.sigmoid(z)
                : z;
        return tf.sum(tf.mul(r, y));
      })([kernel!, bias!]);
      [kernel!, bias!].forEach((v, i) => {
        const got = ours.grads[v.name]!.dataSync();
        const want = composed[i]!.dataSync();
        want.forEach((w, j) => {
          expect(got[j]).toBeCloseTo(w, 5);
        });
      });
      // Linear, relu and softmax are one recorded op; other activations run after it.
      const profile = await tf.profile(() => {
        tf.tidy(() => {
          layer.apply(x);
        });
      });
      expect(profile.kernelNames).toEqual(
        activation === 'sigmoid' ? ['TesseraDense', 'Sigmoid'] : ['TesseraDense'],
      );
      tf.dispose([x, r, ours.value, ...Object.values(ours.grads), ...composed]);
      layer.dispose();
    }
  });

  it('saves every tf.keras Dense argument in its config', () => {
    const layer = layers.dense({
      units: 4,
      activation: 'relu',
      useBias: true,
      kernelInitializer: 'he_normal',
      biasInitializer: 'ones',
      kernelRegularizer: 'l2',
      biasRegularizer: 'l1',
      activityRegularizer: 'l1_l2',
      kernelConstraint: 'max_norm',
      biasConstraint: 'non_neg',
      name: 'd',
      inputShape: [3],
    });
    const config = layer.getConfig();
    expect(Object.keys(config).sort()).toEqual(
      [
        'activation',
        'activityRegularizer',
        'biasConstraint',
        'biasInitializer',
        'biasRegularizer',
        'inputShape',
        'kernelConstraint',
        'kernelInitializer',
        'kernelRegularizer',
        'name',
        'trainable',
        'units',
        'useBias',
      ].sort(),
    );
    expect(config['units']).toBe(4);
    expect(config['activation']).toBe('relu');
    expect(config['inputShape']).toEqual([3]);
    expect(config['kernelInitializer']).toMatchObject({ className: 'HeNormal' });
    expect(config['biasConstraint']).toMatchObject({ className: 'NonNeg' });
    const copy = new Dense(JSON.parse(JSON.stringify(config)));
    expect(copy.getConfig()).toEqual(config);
  });

  it('rejects bad arguments with the Keras-style message', () => {
    expect(() => layers.dense({ units: 0 })).toThrow(ValueError);
    expect(() => layers.dense({ units: 0 })).toThrow(
      'Dense: units must be a positive integer. Received: units=0',
    );
    expect(() => layers.dense({ units: -3 })).toThrow('Received: units=-3');
    expect(() => layers.dense({ units: 1.5 })).toThrow('Received: units=1.5');
    expect(() => layers.dense({ units: '3' as unknown as number })).toThrow('Received: units="3"');
    expect(() => layers.dense({ units: 2, activation: 'relux' })).toThrow(NotFoundError);
    expect(() => layers.dense({ units: 2, activation: 'relux' })).toThrow(/relux/);
    expect(() => layers.dense({ units: 2, kernelInitializer: 'glorot_unifrom' })).toThrow(
      /glorot_unifrom/,
    );
    expect(() => layers.dense({ units: 2, kernelRegularizer: 'l3' })).toThrow(/l3/);
    expect(() => layers.dense({ units: 2, inputShape: [0] })).toThrow(/inputShape/);
  });

  it('rejects inputs whose last dimension differs from the built kernel', () => {
    const layer = layers.dense({ units: 2 });
    const a = tf.ones([1, 4]);
    const b = tf.ones([1, 3]);
    layer.apply(a).dispose();
    expect(() => layer.apply(b)).toThrow(ShapeError);
    expect(() => layer.apply(b)).toThrow('last dimension is 4. Received: shape=(1, 3)');
    tf.dispose([a, b]);
    layer.dispose();
  });

  it('counts parameters like Keras: inputs·units + units', () => {
    const m = sequential([input({ shape: [784] }), layers.dense({ units: 128 })]);
    expect(m.countParams()).toBe(784 * 128 + 128);
    m.dispose();
  });
});
