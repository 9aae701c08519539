/**
 * Activations and activation layers, translated from the peers' suites:
 * Keras 3 `keras/src/activations/activations_test.py` (ActivationsTest),
 * `keras/src/layers/activations/{relu,leaky_relu,elu,softmax,activation}_test.py`, and
 * tfjs-layers `src/activations_test.ts` and `src/layers/advanced_activation_test.ts`.
 * Inputs are fixed values instead of the peers' random ones; expected values are the
 * peers' reference formulas, evaluated here in float64.
 */
import { NotFoundError, tf, ValueError } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  activations,
  clearSession,
  deserializeLayer,
  type ELU,
  type LeakyReLU,
  layers,
  type ReLU,
  serializeLayer,
} from '../../src/index.js';
import { runLayerTest } from '../../src/testing/layer-test.js';
import { expectNoLeak, expectValues } from './helpers.js';

beforeEach(() => {
  clearSession();
});

/** Values spanning both signs, zero, and large magnitudes. */
const XS = [-10, -5.5, -3, -1, -0.4, 0, 0.3, 0.9, 1, 2.5, 3, 6.2, 12];
const x1 = () => tf.tensor1d(XS);

/** `f` elementwise in float64 over XS, compared with `fn` applied to a tensor. */
function expectElementwise(
  fn: (x: tf.Tensor) => tf.Tensor,
  f: (v: number) => number,
  tol?: { atol?: number; rtol?: number },
): void {
  const x = x1();
  expectValues(fn(x), XS.map(f), tol);
  x.dispose();
}

