/**
 * Initializers, regularizers and constraints (what a Dense kernel uses), translated from
 * tfjs-layers `src/initializers_test.ts`, `src/regularizers_test.ts` and
 * `src/constraints_test.ts`; defaults as Keras 3 sets them.
 */
import { Rng, type RngStream, tf } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { constraints, initializers, regularizers, VarianceScaling } from '../../src/index.js';
import { expectValues, values } from './helpers.js';

const stream = (seed = 1): RngStream => new Rng(seed).stream('init');
const draw = (name: Parameters<typeof initializers.get>[0], shape: number[], seed = 1) =>
  values(initializers.get(name).generate(shape, stream(seed)));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((v) => (v - mean(xs)) ** 2)));

describe('tfjs initializers_test.ts', () => {
  it('Zeros / Ones: 1D, upper case, 2D', () => {
    for (const name of ['zeros', 'Zeros'])
      expectValues(initializers.get(name).generate([3], stream()), [0, 0, 0]);
    for (const name of ['ones', 'Ones'])
      expectValues(initializers.get(name).generate([2, 2], stream()), [1, 1, 1, 1]);
  });

  it('Constant: from a config dict and from the factory', () => {
    expectValues(
      initializers.get({ className: 'Constant', config: { value: 5 } }).generate([3], stream()),
      [5, 5, 5],
    );
    expectValues(initializers.constant({ value: 5 }).generate([2, 2], stream()), [5, 5, 5, 5]);
  });

  it('RandomUniform: default ±0.05, configured [17, 47], a seed gives the same values', () => {
    for (const name of ['random_uniform', 'RandomUniform', 'randomUniform']) {
      const w = draw(name, [7, 2]);
      expect(Math.min(...w)).toBeGreaterThanOrEqual(-0.05);
      expect(Math.max(...w)).toBeLessThanOrEqual(0.05);
    }
    const w = values(
      initializers
        .get({ className: 'RandomUniform', config: { minval: 17, maxval: 47 } })
        .generate([7, 2], stream()),
    );
    expect(Math.min(...w)).toBeGreaterThanOrEqual(17);
    expect(Math.max(...w)).toBeLessThanOrEqual(47);
    const seeded = { className: 'RandomUniform', config: { seed: 42 } };
    expect(values(initializers.get(seeded).generate([7, 2], stream(1)))).toEqual(
      values(initializers.get(seeded).generate([7, 2], stream(2))),
    );
  });

  it('RandomNormal and TruncatedNormal: mean 0, stddev 0.05; truncated within 2σ', () => {
    const n = draw('random_normal', [100, 100]);
    expect(Math.abs(mean(n))).toBeLessThan(0.002);
    expect(Math.abs(std(n) - 0.05)).toBeLessThan(0.002);
    const t = draw('truncated_normal', [100, 100]);
    expect(Math.max(...t.map(Math.abs))).toBeLessThanOrEqual(0.1 + 1e-7);
    const configured = values(
      initializers
        .get({ className: 'RandomNormal', config: { mean: 1, stddev: 2 } })
        .generate([100, 100], stream()),
    );
    expect(Math.abs(mean(configured) - 1)).toBeLessThan(0.05);
    expect(Math.abs(std(configured) - 2)).toBeLessThan(0.05);
  });

  it('Glorot uniform: within ±sqrt(6 / (fanIn + fanOut)) for 1D and 2D shapes', () => {
    for (const name of ['glorot_uniform', 'glorotUniform', 'GlorotUniform']) {
      for (const shape of [[3], [30], [2, 2], [20, 20]]) {
        const fanIn = shape.length === 1 ? shape[0]! : shape[0]!;
        const fanOut = shape.length === 1 ? shape[0]! : shape[1]!;
        const limit = Math.sqrt(6 / (fanIn + fanOut));
        const w = draw(name, shape);
        expect(Math.max(...w)).toBeLessThan(limit);
        expect(Math.min(...w)).toBeGreaterThan(-limit);
      }
      expect(initializers.get(name)).toBeInstanceOf(VarianceScaling);
    }
  });

  it('He / LeCun / Glorot normal: variance scale / fan', () => {
    const cases: [string, number][] = [
      ['he_normal', 2 / 200],
      ['lecun_normal', 1 / 200],
      ['glorot_normal', 2 / 300],
      ['he_uniform', 2 / 200],
      ['lecun_uniform', 1 / 200],
    ];
    for (const [name, variance] of cases) {
      const w = draw(name, [200, 100]);
      expect(Math.abs(std(w) / Math.sqrt(variance) - 1), name).toBeLessThan(0.03);
    }
  });

  it('VarianceScaling: Keras 3 defaults; tfjs spellings of mode and distribution', () => {
    const config = initializers.get('variance_scaling').getConfig();
    expect(config['scale']).toBe(1);
    expect(config['mode']).toBe('fan_in');
    expect(config['distribution']).toBe('truncated_normal');
    for (const distribution of [
      'uniform',
      'normal',
      'truncatedNormal',
      'untruncated_normal',
    ] as const) {
      const init = initializers.varianceScaling({ distribution });
      const back = initializers.get({ className: 'VarianceScaling', config: init.getConfig() });
      expect(back.getConfig()).toEqual(init.getConfig());
    }
    expect(initializers.varianceScaling({ mode: 'fanAvg' }).mode).toBe('fan_avg');
    const glorot = initializers.serialize(initializers.get('glorot_normal')) as {
      config: Record<string, unknown>;
    };
    expect(glorot.config).toMatchObject({});
  });

  it('initializers.get: by string, by object, by config; an invalid name throws', () => {
    const zeros = initializers.zeros();
    expect(initializers.get(zeros)).toBe(zeros);
    const orig = initializers.glorotUniform({ seed: 10 });
    expect(initializers.serialize(initializers.get(initializers.serialize(orig) as never))).toEqual(
      initializers.serialize(orig),
    );
    expect(() => initializers.get('invalid_initializer_id')).toThrow(/Unknown initializer/);
    expect(() => initializers.varianceScaling({ mode: 'foo' as never })).toThrow(/foo/);
  });
});

