import { NotFoundError, type Tensor, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import {
  CONSTRAINT_NAMES,
  type Constraint,
  constraints,
  MaxNorm,
  MinMaxNorm,
  NonNeg,
  UnitNorm,
} from './index.js';

describe('constraints registry', () => {
  it('resolves Keras names, camelCase aliases and class names', () => {
    expect([...CONSTRAINT_NAMES]).toEqual(['max_norm', 'non_neg', 'unit_norm', 'min_max_norm']);
    for (const [names, Class] of [
      [['max_norm', 'maxNorm', 'MaxNorm'], MaxNorm],
      [['non_neg', 'nonNeg', 'NonNeg'], NonNeg],
      [['unit_norm', 'unitNorm', 'UnitNorm'], UnitNorm],
      [['min_max_norm', 'minMaxNorm', 'MinMaxNorm'], MinMaxNorm],
    ] as const) {
      for (const name of names) expect(constraints.get(name), name).toBeInstanceOf(Class);
    }
  });

  it('has factories and round-trips each constraint through JSON', () => {
    const w = tf.tensor2d([
      [3, -1],
      [4, 2],
    ]);
    for (const c of [
      constraints.maxNorm({ maxValue: 1.5, axis: 1 }),
      constraints.nonNeg(),
      constraints.unitNorm({ axis: [0, 1] }),
      constraints.minMaxNorm({ minValue: 1, maxValue: 2, rate: 0.7 }),
    ]) {
      const json = JSON.parse(JSON.stringify(constraints.serialize(c)));
      expect(json.className).toBe(c.className);
      const back = constraints.deserialize(json);
      expect(back.getConfig()).toEqual(c.getConfig());
      const [a, b] = tf.tidy(() => [
        Array.from(c.apply(w).dataSync()),
        Array.from(back.apply(w).dataSync()),
      ]);
      expect(b).toEqual(a);
    }
    w.dispose();
  });

  it('returns instances unchanged and accepts { className, config }', () => {
    const c = constraints.nonNeg();
    expect(constraints.get(c)).toBe(c);
    expect(constraints.get({ className: 'MaxNorm', config: { maxValue: 4 } }).getConfig()).toEqual({
      maxValue: 4,
      axis: 0,
    });
  });

  it('rejects unknown names and keys with clear errors', () => {
    expect(() => constraints.get('max_nrom' as never)).toThrow(NotFoundError);
    expect(() => constraints.get('max_nrom' as never)).toThrow(
      /expected one of max_norm, non_neg, unit_norm, min_max_norm.*Received: constraint="max_nrom"/,
    );
    expect(() => constraints.get({ className: 'MaxNorm', config: { max_value: 2 } })).toThrow(
      'MaxNorm: unknown argument; expected one of maxValue, axis. Received: key="max_value"',
    );
    expect(() => constraints.get(null as never)).toThrow(ValueError);
  });

  it('registers, serializes and loads back a custom constraint', () => {
    class Clip implements Constraint {
      readonly className = 'Clip';
      readonly limit: number;
      constructor(config: Record<string, unknown> = {}) {
        this.limit = typeof config['limit'] === 'number' ? config['limit'] : 1;
      }
      apply(w: Tensor): Tensor {
        return tf.clipByValue(w, -this.limit, this.limit);
      }
      getConfig(): Record<string, unknown> {
        return { limit: this.limit };
      }
    }
    expect(() => constraints.serialize(new Clip({ limit: 2 }))).toThrow(
      /constraints\.register\('Clip'/,
    );
    constraints.register('Clip', (config) => new Clip(config));
    const back = constraints.deserialize(constraints.serialize(new Clip({ limit: 2 })));
    const out = tf.tidy(() => Array.from(back.apply(tf.tensor1d([-5, 1, 5])).dataSync()));
    expect(out).toEqual([-2, 1, 2]);
    expect(constraints.names()).toContain('Clip');
  });
});
