import { checkGradients, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { activationChecks } from '../testing/activation-checks.js';
import { activations } from './index.js';
import {
  hardShrink,
  hardTanh,
  softShrink,
  sparsemax,
  sparseSigmoid,
  tanhShrink,
  threshold,
} from './shrink.js';

const { expectMatches, expectGradientOk, expectNoLeak } = activationChecks({
  points: [-30, -4, -1.5, -1, -0.5, -0.25, 0, 0.3, 0.5, 1, 2.5, 30],
  // Away from the kinks at ±1, ±0.5 and the threshold 0.2.
  smoothPoints: [-3.6, -2.2, -0.8, -0.35, 0.1, 0.7, 1.7, 3.4],
});

describe('clipping and shrinking activations (Keras 3)', () => {
  const cases: Array<[string, (x: tf.Tensor) => tf.Tensor, (x: number) => number]> = [
    ['hard_tanh', hardTanh, (x) => Math.min(1, Math.max(-1, x))],
    ['hard_shrink', (x) => hardShrink(x), (x) => (Math.abs(x) > 0.5 ? x : 0)],
    [
      'hard_shrink threshold=1',
      (x) => hardShrink(x, { threshold: 1 }),
      (x) => (Math.abs(x) > 1 ? x : 0),
    ],
    ['soft_shrink', (x) => softShrink(x), (x) => (x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0)],
    ['tanh_shrink', tanhShrink, (x) => x - Math.tanh(x)],
    [
      'threshold 0.2 → -7',
      (x) => threshold(x, { threshold: 0.2, defaultValue: -7 }),
      (x) => (x > 0.2 ? x : -7),
    ],
    ['sparse_sigmoid', sparseSigmoid, (x) => (x <= -1 ? 0 : x >= 1 ? 1 : (x + 1) / 2)],
  ];
  for (const [name, fn, reference] of cases) {
    it(`${name}: float64 reference, gradient check, no leak`, () => {
      expectMatches(fn, reference);
      expectGradientOk(fn);
      expectNoLeak(fn);
    });
  }

  it('threshold needs both of its arguments; shrink thresholds are non-negative', () => {
    const x = tf.ones([2]);
    expect(() => threshold(x)).toThrow('threshold: threshold must be a finite number');
    expect(() => threshold(x, { threshold: 0 } as never)).toThrow(/defaultValue/);
    expect(() => hardShrink(x, { threshold: -1 })).toThrow(ValueError);
    x.dispose();
  });

  it('are registered under their Keras names and serialize back', () => {
    for (const name of [
      'hard_tanh',
      'hard_shrink',
      'soft_shrink',
      'tanh_shrink',
      'threshold',
      'sparse_sigmoid',
      'sparsemax',
    ]) {
      const fn = activations.get(name);
      expect(activations.serialize(fn)).toBe(name);
    }
  });
});

describe('sparsemax', () => {
  /** The projection onto the simplex by its definition, in float64. */
  function reference(row: number[]): number[] {
    const sorted = [...row].sort((a, b) => b - a);
    let sum = 0;
    let tau = 0;
    sorted.forEach((z, i) => {
      sum += z;
      if (1 + (i + 1) * z > sum) tau = (sum - 1) / (i + 1);
    });
    return row.map((z) => Math.max(z - tau, 0));
  }

  it('matches the float64 projection; rows sum to 1 with exact zeros', () => {
    const rows = [
      [0.1, 1.1, 0.3, -2],
      [2, 2.05, 0.1, 1.9],
      [0, 0, 0, 0],
      [5, -5, 0.5, 0.4],
    ];
    const x = tf.tensor2d(rows);
    const y = sparsemax(x);
    const got = Array.from(y.dataSync());
    rows.flatMap(reference).forEach((want, i) => {
      expect(got[i]).toBeCloseTo(want, 6);
    });
    for (let r = 0; r < 4; r++) {
      expect(got.slice(r * 4, r * 4 + 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
    expect(got.filter((v) => v === 0).length).toBeGreaterThan(3);
    tf.dispose([x, y]);
  });

  it('along another axis equals the transposed computation', () => {
    const x = tf.tensor2d([
      [0.3, 1.2],
      [0.9, -0.4],
      [1.1, 0.2],
    ]);
    const a = sparsemax(x, { axis: 0 });
    const b = tf.transpose(sparsemax(tf.transpose(x)));
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(() => sparsemax(x, { axis: 2 })).toThrow(ValueError);
    tf.dispose([x, a, b]);
  });

  it('its gradient matches finite differences (away from support changes)', () => {
    const x = tf.tensor2d([
      [0.1, 1.1, 0.3, -2],
      [0.8, 0.7, 0.2, 0.75],
    ]);
    const w = tf.tensor2d([
      [1, -2, 0.5, 3],
      [0.3, 1, -1, 2],
    ]);
    const report = checkGradients((t) => tf.sum(tf.mul(sparsemax(t), w)), [x]);
    expect(report.worst).toBeUndefined();
    tf.dispose([x, w]);
  });

  it('leaves no tensor behind, in a gradient too', () => {
    const x = tf.tensor2d([[0.1, 1.1, 0.3]]);
    const before = tf.memory().numTensors;
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.square(sparsemax(t))))(x);
    g.dispose();
    sparsemax(x).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