describe('tfjs regularizers_test.ts', () => {
  const w = () => tf.tensor1d([1, -2, 3, -4]);
  it('l1, l2 and l1l2: penalty values', () => {
    const x = w();
    expectValues(regularizers.l1(1).apply(x), 10);
    expectValues(regularizers.l2(1).apply(x), 30);
    expectValues(regularizers.l1l2({ l1: 1, l2: 1 }).apply(x), 40);
    // The l1l2 factory's other factor defaults to 0.01 (Keras's l1_l2, tfjs's l1l2).
    expectValues(regularizers.l1l2({ l1: 0.5 }).apply(x), 5 + 0.3);
    // Keras's defaults: 'l1' and 'l2' by name are 0.01.
    expectValues(regularizers.get('l2').apply(x), 0.3);
    expectValues(regularizers.get('l1').apply(x), 0.1);
    x.dispose();
  });

  it('round-trip their config; unknown names raise', () => {
    const r = regularizers.l1l2({ l1: 0.1, l2: 0.2 });
    expect(regularizers.serialize(regularizers.get(regularizers.serialize(r) as never))).toEqual(
      regularizers.serialize(r),
    );
    expect(() => regularizers.get('l7')).toThrow(/Unknown regularizer/);
  });
});

describe('tfjs constraints_test.ts', () => {
  const m = () =>
    tf.tensor2d([
      [0, 1],
      [3, -4],
    ]);
  it('nonNeg zeroes negatives; maxNorm caps each column norm; unitNorm; minMaxNorm', () => {
    const x = m();
    expectValues(constraints.nonNeg().apply(x), [0, 1, 3, 0]);
    // Column norms: 3 and sqrt(17); with maxValue 2 both are scaled down to norm 2.
    const capped = values(constraints.maxNorm({ maxValue: 2, axis: 0 }).apply(x));
    expect(Math.hypot(capped[0]!, capped[2]!)).toBeCloseTo(2, 5);
    expect(Math.hypot(capped[1]!, capped[3]!)).toBeCloseTo(2, 5);
    const unit = values(constraints.unitNorm({ axis: 0 }).apply(x));
    expect(Math.hypot(unit[0]!, unit[2]!)).toBeCloseTo(1, 5);
    expect(Math.hypot(unit[1]!, unit[3]!)).toBeCloseTo(1, 5);
    const between = values(
      constraints.minMaxNorm({ minValue: 3.5, maxValue: 4, axis: 0 }).apply(x),
    );
    expect(Math.hypot(between[0]!, between[2]!)).toBeCloseTo(3.5, 4);
    expect(Math.hypot(between[1]!, between[3]!)).toBeCloseTo(4, 4);
    x.dispose();
  });

  it('by name (Keras and tfjs spellings); unknown names raise', () => {
    for (const name of [
      'non_neg',
      'nonNeg',
      'max_norm',
      'maxNorm',
      'unit_norm',
      'unitNorm',
      'min_max_norm',
    ]) {
      expect(constraints.get(name as never).className, name).toBeTypeOf('string');
    }
    expect(() => constraints.get('nonNegative' as never)).toThrow(/Unknown constraint/);
  });
});