const softplus = (v: number) => Math.log1p(Math.exp(-Math.abs(v))) + Math.max(v, 0);
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** erf by its Taylor series (float64; exact to about 1e-12 for |x| ≤ 6). */
function erf(v: number): number {
  // Taylor series: converges fast for |v| ≤ 3; beyond, erf is 1 to float32 precision.
  if (Math.abs(v) > 6) return Math.sign(v);
  let sum = 0;
  let term = v;
  for (let n = 0; n < 200; n++) {
    sum += term / (2 * n + 1);
    term *= (-v * v) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

describe('Keras activations_test.py', () => {
  // test_softmax, test_softmax_1d, test_softmax_negative_axis, test_temporal_softmax
  it('test_softmax: each row is exp(x - max) / Σ, along the last axis by default', () => {
    const rows = [
      [0.2, 0.7, 0.1, 0.9, 0.5],
      [0.4, 0.3, 0.8, 0.6, 0.05],
    ];
    const ref = (r: number[]) => {
      const m = Math.max(...r);
      const e = r.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    };
    const x = tf.tensor2d(rows);
    expectValues(activations.softmax(x), rows.map(ref));
    expectValues(activations.softmax(x, { axis: -1 }), rows.map(ref));
    const x1d = tf.tensor1d(rows[0] as number[]);
    expectValues(activations.softmax(x1d), ref(rows[0] as number[]));
    // test_softmax_2d_axis_0: along axis 0, each column sums to one.
    const cols = [0, 1, 2, 3, 4].map((j) => ref(rows.map((r) => r[j] as number)));
    expectValues(
      activations.softmax(x, { axis: 0 }),
      [0, 1].map((i) => cols.map((c) => c[i] as number)),
    );
    tf.dispose([x, x1d]);
  });

  // test_softmax_3d_axis_tuple, test_softmax_higher_dim(_multiple_axes)
  it('test_softmax_3d_axis_tuple: several axes normalise their joint slice', () => {
    const x = tf.tensor3d(
      Array.from({ length: 30 }, (_, i) => Math.sin(i) * 2),
      [2, 3, 5],
    );
    const y = activations.softmax(x, { axis: [1, 2] });
    const data = Array.from(x.dataSync(), Number);
    const expected: number[] = [];
    for (let b = 0; b < 2; b++) {
      const slice = data.slice(b * 15, b * 15 + 15);
      const m = Math.max(...slice);
      const s = slice.reduce((a, v) => a + Math.exp(v - m), 0);
      expected.push(...slice.map((v) => Math.exp(v - m) / s));
    }
    expectValues(y, expected);
    const x4 = tf.ones([2, 3, 4, 5]);
    expectValues(activations.softmax(x4, { axis: [2, 3] }), new Array(120).fill(1 / 20));
    const x5 = tf.ones([2, 3, 4, 5, 6]);
    expectValues(activations.softmax(x5, { axis: [2, 3, 4] }), new Array(720).fill(1 / 120));
    tf.dispose([x, x4, x5]);
  });

  // test_log_softmax_* (1d, 2d axis 0, 3d axis tuple, negative axis)
  it('test_log_softmax: x - max - log Σ exp(x - max), on one axis or several', () => {
    const r = [0.5, -1, 2, 0.25];
    const m = Math.max(...r);
    const lse = Math.log(r.reduce((a, v) => a + Math.exp(v - m), 0));
    const x = tf.tensor1d(r);
    expectValues(
      activations.logSoftmax(x),
      r.map((v) => v - m - lse),
    );
    expectValues(
      activations.log_softmax(x, { axis: -1 }),
      r.map((v) => v - m - lse),
    );
    const x3 = tf.ones([2, 2, 3]);
    expectValues(activations.logSoftmax(x3, { axis: [1, 2] }), new Array(12).fill(-Math.log(6)));
    tf.dispose([x, x3]);
  });

  // test_selu
  it('test_selu: scale·x above zero, scale·α·(exp(x) − 1) below', () => {
    expectElementwise(activations.selu, (v) =>
      v > 0 ? SELU_SCALE * v : SELU_SCALE * SELU_ALPHA * Math.expm1(v),
    );
  });

  // test_softplus, test_softsign, test_sigmoid, test_tanh, test_exponential, test_mish
  it('test_softplus / softsign / sigmoid / tanh / exponential / mish', () => {
    expectElementwise(activations.softplus, softplus);
    expectElementwise(activations.softsign, (v) => v / (1 + Math.abs(v)));
    expectElementwise(activations.sigmoid, sigmoid);
    expectElementwise(activations.tanh, Math.tanh);
    expectElementwise(activations.exponential, Math.exp);
    expectElementwise(activations.mish, (v) => v * Math.tanh(softplus(v)));
  });

  // test_hard_sigmoid (Keras 3: relu6(x + 3) / 6)
  it('test_hard_sigmoid: x/6 + 1/2 clipped to [0, 1] (Keras 3)', () => {
    expectElementwise(activations.hard_sigmoid, (v) => Math.min(1, Math.max(0, v / 6 + 0.5)));
  });

  // test_log_sigmoid
  it('test_log_sigmoid: −softplus(−x)', () => {
    expectElementwise(activations.log_sigmoid, (v) => -softplus(-v));
  });

  // test_hard_silu (hard_swish alias)
  it('test_hard_silu: x·min(max(0, x + 3), 6)/6; hard_swish is the same function', () => {
    const f = (v: number) => (v * Math.min(Math.max(0, v + 3), 6)) / 6;
    expectElementwise(activations.hard_silu, f);
    expect(activations.get('hard_swish')).toBe(activations.get('hard_silu'));
  });

  // test_relu_negative_slope … test_relu_to_trigger_leaky
  it('test_relu_*: negative_slope, max_value, threshold and their combinations', () => {
    const x = tf.tensor1d([-10, -5, 0, 5, 10]);
    expectValues(activations.relu(x, { negativeSlope: 0.5 }), [-5, -2.5, 0, 5, 10]);
    expectValues(activations.relu(x, { maxValue: 5 }), [0, 0, 0, 5, 5]);
    expectValues(activations.relu(x, { threshold: 5 }), [0, 0, 0, 0, 10]);
    expectValues(activations.relu(x, { threshold: 5, maxValue: 5 }), [0, 0, 0, 0, 5]);
    expectValues(
      activations.relu(x, { negativeSlope: 0.5, maxValue: 5, threshold: 5 }),
      [-7.5, -5, -2.5, 0, 5],
    );
    const x6 = tf.tensor1d([-10, -5, 0, 5, 10, 12]);
    expectValues(activations.relu(x6, { maxValue: 6 }), [0, 0, 0, 5, 6, 6]);
    tf.dispose([x, x6]);
  });

  // test_relu (including tiny and huge magnitudes)
  it('test_relu: max(0, x), also for |x| near 1e-7 and 1e5', () => {
    expectElementwise(activations.relu, (v) => Math.max(0, v));
    const tiny = tf.tensor1d([-1e-7, 1e-7, 1e5, -1e5]);
    expectValues(activations.relu(tiny), [0, 1e-7, 1e5, 0], { atol: 1e-12, rtol: 1e-6 });
    tiny.dispose();
  });

  // test_leaky_relu (negative_slope 0.01 and 0.3; Keras 3's function default is 0.2)
  it('test_leaky_relu: x or slope·x', () => {
    for (const s of [0.01, 0.3]) {
      expectElementwise(
        (x) => activations.leaky_relu(x, { negativeSlope: s }),
        (v) => (v > 0 ? v : s * v),
      );
    }
    expectElementwise(activations.leaky_relu, (v) => (v > 0 ? v : 0.2 * v));
  });

  // test_relu6, test_silu
  it('test_relu6 / test_silu', () => {
    expectElementwise(activations.relu6, (v) => Math.min(Math.max(0, v), 6));
    expectElementwise(activations.silu, (v) => v * sigmoid(v));
    expect(activations.get('silu')).toBe(activations.get('swish'));
  });

  // test_gelu (exact erf form and the tanh approximation)
  it('test_gelu: x·Φ(x) and the tanh approximation', () => {
    expectElementwise(activations.gelu, (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)), {
      atol: 1e-5,
      rtol: 1e-4,
    });
    expectElementwise(
      (x) => activations.gelu(x, { approximate: true }),
      (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
    );
  });

  // test_celu (α 1 and 0.5)
  it('test_celu: max(x, 0) + α·expm1(min(x, 0)/α)', () => {
    for (const alpha of [1, 0.5]) {
      expectElementwise(
        (x) => activations.celu(x, { alpha }),
        (v) => Math.max(v, 0) + alpha * Math.expm1(Math.min(v, 0) / alpha),
      );
    }
  });

  // test_glu (last axis and axis -2)
  it('test_glu: a·sigmoid(b) for the halves along the axis', () => {
    const v = [
      [0.1, 0.5, -0.3, 0.8],
      [0.9, -0.2, 0.4, 0.6],
    ];
    const x = tf.tensor2d(v);
    expectValues(
      activations.glu(x),
      v.map((r) => [
        (r[0] as number) * sigmoid(r[2] as number),
        (r[1] as number) * sigmoid(r[3] as number),
      ]),
    );
    expectValues(activations.glu(x, { axis: -2 }), [
      (v[0] as number[]).map((a, j) => a * sigmoid((v[1] as number[])[j] as number)),
    ]);
    const odd = tf.ones([2, 3]);
    expect(() => activations.glu(odd)).toThrow(/even/);
    tf.dispose([x, odd]);
  });

  // test_squareplus, test_sparse_plus, test_elu, test_linear
  it('test_squareplus / test_sparse_plus / test_elu / test_linear', () => {
    expectElementwise(activations.squareplus, (v) => (v + Math.sqrt(v * v + 4)) / 2);
    expectElementwise(activations.sparse_plus, (v) =>
      v <= -1 ? 0 : v < 1 ? 0.25 * (v + 1) ** 2 : v,
    );
    expectElementwise(activations.elu, (v) => (v > 0 ? v : Math.expm1(v)));
    expectElementwise(activations.linear, (v) => v);
  });

  // test_tanh_shrink, test_hard_tanh, test_hard_shrink, test_threshold, test_soft_shrink,
  // test_sparse_sigmoid
  it('test_tanh_shrink / hard_tanh / hard_shrink / threshold / soft_shrink / sparse_sigmoid', () => {
    expectElementwise(activations.tanh_shrink, (v) => v - Math.tanh(v));
    expectElementwise(activations.hard_tanh, (v) => Math.min(1, Math.max(-1, v)));
    expectElementwise(activations.hard_shrink, (v) => (Math.abs(v) > 0.5 ? v : 0));
    expectElementwise(
      (x) => activations.threshold(x, { threshold: 0, defaultValue: -1 }),
      (v) => (v > 0 ? v : -1),
    );
    expectElementwise(activations.soft_shrink, (v) => (v > 0.5 ? v - 0.5 : v < -0.5 ? v + 0.5 : 0));
    expectElementwise(activations.sparse_sigmoid, (v) =>
      v <= -1 ? 0 : v >= 1 ? 1 : 0.5 * (v + 1),
    );
  });

  // test_sparsemax: an increasing row puts all its mass on the largest entry
  it('test_sparsemax: 1-D, 2-D, 3-D and along axis 0', () => {
    const v = Array.from({ length: 12 }, (_, i) => i + 1);
    const oneHotLast = (n: number) => Array.from({ length: n }, (_, i) => (i === n - 1 ? 1 : 0));
    const x1 = tf.tensor1d(v);
    expectValues(activations.sparsemax(x1), oneHotLast(12));
    const x2 = tf.tensor2d(v, [6, 2]);
    expectValues(activations.sparsemax(x2), new Array(6).fill(oneHotLast(2)));
    const x3 = tf.tensor3d(v, [4, 1, 3]);
    expectValues(activations.sparsemax(x3), new Array(4).fill(oneHotLast(3)));
    const rows = Array.from({ length: 6 }, (_, r) => (r === 5 ? [1, 1] : [0, 0]));
    expectValues(activations.sparsemax(x2, { axis: 0 }), rows);
    tf.dispose([x1, x2, x3]);
  });

  // test_get_method
  it('test_get_method: names resolve to the functions; unknown names raise', () => {
    expect(activations.get('relu')).toBe(activations.relu);
    expect(activations.get(null)).toBe(activations.linear);
    expect(activations.get(undefined)).toBe(activations.linear);
    expect(() => activations.get('typo_relu')).toThrow(NotFoundError);
    expect(() => activations.get('typo_relu')).toThrow(/Unknown activation/);
  });
});

describe('tfjs activations_test.ts', () => {
  const VALS = [-1, 2, 0, 4, -5, 6];
  const cases: [string, (v: number) => number][] = [
    ['linear', (v) => v],
    ['elu', (v) => (v < 0 ? Math.exp(v) - 1 : v)],
    ['selu', (v) => SELU_SCALE * (v < 0 ? SELU_ALPHA * (Math.exp(v) - 1) : v)],
    ['relu', (v) => Math.max(v, 0)],
    ['sigmoid', sigmoid],
    ['softplus', (v) => Math.log(Math.exp(v) + 1)],
    ['softsign', (v) => v / (Math.abs(v) + 1)],
    ['tanh', Math.tanh],
  ];
  for (const [name, f] of cases) {
    it(`${name} activation: 1D, 2D, 3D, and does not leak`, async () => {
      const fn = activations.get(name);
      for (const shape of [[6], [2, 3], [1, 2, 3]]) {
        const x = tf.tensor(VALS, shape);
        expectValues(fn(x), VALS.map(f));
        x.dispose();
      }
      const x = tf.tensor1d(VALS);
      await expectNoLeak(() => fn(x).dispose());
      x.dispose();
    });
  }

  it('relu6 activation', () => {
    const x = tf.tensor1d([-10, -5, 0, 1, 5, 15]);
    expectValues(activations.relu6(x), [0, 0, 0, 1, 5, 6]);
    x.dispose();
  });

  it('sigmoid / softplus / softsign of a scalar', () => {
    const z = tf.scalar(0);
    expectValues(activations.sigmoid(z), 0.5);
    expectValues(activations.softplus(z), Math.log(2));
    expectValues(activations.softsign(z), 0);
    expectValues(activations.hard_sigmoid(z), 0.5);
    z.dispose();
  });

  it('softmax / logsoftmax: 1D, all equal, 2D, 3D', () => {
    const v = [0, 1, 3, 9];
    for (const shape of [[4], [1, 4], [1, 1, 4]]) {
      const x = tf.tensor(v, shape);
      expectValues(activations.softmax(x), [0, 0, 0.002, 0.997], { atol: 1e-3 });
      expectValues(activations.logSoftmax(x), [-9.003, -8.003, -6.003, -0.003], { atol: 1e-3 });
      x.dispose();
    }
    const eq = tf.tensor1d([-1, -1, -1, -1]);
    expectValues(activations.softmax(eq), [0.25, 0.25, 0.25, 0.25]);
    expectValues(activations.logSoftmax(eq), new Array(4).fill(-1.386), { atol: 1e-3 });
    eq.dispose();
  });

  it('swish / mish / gelu / gelu_new (approximate gelu) at [0, 1, 3, 9] and -1', () => {
    const x = tf.tensor1d([0, 1, 3, 9]);
    const m1 = tf.tensor1d([-1]);
    expectValues(activations.swish(x), [0, 0.731, 2.857, 8.998], { atol: 1e-3 });
    expectValues(activations.swish(m1), [-0.268], { atol: 1e-3 });
    expectValues(activations.mish(x), [0, 0.865, 2.987, 9], { atol: 1e-3 });
    expectValues(activations.mish(m1), [-0.303], { atol: 1e-3 });
    expectValues(activations.gelu(x), [0, 0.8413447141647339, 2.995950222015381, 9]);
    expectValues(activations.gelu(m1), [-0.15865525603294373]);
    // tfjs's 'gelu_new' is Keras's gelu(approximate=True).
    expectValues(
      activations.gelu(x, { approximate: true }),
      [0, 0.8411920070648193, 2.9963626861572266, 9],
    );
    expectValues(activations.gelu(m1, { approximate: true }), [-0.15880802273750305]);
    tf.dispose([x, m1]);
  });
});

describe('Keras layers/activations: ReLU, LeakyReLU, ELU, Softmax, Activation', () => {
  // relu_test.py ReLUTest.test_relu (run_layer_test with all three arguments)
  it('ReLUTest.test_relu: the layer harness with max_value, negative_slope, threshold', async () => {
    await runLayerTest({
      layer: () => layers.relu({ maxValue: 10, negativeSlope: 1, threshold: 0.5 }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedWeightShapes: [],
      trainingStep: false,
    });
  });

  // test_normal_relu_correctness, test_leaky_relu_correctness, test_threshold_relu_correctness
  it('ReLUTest correctness: normal, leaky, threshold', () => {
    const a = tf.tensor1d([-10, -5, 0, 5, 10]);
    expectValues(
      layers.relu({ maxValue: 10, negativeSlope: 0, threshold: 0 }).apply(a),
      [0, 0, 0, 5, 10],
    );
    expectValues(
      layers.relu({ maxValue: 10, negativeSlope: 0.5, threshold: 0 }).apply(a),
      [-5, -2.5, 0, 5, 10],
    );
    const b = tf.tensor1d([6, 7, 0, 5, 10]);
    expectValues(
      layers.relu({ maxValue: 8, negativeSlope: 0, threshold: 5 }).apply(b),
      [6, 7, 0, 0, 8],
    );
    tf.dispose([a, b]);
  });

  // test_invalid_usage, test_negative_slope_none_raises, test_threshold_none_raises
  it('ReLUTest.test_invalid_usage: negative max_value, negative/None slope and threshold', () => {
    expect(() => layers.relu({ maxValue: -10, negativeSlope: 1, threshold: 0.5 })).toThrow(
      /maxValue/,
    );
    expect(() => layers.relu({ maxValue: 10, negativeSlope: -10, threshold: 0.5 })).toThrow(
      /negativeSlope/,
    );
    expect(() => layers.relu({ maxValue: 10, negativeSlope: 1, threshold: -10 })).toThrow(
      /threshold/,
    );
    expect(() => layers.relu({ negativeSlope: null as unknown as number })).toThrow(ValueError);
    expect(() => layers.relu({ threshold: null as unknown as number })).toThrow(ValueError);
  });

  // test_get_config, test_get_config_default_params, test_from_config
  it('ReLUTest config: values, defaults, from_config', () => {
    const layer = layers.relu({ maxValue: 5, negativeSlope: 0.2, threshold: 1 });
    const config = layer.getConfig();
    expect(config['maxValue']).toBe(5);
    expect(config['negativeSlope']).toBe(0.2);
    expect(config['threshold']).toBe(1);
    const defaults = layers.relu().getConfig();
    expect(defaults['maxValue']).toBeNull();
    expect(defaults['negativeSlope']).toBe(0);
    expect(defaults['threshold']).toBe(0);
    const back = deserializeLayer(serializeLayer(layer)) as ReLU;
    expect([back.maxValue, back.negativeSlope, back.threshold]).toEqual([5, 0.2, 1]);
  });

  // test_compute_output_shape, test_default_relu_no_args, test_relu_none_max_value_is_unlimited,
  // test_relu_all_zeros_input, test_relu_multidimensional_input
  it('ReLUTest: output shapes and default behaviour', () => {
    const layer = layers.relu();
    expect(layer.computeOutputShape([2, 3])).toEqual([2, 3]);
    expect(layer.computeOutputShape([4, 5, 6])).toEqual([4, 5, 6]);
    const a = tf.tensor1d([-3, -1, 0, 1, 3]);
    expectValues(layer.apply(a), [0, 0, 0, 1, 3]);
    const big = tf.tensor1d([0, 100, 1000, 99999]);
    expectValues(layers.relu({ maxValue: null }).apply(big), [0, 100, 1000, 99999]);
    const z = tf.zeros([3, 4]);
    expectValues(layer.apply(z), new Array(12).fill(0));
    const m = tf.tensor2d([
      [-1, 2],
      [3, -4],
    ]);
    expectValues(layer.apply(m), [0, 2, 3, 0]);
    tf.dispose([a, big, z, m]);
  });

  // leaky_relu_test.py: run_layer_test, correctness (negative_slope 0.5), None raises
  it('LeakyReLUTest: negativeSlope (Keras 3) and alpha (tfjs) both set the slope', async () => {
    await runLayerTest({
      layer: () => layers.leakyReLU({ negativeSlope: 1 }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedWeightShapes: [],
      trainingStep: false,
    });
    const x = tf.tensor1d([-10, -5, 0, 5, 10]);
    expectValues(layers.leakyReLU({ negativeSlope: 0.5 }).apply(x), [-5, -2.5, 0, 5, 10]);
    expectValues(layers.leakyReLU({ alpha: 0.5 }).apply(x), [-5, -2.5, 0, 5, 10]);
    expect(() => layers.leakyReLU({ negativeSlope: null as unknown as number })).toThrow(
      ValueError,
    );
    expect(() => layers.leakyReLU({ negativeSlope: 0.5, alpha: 0.1 })).toThrow(ValueError);
    const back = deserializeLayer(serializeLayer(layers.leakyReLU({ negativeSlope: 0.25 })));
    expect((back as LeakyReLU).alpha).toBe(0.25);
    x.dispose();
  });

  // tfjs advanced_activation_test: LeakyReLU alpha default 0.3 and 0.1; ELU alpha 1
  it('tfjs LeakyReLU / ELU: default slopes and values', () => {
    const x = tf.tensor2d([
      [-1, -2],
      [0, 3],
    ]);
    expectValues(layers.leakyReLU().apply(x), [-0.3, -0.6, 0, 3]);
    expectValues(layers.leakyReLU({ alpha: 0.1 }).apply(x), [-0.1, -0.2, 0, 3]);
    expectValues(layers.elu().apply(x), [Math.exp(-1) - 1, Math.exp(-2) - 1, 0, 3]);
    x.dispose();
  });

  // tfjs advanced_activation_test 'ReLU: Finite maxValue'
  it('tfjs ReLU: no maxValue and maxValue 250', () => {
    const x = tf.tensor1d([-100, -200, 0, 300, 200, 200]);
    expectValues(layers.relu().apply(x), [0, 0, 0, 300, 200, 200]);
    expectValues(layers.relu({ maxValue: 250 }).apply(x), [0, 0, 0, 250, 200, 200]);
    x.dispose();
  });

  // elu_test.py: test_config, test_elu, test_correctness (alpha 1 and 0.7)
  it('ELUTest: harness, correctness for alpha 1 and 0.7, config round trip', async () => {
    await runLayerTest({
      layer: () => layers.elu(),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedWeightShapes: [],
      trainingStep: false,
    });
    const v = [-2, -0.5, 0, 0.3, 0.9];
    const x = tf.tensor1d(v);
    for (const alpha of [1, 0.7]) {
      expectValues(
        layers.elu({ alpha }).apply(x),
        v.map((t) => (t > 0 ? t : alpha * Math.expm1(t))),
      );
    }
    const back = deserializeLayer(serializeLayer(layers.elu({ alpha: 0.7 })));
    expect((back as ELU).alpha).toBe(0.7);
    x.dispose();
  });

  // softmax_test.py: test_softmax, test_softmax_correctness, test_softmax_correctness_with_axis
  it('SoftmaxTest: harness and [1, 2, 1] → [0.2119, 0.5761, 0.2119] on axis -1 and 1', async () => {
    await runLayerTest({
      layer: () => layers.softmax(),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedWeightShapes: [],
      trainingStep: false,
    });
    const x = tf.tensor2d([
      [1, 2, 1],
      [1, 2, 1],
    ]);
    const row = [0.21194157, 0.5761169, 0.21194157];
    expectValues(layers.softmax().apply(x), [row, row]);
    expectValues(layers.softmax({ axis: 1 }).apply(x), [row, row]);
    x.dispose();
  });

  // softmax_test.py uses axis=(1, 0); Keras 3's Softmax takes several axes.
  it('SoftmaxTest: several axes normalise the joint slice', async () => {
    await runLayerTest({
      layer: () => layers.softmax({ axis: [1, 2] }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 4],
      expectedWeightShapes: [],
      trainingStep: false,
    });
    expect(() => layers.softmax({ axis: [1, 1] })).toThrow(ValueError);
    expect(() => layers.softmax({ axis: [0, 1] })).toThrow(/batch/);
    const x = tf.ones([2, 3, 4]);
    expectValues(layers.softmax({ axis: [1, 2] }).apply(x), new Array(24).fill(1 / 12));
    const back = deserializeLayer(serializeLayer(layers.softmax({ axis: [1, 2] })));
    expect(back.getConfig()['axis']).toEqual([1, 2]);
    x.dispose();
  });

  // activation_test.py test_activation_basics ('relu' and the gelu function)
  it('ActivationTest.test_activation_basics: by name and by function', async () => {
    await runLayerTest({
      layer: () => layers.activation({ activation: 'relu' }),
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
      expectedWeightShapes: [],
      trainingStep: false,
    });
    await runLayerTest({
      layer: () => layers.activation({ activation: activations.gelu }),
      inputShape: [2, 2],
      expectedOutputShape: [2, 2],
      expectedWeightShapes: [],
      trainingStep: false,
    });
    expect(() => layers.activation({ activation: 'nope' })).toThrow(/Unknown activation/);
  });

  // tfjs core_test 'Activation Layer: Tensor' (linear, relu, sigmoid, softmax, round trip)
  it('tfjs Activation Layer: linear, relu, sigmoid, softmax and its config', () => {
    const x = tf.tensor2d([[0, 1, -1]]);
    expectValues(layers.activation({ activation: 'linear' }).apply(x), [0, 1, -1]);
    expectValues(layers.activation({ activation: 'relu' }).apply(x), [0, 1, 0]);
    expectValues(layers.activation({ activation: 'sigmoid' }).apply(x), [
      0.5,
      sigmoid(1),
      sigmoid(-1),
    ]);
    const e = [1, Math.E, 1 / Math.E];
    const s = e[0]! + e[1]! + e[2]!;
    expectValues(
      layers.activation({ activation: 'softmax' }).apply(x),
      e.map((v) => v / s),
    );
    const back = deserializeLayer(serializeLayer(layers.activation({ activation: 'relu' })));
    expect(back.getConfig()['activation']).toBe('relu');
    x.dispose();
  });
});
