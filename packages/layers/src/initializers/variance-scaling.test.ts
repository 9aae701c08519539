import { RngStream, type Tensor, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import {
  computeFans,
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  VarianceScaling,
} from './variance-scaling.js';

function moments(t: Tensor): { mean: number; variance: number; maxAbs: number } {
  const v = t.dataSync();
  let sum = 0;
  let maxAbs = 0;
  for (const x of v) {
    sum += x;
    maxAbs = Math.max(maxAbs, Math.abs(x));
  }
  const mean = sum / v.length;
  let sq = 0;
  for (const x of v) sq += (x - mean) ** 2;
  return { mean, variance: sq / (v.length - 1), maxAbs };
}

describe('computeFans', () => {
  it('follows Keras for scalars, vectors, matrices and conv kernels', () => {
    expect(computeFans([])).toEqual({ fanIn: 1, fanOut: 1 });
    expect(computeFans([7])).toEqual({ fanIn: 7, fanOut: 7 });
    expect(computeFans([784, 128])).toEqual({ fanIn: 784, fanOut: 128 });
    // [kh, kw, in, out]: receptive field 3·3 = 9.
    expect(computeFans([3, 3, 16, 32])).toEqual({ fanIn: 144, fanOut: 288 });
    expect(computeFans([5, 4, 2])).toEqual({ fanIn: 20, fanOut: 10 });
  });
});

/** [name, class, Keras scale, fan mode, uniform?] — the presets' definitions, restated for the test. */
const PRESETS = [
  ['GlorotUniform', GlorotUniform, 1, 'fan_avg', true],
  ['GlorotNormal', GlorotNormal, 1, 'fan_avg', false],
  ['HeUniform', HeUniform, 2, 'fan_in', true],
  ['HeNormal', HeNormal, 2, 'fan_in', false],
  ['LecunUniform', LecunUniform, 1, 'fan_in', true],
  ['LecunNormal', LecunNormal, 1, 'fan_in', false],
] as const;

describe.each(PRESETS)('%s', (name, Preset, scale, mode, uniform) => {
  for (const shape of [
    [300, 200],
    [3, 3, 40, 60],
  ]) {
    it(`draws with variance ${scale}/${mode} for shape [${shape}]`, () => {
      const { fanIn, fanOut } = computeFans(shape);
      const fan = mode === 'fan_in' ? fanIn : (fanIn + fanOut) / 2;
      const variance = scale / fan;
      const t = new Preset().generate(shape, RngStream.fromSeed(21));
      expect(t.shape).toEqual(shape);
      const m = moments(t);
      expect(Math.abs(m.mean)).toBeLessThan(5 * Math.sqrt(variance / t.size));
      expect(Math.abs(m.variance / variance - 1)).toBeLessThan(0.03);
      // Uniform draws stay within ±√(3·variance); truncated normals within 2 (corrected) σ.
      const bound = uniform
        ? Math.sqrt(3 * variance)
        : (2 * Math.sqrt(variance)) / 0.87962566103423978;
      expect(m.maxAbs).toBeLessThanOrEqual(bound * (1 + 1e-6));
      expect(m.maxAbs).toBeGreaterThan(bound * 0.95);
      t.dispose();
    });
  }

  it('has config { seed } and is reproducible with a seed', () => {
    const init = new Preset({ seed: 5 });
    expect(init.className).toBe(name);
    expect(init.getConfig()).toEqual({ seed: 5 });
    expect(new Preset().getConfig()).toEqual({ seed: null });
    const a = init.generate([4, 6], RngStream.fromSeed(1));
    const b = new Preset(init.getConfig()).generate([4, 6], RngStream.fromSeed(2));
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b]);
  });

  it('names itself in errors', () => {
    expect(() => new Preset({ seed: -3 })).toThrow(`${name}: seed must be an integer`);
  });
});

describe('VarianceScaling', () => {
  it('uses Keras defaults: scale 1, fan_in, truncated_normal', () => {
    expect(new VarianceScaling().getConfig()).toEqual({
      scale: 1,
      mode: 'fan_in',
      distribution: 'truncated_normal',
      seed: null,
    });
  });

  it('supports fan_out and the untruncated normal', () => {
    const t = new VarianceScaling({
      scale: 3,
      mode: 'fan_out',
      distribution: 'untruncated_normal',
    }).generate([100, 600], RngStream.fromSeed(8));
    const m = moments(t);
    expect(Math.abs(m.variance / (3 / 600) - 1)).toBeLessThan(0.03);
    // An untruncated normal of 60,000 draws almost surely goes beyond 3σ.
    expect(m.maxAbs).toBeGreaterThan(3 * Math.sqrt(3 / 600));
    t.dispose();
  });

  it("treats 'normal' as 'truncated_normal' and divides by max(1, fan)", () => {
    const init = new VarianceScaling({ distribution: 'normal', scale: 0.5 });
    expect(init.distribution).toBe('truncated_normal');
    const t = init.generate([0, 4], RngStream.fromSeed(1)); // fan_in 0 → divides by 1
    expect(t.shape).toEqual([0, 4]);
    t.dispose();
    const s = new VarianceScaling({ distribution: 'uniform', scale: 0.12 }).generate(
      [],
      RngStream.fromSeed(1),
    );
    expect(Math.abs(s.dataSync()[0]!)).toBeLessThanOrEqual(Math.sqrt(0.36));
    s.dispose();
  });

  it('round-trips its config', () => {
    const init = new VarianceScaling({
      scale: 2.5,
      mode: 'fan_avg',
      distribution: 'uniform',
      seed: 9,
    });
    expect(new VarianceScaling(JSON.parse(JSON.stringify(init.getConfig()))).getConfig()).toEqual(
      init.getConfig(),
    );
  });

  it('rejects a bad mode, distribution or scale', () => {
    expect(() => new VarianceScaling({ mode: 'fan_sum' as never })).toThrow(
      'VarianceScaling: mode must be one of fan_in, fan_out, fan_avg. Received: mode="fan_sum"',
    );
    expect(() => new VarianceScaling({ distribution: 'gamma' as never })).toThrow(ValueError);
    expect(() => new VarianceScaling({ scale: 0 })).toThrow(
      'VarianceScaling: scale must be a positive finite number',
    );
    expect(() => new VarianceScaling({ scale: -1 })).toThrow(ValueError);
  });

  it('does not leak tensors', () => {
    const stream = RngStream.fromSeed(3);
    const before = tf.memory().numTensors;
    for (const [, Preset] of PRESETS) new Preset().generate([5, 5], stream).dispose();
    new VarianceScaling({ distribution: 'untruncated_normal' }).generate([5, 5], stream).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
