/**
 * Regularization layers, translated from the peers' suites: Keras 3
 * `keras/src/layers/regularization/{dropout,gaussian_noise,gaussian_dropout,alpha_dropout,
 * activity_regularization}_test.py`, and tfjs-layers `src/layers/noise_test.ts` and the
 * Dropout part of `src/layers/core_test.ts`.
 */
import { tf, ValueError } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  clearSession,
  type Dropout,
  deserializeLayer,
  layers,
  sequential,
  serializeLayer,
} from '../../src/index.js';
import { expectValues, values } from './helpers.js';

beforeEach(() => {
  clearSession();
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((v) => (v - m) ** 2)));
};

/** Entries [i, j, :] of a [a, b, c] array, as rows of c. */
function slab(data: number[], shape: number[], j: number): number[][] {
  const [a, b, c] = shape as [number, number, number];
  return Array.from({ length: a }, (_, i) => data.slice(i * b * c + j * c, i * b * c + j * c + c));
}

describe('Keras dropout_test.py', () => {
  // DropoutTest.test_dropout_basics (shape, no weights) and the config round trip
  it('test_dropout_basics: same shape, no weights, config round-trips', () => {
    const layer = layers.dropout({ rate: 0.2, seed: 3 });
    const x = tf.ones([2, 3]);
    const y = layer.apply(x, { training: true });
    expect(y.shape).toEqual([2, 3]);
    expect(layer.weights).toHaveLength(0);
    y.dispose();
    x.dispose();
    const back = deserializeLayer(serializeLayer(layer));
    expect(back.getConfig()).toEqual(layer.getConfig());
  });

  // test_dropout_rescaling
  it('test_dropout_rescaling: mean ≈ 1, max 2 for rate 0.5', () => {
    const x = tf.ones([20, 500]);
    const out = values(layers.dropout({ rate: 0.5, seed: 1337 }).apply(x, { training: true }));
    expect(Math.abs(mean(out) - 1)).toBeLessThan(0.02);
    expect(Math.max(...out)).toBeCloseTo(2, 6);
    x.dispose();
  });

  // test_dropout_partial_noise_shape_dynamic / _static
  it('test_dropout_partial_noise_shape: [null, 1, null] and [20, 1, 10] share the mask on axis 1', () => {
    const x = tf.ones([20, 5, 10]);
    for (const noiseShape of [
      [null, 1, null],
      [20, 1, 10],
    ]) {
      const out = values(layers.dropout({ rate: 0.5, noiseShape }).apply(x, { training: true }));
      expect(slab(out, [20, 5, 10], 0)).toEqual(slab(out, [20, 5, 10], 1));
    }
    x.dispose();
  });

  // test_dropout_negative_rate, test_dropout_rate_greater_than_one
  it('test_dropout_negative_rate / rate_greater_than_one: rate in [0, 1)', () => {
    expect(() => layers.dropout({ rate: -0.5 })).toThrow(ValueError);
    expect(() => layers.dropout({ rate: -0.5 })).toThrow(/rate must be a number in \[0, 1\)/);
    expect(() => layers.dropout({ rate: 1.5 })).toThrow(/Received: rate=1.5/);
    expect(() => layers.dropout({ rate: 1 })).toThrow(ValueError);
  });

  // test_validate_noise_shape_*
  it('test_validate_noise_shape: null, integers, nulls, list; bad values raise', () => {
    expect((layers.dropout({ rate: 0.5, noiseShape: null }) as Dropout).noiseShape).toBeNull();
    expect(layers.dropout({ rate: 0.5, noiseShape: [20, 1, 10] }).noiseShape).toEqual([20, 1, 10]);
    expect(layers.dropout({ rate: 0.5, noiseShape: [null, 1, null] }).noiseShape).toEqual([
      null,
      1,
      null,
    ]);
    for (const bad of ['Invalid', [20, 1.5, 10], [20, -1, 10], [20, 0, 10]]) {
      expect(() => layers.dropout({ rate: 0.5, noiseShape: bad as unknown as number[] })).toThrow(
        /noiseShape must be an array of positive integers or nulls/,
      );
    }
  });
});

