import { NotFoundError, type Tensor, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { L1, L1L2, L2, REGULARIZER_NAMES, type Regularizer, regularizers } from './index.js';

describe('regularizers registry', () => {
  it("resolves 'l1', 'l2' and 'l1_l2' with the Keras default factors 0.01", () => {
    expect([...REGULARIZER_NAMES]).toEqual(['l1', 'l2', 'l1_l2', 'L1L2']);
    const l1 = regularizers.get('l1');
    expect(l1).toBeInstanceOf(L1);
    expect(l1.getConfig()).toEqual({ l1: 0.01 });
    expect(regularizers.get('l2').getConfig()).toEqual({ l2: 0.01 });
    const both = regularizers.get('l1_l2');
    expect(both).toBeInstanceOf(L1L2);
    expect(both.getConfig()).toEqual({ l1: 0.01, l2: 0.01 });
    expect(regularizers.get('l1l2').getConfig()).toEqual({ l1: 0.01, l2: 0.01 });
  });

  it('resolves class names to the classes with their own defaults', () => {
    expect(regularizers.get('L1')).toBeInstanceOf(L1);
    expect(regularizers.get('L2')).toBeInstanceOf(L2);
    expect(regularizers.get('L1L2').getConfig()).toEqual({ l1: 0, l2: 0 });
  });

  it('has factories taking the factors', () => {
    expect(regularizers.l1(0.5).getConfig()).toEqual({ l1: 0.5 });
    expect(regularizers.l2(0.25).getConfig()).toEqual({ l2: 0.25 });
    expect(regularizers.l1().getConfig()).toEqual({ l1: 0.01 });
    expect(regularizers.l1l2({ l1: 0.001 }).getConfig()).toEqual({ l1: 0.001, l2: 0.01 });
    expect(regularizers.l1l2().getConfig()).toEqual({ l1: 0.01, l2: 0.01 });
    expect(() => regularizers.l2(-1)).toThrow(ValueError);
  });

  it('round-trips through JSON with identical penalties', () => {
    const x = tf.tensor1d([0.5, -1.5, 2]);
    for (const r of [
      regularizers.l1(0.3),
      regularizers.l2(0.02),
      regularizers.l1l2({ l1: 0.1, l2: 0 }),
    ]) {
      const json = JSON.parse(JSON.stringify(regularizers.serialize(r)));
      const back = regularizers.deserialize(json);
      expect(back.className).toBe(r.className);
      expect(back.getConfig()).toEqual(r.getConfig());
      const [a, b] = tf.tidy(() => [r.apply(x).dataSync()[0]!, back.apply(x).dataSync()[0]!]);
      expect(b).toBe(a);
    }
    x.dispose();
  });

  it('accepts { className, config } and returns instances unchanged', () => {
    expect(regularizers.get({ className: 'L2', config: { l2: 0.1 } }).getConfig()).toEqual({
      l2: 0.1,
    });
    const r = regularizers.l1(0.2);
    expect(regularizers.get(r)).toBe(r);
  });

  it('rejects unknown names, unknown keys and bad factors', () => {
    expect(() => regularizers.get('l3' as never)).toThrow(NotFoundError);
    expect(() => regularizers.get('l3' as never)).toThrow(
      /expected one of l1, l2, l1_l2.*Received: regularizer="l3"/,
    );
    expect(() => regularizers.get({ className: 'L1', config: { l2: 0.1 } })).toThrow(
      'L1: unknown argument; expected one of l1. Received: key="l2"',
    );
    expect(() => regularizers.get({ className: 'L1L2', config: { l1: -1 } })).toThrow(
      'L1L2: l1 must be a non-negative finite number. Received: l1=-1',
    );
    expect(() => regularizers.get(0.01 as never)).toThrow(ValueError);
  });

  it('registers, serializes and loads back a custom regularizer', () => {
    class SumPenalty implements Regularizer {
      readonly className = 'SumPenalty';
      apply(x: Tensor): Tensor {
        return tf.tidy(() => tf.mul(0.5, tf.sum(x)));
      }
      getConfig(): Record<string, unknown> {
        return {};
      }
    }
    expect(() => regularizers.serialize(new SumPenalty())).toThrow(
      /regularizers\.register\('SumPenalty'/,
    );
    regularizers.register('SumPenalty', () => new SumPenalty());
    const back = regularizers.deserialize(regularizers.serialize(new SumPenalty()));
    const value = tf.tidy(() => back.apply(tf.tensor1d([1, 2, 3])).dataSync()[0]);
    expect(value).toBe(3);
    expect(() => regularizers.register('l1', () => new SumPenalty())).toThrow(/already registered/);
  });
});
