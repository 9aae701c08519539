import { RngStream, type Tensor, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { RandomNormal, RandomUniform, TruncatedNormal } from './random.js';

/** Sample mean, variance (float64) and extremes of a tensor's values. */
function stats(t: Tensor): { mean: number; variance: number; min: number; max: number } {
  const v = t.dataSync();
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const x of v) {
    sum += x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  const mean = sum / v.length;
  let sq = 0;
  for (const x of v) sq += (x - mean) ** 2;
  return { mean, variance: sq / (v.length - 1), min, max };
}

function valuesOf(t: Tensor): number[] {
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
}

const N_SHAPE = [200, 300]; // 60,000 draws: the standard error of the mean is σ/245

/** Variance of a unit normal truncated to (-2, 2): 1 - 4φ(2)/(Φ(2) - Φ(-2)). */
const PHI2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
const MASS2 = 0.9544997361036416; // Φ(2) - Φ(-2) = erf(√2)
const TRUNCATED_VARIANCE = 1 - (4 * PHI2) / MASS2;

describe('RandomNormal', () => {
  it('has the requested shape, mean and standard deviation', () => {
    const t = new RandomNormal({ mean: 1.5, stddev: 0.3 }).generate(
      N_SHAPE,
      RngStream.fromSeed(11),
    );
    expect(t.shape).toEqual(N_SHAPE);
    const s = stats(t);
    expect(Math.abs(s.mean - 1.5)).toBeLessThan((5 * 0.3) / Math.sqrt(60000));
    expect(Math.abs(Math.sqrt(s.variance) / 0.3 - 1)).toBeLessThan(0.02);
    t.dispose();
  });

  it('uses Keras defaults mean 0, stddev 0.05', () => {
    const init = new RandomNormal();
    expect(init.getConfig()).toEqual({ mean: 0, stddev: 0.05, seed: null });
  });

  it('is reproducible: same stream state → same values, different stream → different values', () => {
    const init = new RandomNormal();
    const a = valuesOf(init.generate([50], RngStream.fromSeed(5, 'init')));
    const b = valuesOf(init.generate([50], RngStream.fromSeed(5, 'init')));
    const c = valuesOf(init.generate([50], RngStream.fromSeed(5, 'other')));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('draws only from the stream it is given, advancing it', () => {
    const stream = RngStream.fromSeed(9);
    const init = new RandomNormal();
    const first = valuesOf(init.generate([20], stream));
    const second = valuesOf(init.generate([20], stream));
    expect(second).not.toEqual(first);
  });

  it('with its own seed gives the same values whatever stream it is passed', () => {
    const init = new RandomNormal({ seed: 42 });
    const a = valuesOf(init.generate([30], RngStream.fromSeed(1)));
    const b = valuesOf(init.generate([30], RngStream.fromSeed(2)));
    expect(a).toEqual(b);
    expect(
      valuesOf(new RandomNormal({ seed: 43 }).generate([30], RngStream.fromSeed(1))),
    ).not.toEqual(a);
  });

  it('round-trips its config and regenerates the same values', () => {
    const init = new RandomNormal({ mean: -1, stddev: 2, seed: 7 });
    const copy = new RandomNormal(JSON.parse(JSON.stringify(init.getConfig())));
    expect(copy.getConfig()).toEqual({ mean: -1, stddev: 2, seed: 7 });
    expect(valuesOf(copy.generate([10], RngStream.fromSeed(3)))).toEqual(
      valuesOf(init.generate([10], RngStream.fromSeed(3))),
    );
  });

  it('rejects a negative stddev, a bad seed and a missing stream', () => {
    expect(() => new RandomNormal({ stddev: -1 })).toThrow(ValueError);
    expect(() => new RandomNormal({ stddev: -1 })).toThrow(
      'RandomNormal: stddev must be a non-negative finite number. Received: stddev=-1',
    );
    expect(() => new RandomNormal({ seed: 1.5 })).toThrow(/seed must be an integer/);
    expect(() => new RandomNormal().generate([2], undefined as never)).toThrow(
      /needs an RngStream/,
    );
  });
});

describe('RandomUniform', () => {
  it('stays in [minval, maxval) with the uniform mean and variance', () => {
    const t = new RandomUniform({ minval: -2, maxval: 4 }).generate(
      N_SHAPE,
      RngStream.fromSeed(12),
    );
    const s = stats(t);
    expect(s.min).toBeGreaterThanOrEqual(-2);
    expect(s.max).toBeLessThan(4);
    expect(Math.abs(s.mean - 1)).toBeLessThan((5 * Math.sqrt(3)) / Math.sqrt(60000));
    expect(Math.abs(s.variance / 3 - 1)).toBeLessThan(0.02); // (b - a)² / 12 = 3
    t.dispose();
  });

  it('uses Keras defaults ±0.05 and round-trips its config', () => {
    const init = new RandomUniform();
    expect(init.getConfig()).toEqual({ minval: -0.05, maxval: 0.05, seed: null });
    expect(new RandomUniform({ minval: 1, maxval: 2, seed: 3 }).getConfig()).toEqual({
      minval: 1,
      maxval: 2,
      seed: 3,
    });
  });

  it('rejects minval >= maxval', () => {
    expect(() => new RandomUniform({ minval: 1, maxval: 1 })).toThrow(
      'RandomUniform: minval must be less than maxval. Received: minval=1, maxval=1',
    );
    expect(() => new RandomUniform({ minval: 2, maxval: 1 })).toThrow(ValueError);
    expect(() => new RandomUniform({ maxval: Number.POSITIVE_INFINITY })).toThrow(ValueError);
  });
});

describe('TruncatedNormal', () => {
  it('never exceeds 2 stddev and has the truncated-normal variance', () => {
    const t = new TruncatedNormal({ mean: 0.5, stddev: 0.1 }).generate(
      N_SHAPE,
      RngStream.fromSeed(13),
    );
    const s = stats(t);
    // Float32 rounding of mean + stddev·z may move a value by one ulp.
    expect(s.min).toBeGreaterThanOrEqual(0.5 - 0.2 - 1e-6);
    expect(s.max).toBeLessThanOrEqual(0.5 + 0.2 + 1e-6);
    expect(Math.abs(s.mean - 0.5)).toBeLessThan((5 * 0.1) / Math.sqrt(60000));
    expect(Math.abs(s.variance / (0.01 * TRUNCATED_VARIANCE) - 1)).toBeLessThan(0.03);
    t.dispose();
  });

  it('round-trips its config and rejects a negative stddev', () => {
    expect(new TruncatedNormal({ stddev: 1, seed: 0 }).getConfig()).toEqual({
      mean: 0,
      stddev: 1,
      seed: 0,
    });
    expect(() => new TruncatedNormal({ stddev: -0.1 })).toThrow(
      /stddev must be a non-negative finite number/,
    );
  });
});

describe('random initializers', () => {
  it('do not leak tensors', () => {
    const stream = RngStream.fromSeed(4);
    const before = tf.memory().numTensors;
    for (const init of [
      new RandomNormal(),
      new RandomUniform(),
      new TruncatedNormal({ seed: 1 }),
    ]) {
      init.generate([8, 8], stream).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
