import { type Tensor, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { activationChecks } from '../testing/activation-checks.js';
import { elu, leakyRelu, relu, relu6, selu } from './relu-family.js';

/** Points with negatives, zero and large magnitudes. */
const POINTS = [-50, -10, -3.5, -1, -0.25, 0, 0.3, 1, 2.5, 5.9, 6, 7.25, 10, 50];
/** Points away from every kink (0, 6, thresholds used below). */
const SMOOTH_POINTS = [-3.7, -1.2, -0.4, 0.6, 1.3, 2.9, 7.1];

const { expectMatches, expectGradientOk, expectNoLeak } = activationChecks({
  points: POINTS,
  smoothPoints: SMOOTH_POINTS,
});

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

describe('relu', () => {
  it('is max(x, 0)', () => {
    expectMatches(relu, (x) => Math.max(x, 0));
  });

  it('follows the Keras formula with negativeSlope, maxValue and threshold', () => {
    const keras =
      (o: { negativeSlope?: number; maxValue?: number; threshold?: number }) =>
      (x: number): number => {
        const t = o.threshold ?? 0;
        let positive = x > t ? x : 0;
        if (o.maxValue !== undefined) positive = Math.min(Math.max(positive, 0), o.maxValue);
        return positive - (o.negativeSlope ?? 0) * Math.max(t - x, 0);
      };
    const cases = [
      { maxValue: 6 },
      { negativeSlope: 0.1 },
      { threshold: 1.5 },
      { negativeSlope: 0.3, maxValue: 4, threshold: 0.5 },
      { negativeSlope: 0.2, threshold: -1 },
    ];
    for (const options of cases) {
      expectMatches((x) => relu(x, options), keras(options));
    }
    // One point by hand: slope 0.3 below threshold 0.5 at x = -1.5 → 0.3 * (-1.5 - 0.5) = -0.6.
    const y = relu(tf.tensor1d([-1.5, 2, 9]), { negativeSlope: 0.3, maxValue: 4, threshold: 0.5 });
    expect(Array.from(y.dataSync())).toEqual([expect.closeTo(-0.6, 6), 2, 4]);
    y.dispose();
  });

  it('has finite-difference gradients away from the kinks', () => {
    expectGradientOk(relu);
    expectGradientOk(
      (x) => relu(x, { negativeSlope: 0.3, maxValue: 4, threshold: 0.5 }),
      [-3.7, -1.2, -0.4, 0.6, 1.3, 2.9, 4.6],
    );
  });

  it('rejects bad options', () => {
    const x = tf.tensor1d([1]);
    expect(() => relu(x, { maxValue: -1 })).toThrow(ValueError);
    expect(() => relu(x, { maxValue: -1 })).toThrow(/maxValue must be >= 0. Received: maxValue=-1/);
    expect(() => relu(x, { negativeSlope: Number.NaN })).toThrow(/negativeSlope must be a finite/);
    x.dispose();
  });

  it('does not leak tensors', () => {
    expectNoLeak(relu);
    expectNoLeak((x) => relu(x, { negativeSlope: 0.3, maxValue: 4, threshold: 0.5 }));
  });
});

describe('leaky_relu', () => {
  it('uses slope 0.2 by default (Keras 3)', () => {
    expectMatches(leakyRelu, (x) => (x >= 0 ? x : 0.2 * x));
  });

  it('takes negativeSlope', () => {
    expectMatches(
      (x) => leakyRelu(x, { negativeSlope: 0.01 }),
      (x) => (x >= 0 ? x : 0.01 * x),
    );
  });

  it('has finite-difference gradients', () => {
    expectGradientOk(leakyRelu);
  });

  it('rejects a non-finite slope', () => {
    const x = tf.tensor1d([1]);
    expect(() => leakyRelu(x, { negativeSlope: Number.POSITIVE_INFINITY })).toThrow(ValueError);
    x.dispose();
  });

  it('does not leak tensors', () => {
    expectNoLeak(leakyRelu);
  });
});

describe('relu6', () => {
  it('is min(max(x, 0), 6)', () => {
    expectMatches(relu6, (x) => Math.min(Math.max(x, 0), 6));
  });

  it('has finite-difference gradients', () => {
    expectGradientOk(relu6);
  });

  it('does not leak tensors', () => {
    expectNoLeak(relu6);
  });
});

describe('elu', () => {
  it('is x for x > 0 and exp(x) - 1 otherwise', () => {
    expectMatches(elu, (x) => (x > 0 ? x : Math.expm1(x)));
  });

  it('scales the negative part by alpha', () => {
    expectMatches(
      (x) => elu(x, { alpha: 0.5 }),
      (x) => (x > 0 ? x : 0.5 * Math.expm1(x)),
    );
  });

  it('has finite-difference gradients, also with alpha != 1', () => {
    expectGradientOk(elu);
    expectGradientOk((x) => elu(x, { alpha: 2.5 }));
  });

  it('keeps the gradient finite for large positive inputs when alpha != 1', () => {
    const x = tf.tensor1d([100, -100]);
    const [g] = tf.grads((t: Tensor) => tf.sum(elu(t, { alpha: 2 })))([x]);
    expect(Array.from(g!.dataSync())).toEqual([1, expect.closeTo(0, 10)]);
    g!.dispose();
    x.dispose();
  });

  it('rejects a non-number alpha', () => {
    const x = tf.tensor1d([1]);
    expect(() => elu(x, { alpha: '1' as unknown as number })).toThrow(/alpha must be a finite/);
    x.dispose();
  });

  it('does not leak tensors', () => {
    expectNoLeak(elu);
    expectNoLeak((x) => elu(x, { alpha: 0.5 }));
  });
});

describe('selu', () => {
  it('is scale * elu(x, alpha) with the self-normalising constants', () => {
    expectMatches(selu, (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)));
  });

  it('has finite-difference gradients', () => {
    expectGradientOk(selu);
  });

  it('does not leak tensors', () => {
    expectNoLeak(selu);
  });
});
