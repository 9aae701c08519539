import { type Tensor, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { activationChecks } from '../testing/activation-checks.js';
import {
  exponential,
  gelu,
  hardSigmoid,
  linear,
  mish,
  sigmoid,
  softplus,
  softsign,
  swish,
  tanh,
} from './smooth.js';

/** Points with negatives, zero and large magnitudes. */
const POINTS = [-50, -10, -4, -3, -1.5, -0.25, 0, 0.3, 1, 2.5, 3, 4, 10, 50];
/** Points away from hard_sigmoid's kinks at ±3. */
const SMOOTH_POINTS = [-3.7, -1.2, -0.4, 0.6, 1.3, 2.9, 4.2];

/**
 * erf in float64, independent of the code under test:
 * erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)), a series of positive terms
 * (no cancellation); beyond |x| = 6, erf is ±1 to double precision.
 */
function erf(x: number): number {
  if (Math.abs(x) > 6) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 0; Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= (2 * x * x) / (2 * n + 3);
    sum += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}

const logistic = (x: number): number => 1 / (1 + Math.exp(-x));
const softplus64 = (x: number): number =>
  x > 30 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));

const { expectMatches, expectGradientOk, expectNoLeak } = activationChecks({
  points: POINTS,
  smoothPoints: SMOOTH_POINTS,
});

describe('the test erf reference', () => {
  it('matches tabulated values', () => {
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 14);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 14);
    expect(erf(2)).toBeCloseTo(0.9953222650189527, 14);
    expect(erf(-3)).toBeCloseTo(-0.9999779095030014, 14);
  });
});

/** [name, function, float64 reference]. */
const CASES: Array<[string, (x: Tensor) => Tensor, (x: number) => number]> = [
  ['sigmoid', sigmoid, logistic],
  ['tanh', tanh, Math.tanh],
  ['softplus', softplus, softplus64],
  ['softsign', softsign, (x) => x / (Math.abs(x) + 1)],
  ['hard_sigmoid', hardSigmoid, (x) => Math.min(Math.max(x + 3, 0), 6) / 6],
  ['exponential', exponential, Math.exp],
  ['linear', linear, (x) => x],
  ['swish', swish, (x) => x * logistic(x)],
  ['mish', mish, (x) => x * Math.tanh(softplus64(x))],
  ['gelu', gelu, (x) => 0.5 * x * (1 + erf(x / Math.SQRT2))],
  [
    'gelu (approximate)',
    (x) => gelu(x, { approximate: true }),
    (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
  ],
];

describe.each(CASES)('%s', (_name, fn, reference) => {
  it('matches the float64 formula at negatives, zero and large magnitudes', () => {
    expectMatches(fn, reference);
  });

  it('has finite-difference gradients', () => {
    expectGradientOk(fn);
  });

  it('does not leak tensors', () => {
    expectNoLeak(fn);
  });
});

describe('hard_sigmoid', () => {
  it('uses the Keras 3 slope 1/6: 0 at -3, 0.5 at 0, 1 at 3', () => {
    const y = hardSigmoid(tf.tensor1d([-3, -1.5, 0, 1.5, 3]));
    expect(Array.from(y.dataSync())).toEqual([0, 0.25, 0.5, 0.75, 1]);
    y.dispose();
  });
});

describe('gelu', () => {
  it('differs between the exact and the tanh form by a small amount', () => {
    const x = tf.tensor1d([-1.5, 1.5]);
    const exact = gelu(x);
    const approx = gelu(x, { approximate: true });
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(exact, approx))).dataSync()[0]!);
    expect(diff).toBeGreaterThan(1e-5);
    expect(diff).toBeLessThan(1e-3);
    tf.dispose([x, exact, approx]);
  });

  it('rejects a non-boolean approximate', () => {
    const x = tf.tensor1d([1]);
    expect(() => gelu(x, { approximate: 'yes' as unknown as boolean })).toThrow(ValueError);
    x.dispose();
  });
});

describe('linear', () => {
  it('returns a tensor that can be disposed without disposing its input', () => {
    const x = tf.tensor1d([1, -2]);
    linear(x).dispose();
    expect(x.isDisposed).toBe(false);
    expect(Array.from(x.dataSync())).toEqual([1, -2]);
    x.dispose();
  });
});
