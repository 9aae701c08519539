import { ShapeError, type Tensor, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { sequential } from '../engine/sequential.js';
import { layers } from '../layers/index.js';
import { activationChecks } from '../testing/activation-checks.js';
import { activations } from './index.js';
import { celu, glu, hardSilu, logSigmoid, sparsePlus, squareplus } from './keras3-extras.js';
import { softmax } from './softmax.js';

const { expectMatches, expectGradientOk, expectNoLeak } = activationChecks({
  points: [-30, -4, -3, -1.5, -1, -0.25, 0, 0.3, 1, 2.5, 3, 4, 30],
  // Away from the kinks of hard_silu (±3) and sparse_plus (±1).
  smoothPoints: [-3.6, -2.2, -0.6, -0.1, 0.4, 0.8, 1.7, 3.4],
});

const softplus64 = (x: number): number =>
  x > 30 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));

describe('Keras 3 activations', () => {
  const cases: Array<[string, (x: tf.Tensor) => tf.Tensor, (x: number) => number]> = [
    ['celu', (x) => celu(x), (x) => Math.max(x, 0) + Math.min(0, Math.expm1(x))],
    [
      'celu alpha=2',
      (x) => celu(x, { alpha: 2 }),
      (x) => Math.max(x, 0) + 2 * Math.min(0, Math.expm1(x / 2)),
    ],
    ['hard_silu', hardSilu, (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6],
    ['log_sigmoid', logSigmoid, (x) => -softplus64(-x)],
    ['squareplus', (x) => squareplus(x), (x) => (x + Math.sqrt(x * x + 4)) / 2],
    ['squareplus b=1', (x) => squareplus(x, { b: 1 }), (x) => (x + Math.sqrt(x * x + 1)) / 2],
    ['sparse_plus', sparsePlus, (x) => (x <= -1 ? 0 : x >= 1 ? x : (x + 1) ** 2 / 4)],
  ];
  for (const [name, fn, reference] of cases) {
    it(`${name}: float64 reference, gradient check, no leak`, () => {
      expectMatches(fn, reference);
      expectGradientOk(fn);
      expectNoLeak(fn);
    });
  }

  it('glu gates the first half by the sigmoid of the second', () => {
    const x = tf.tensor([[1, -2, 0.5, 3]]);
    const got = Array.from(glu(x).dataSync());
    const sig = (v: number): number => 1 / (1 + Math.exp(-v));
    expect(got[0]).toBeCloseTo(1 * sig(0.5), 6);
    expect(got[1]).toBeCloseTo(-2 * sig(3), 6);
    expect(() => glu(tf.ones([1, 3]))).toThrow(ShapeError);
    expectGradientOk((t) => glu(t.reshape([2, 4])), [0.1, -0.7, 1.2, 0.4, -1.1, 2.2, 0.3, -0.5]);
    x.dispose();
  });

  it('are registered under their Keras names and aliases, and serialize back', () => {
    for (const name of [
      'celu',
      'hard_silu',
      'hard_swish',
      'log_sigmoid',
      'glu',
      'squareplus',
      'sparse_plus',
    ]) {
      const fn = activations.get(name);
      expect(activations.get(activations.serialize(fn))).toBe(fn);
    }
    expect(activations.serialize(activations.get('hard_swish'))).toBe('hard_silu');
    expect(() => celu(tf.ones([1]), { alpha: 0 })).toThrow(
      'celu: alpha must be a positive finite number. Received: alpha=0',
    );
  });

  it('softmax normalises over several axes at once', () => {
    const values = [1, 2, 3, 4, 5, 6];
    const x = tf.tensor(values, [1, 2, 3]);
    const y = softmax(x, { axis: [1, 2] });
    const total = values.reduce((a, v) => a + Math.exp(v), 0);
    Array.from(y.dataSync()).forEach((v, i) => {
      expect(v).toBeCloseTo(Math.exp(values[i]!) / total, 6);
    });
    expect(() => softmax(x, { axis: [1, 1] })).toThrow(ValueError);
    tf.dispose([x, y]);
  });
});

describe('glu in a layer halves the width it reports', () => {
  it('Dense and Activation report half the units, so the next layer is built to fit', () => {
    const m = sequential([
      layers.dense({ units: 8, activation: 'glu', inputShape: [4] }),
      layers.activation({ activation: 'glu' }),
      layers.dense({ units: 3 }),
    ]);
    expect(m.layers[0]!.computeOutputShape([null, 4])).toEqual([null, 4]);
    expect(m.layers[1]!.computeOutputShape([null, 4])).toEqual([null, 2]);
    expect(m.outputShape).toEqual([null, 3]);
    // The last Dense is built on the 2 columns the two glus leave: kernel [2, 3].
    expect(m.layers[2]!.weights[0]!.shape).toEqual([2, 3]);
    const y = m.predict(tf.ones([5, 4])) as Tensor;
    expect(y.shape).toEqual([5, 3]);
    y.dispose();
  });

  it('Dense with glu on rank-3 input keeps the leading axes', () => {
    const d = layers.dense({ units: 4, activation: 'glu' });
    const y = d.apply(tf.ones([2, 3, 5])) as Tensor;
    expect(y.shape).toEqual([2, 3, 2]);
    expect(d.computeOutputShape([null, 3, 5])).toEqual([null, 3, 2]);
    y.dispose();
  });
});