describe('Keras gaussian_noise / gaussian_dropout / alpha_dropout / activity_regularization tests', () => {
  // GaussianNoiseTest.test_gaussian_noise_correctness
  it('test_gaussian_noise_correctness: std of ones + noise ≈ 0.3', () => {
    const x = tf.ones([20, 500]);
    const out = values(
      layers.gaussianNoise({ stddev: 0.3, seed: 1337 }).apply(x, { training: true }),
    );
    expect(Math.abs(std(out) - 0.3)).toBeLessThan(0.02);
    x.dispose();
  });

  // GaussianDropoutTest.test_gaussian_dropout_correctness
  it('test_gaussian_dropout_correctness: std ≈ sqrt(rate / (1 − rate))', () => {
    const x = tf.ones([20, 500]);
    const out = values(
      layers.gaussianDropout({ rate: 0.3, seed: 1337 }).apply(x, { training: true }),
    );
    expect(Math.abs(std(out) - Math.sqrt(0.3 / 0.7))).toBeLessThan(0.02);
    x.dispose();
  });

  // AlphaDropoutTest.test_alpha_dropout_correctness
  it('test_alpha_dropout_correctness: std ≈ 1', () => {
    const x = tf.ones([20, 500]);
    const out = values(layers.alphaDropout({ rate: 0.3, seed: 1337 }).apply(x, { training: true }));
    expect(Math.abs(std(out) - 1)).toBeLessThan(0.1);
    x.dispose();
  });

  // AlphaDropoutTest.test_alpha_dropout_partial_noise_shape_dynamic / _static
  it('test_alpha_dropout_partial_noise_shape: the mask is shared along axis 1', () => {
    const x = tf.ones([20, 5, 10]);
    for (const noiseShape of [
      [null, 1, null],
      [20, 1, 10],
    ]) {
      const layer = layers.alphaDropout({ rate: 0.5, noiseShape });
      const out = values(layer.apply(x, { training: true }));
      expect(slab(out, [20, 5, 10], 0)).toEqual(slab(out, [20, 5, 10], 1));
      const back = deserializeLayer(serializeLayer(layer));
      expect(back.getConfig()['noiseShape']).toEqual(noiseShape);
    }
    expect(() => layers.gaussianDropout({ rate: 0.5, noiseShape: [null, 1] })).toThrow(
      /noiseShape is not an option/,
    );
    x.dispose();
  });

  // test_alpha_dropout_negative_rate / rate_greater_than_one; the other layers' arguments
  it('rates outside [0, 1) and negative stddev raise', () => {
    for (const make of [layers.alphaDropout, layers.gaussianDropout]) {
      expect(() => make({ rate: -0.5 })).toThrow(ValueError);
      expect(() => make({ rate: 1.5 })).toThrow(/rate/);
    }
    expect(() => layers.gaussianNoise({ stddev: -1 })).toThrow(/stddev/);
  });

  // ActivityRegularizationTest.test_correctness: l1 0.2, l2 0.3 on the value 2 → 4·0.3 + 2·0.2
  it('ActivityRegularizationTest.test_correctness: the penalty joins the loss', () => {
    const m = sequential([layers.activityRegularization({ l1: 0.2, l2: 0.3, inputShape: [1] })]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.tensor2d([[2]]);
    expect(m.evaluate(x, x)['loss']).toBeCloseTo(4 * 0.3 + 2 * 0.2, 5);
    x.dispose();
  });

  it('ActivityRegularizationTest.test_activity_regularization_basics: identity, config', () => {
    const layer = layers.activityRegularization({ l1: 0.1, l2: 0.2 });
    const x = tf.tensor2d([
      [1, -2, 3],
      [0, 4, -1],
    ]);
    expectValues(layer.apply(x), [1, -2, 3, 0, 4, -1]);
    const back = deserializeLayer(serializeLayer(layer));
    expect(back.getConfig()).toEqual(layer.getConfig());
    expect(() => layers.activityRegularization({ l1: -1 })).toThrow(ValueError);
    x.dispose();
  });
});

describe('tfjs noise_test.ts and core_test.ts (Dropout)', () => {
  for (const [name, make] of [
    ['GaussianNoise', () => layers.gaussianNoise({ stddev: 1 })],
    ['GaussianDropout', () => layers.gaussianDropout({ rate: 0.5 })],
    ['AlphaDropout', () => layers.alphaDropout({ rate: 0.5 })],
  ] as const) {
    it(`${name}: Predict is the identity; Train changes values, keeps shape and dtype`, () => {
      const x = tf.ones([2, 2]);
      const layer = make();
      expectValues(layer.apply(x, { training: false }), [1, 1, 1, 1]);
      const y = layer.apply(x, { training: true });
      expect(y.shape).toEqual([2, 2]);
      expect(y.dtype).toBe('float32');
      expect(values(y).some((v) => v !== 1)).toBe(true);
      x.dispose();
    });
  }

  // 'Dropout Layer: tensor' over training × rate × noiseShape
  for (const training of [false, true]) {
    for (const rate of [0, 0.5]) {
      for (const noiseShape of [null, [2, 3, 4], [2, 3, 1]]) {
        it(`Dropout: training=${training}, rate=${rate}, noiseShape=${JSON.stringify(noiseShape)}`, () => {
          const x = tf.ones([2, 3, 4]);
          const y = layers.dropout({ rate, noiseShape, seed: 0 }).apply(x, { training });
          expect(y.shape).toEqual([2, 3, 4]);
          const out = values(y);
          const kept = out.filter((v) => v !== 0);
          for (const v of kept) expect(v).toBeCloseTo(training ? 1 / (1 - rate) : 1, 6);
          if (rate === 0 || !training) expect(kept).toHaveLength(24);
          else expect(kept.length).toBeLessThan(24);
          if (noiseShape?.[2] === 1) {
            for (let r = 0; r < 6; r++) expect(new Set(out.slice(r * 4, r * 4 + 4)).size).toBe(1);
          }
          x.dispose();
        });
      }
    }
  }

  // 'tensor with seed': tfjs's values come from its own generator; Tessera's seed gives the
  // same mask every time (README: seeded masks are Tessera's own).
  it('Dropout with a seed: the same mask on every fresh layer', () => {
    const x = tf.ones([2, 3, 4]);
    const a = values(layers.dropout({ rate: 0.5, seed: 23 }).apply(x, { training: true }));
    const b = values(layers.dropout({ rate: 0.5, seed: 23 }).apply(x, { training: true }));
    expect(a).toEqual(b);
    expect(a.every((v) => v === 0 || v === 2)).toBe(true);
    x.dispose();
  });
});
