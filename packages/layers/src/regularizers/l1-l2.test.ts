import { checkGradients, type Tensor, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { L1, L1L2, L2 } from './l1-l2.js';
import type { Regularizer } from './regularizer.js';

// Σ|x| = 1 + 2 + 3 + 0.5 = 6.5 and Σx² = 1 + 4 + 9 + 0.25 = 14.25.
const X = [
  [1, -2],
  [3, -0.5],
];

function penalty(r: Regularizer, values: number[][] = X): { value: number; shape: number[] } {
  return tf.tidy(() => {
    const out = r.apply(tf.tensor2d(values));
    return { value: out.dataSync()[0]!, shape: out.shape };
  });
}

describe('L1, L2, L1L2', () => {
  it('compute the penalties worked by hand, as scalars', () => {
    const l1 = penalty(new L1({ l1: 0.1 }));
    expect(l1.shape).toEqual([]);
    expect(l1.value).toBeCloseTo(0.65, 6);
    expect(penalty(new L2({ l2: 0.2 })).value).toBeCloseTo(2.85, 6);
    expect(penalty(new L1L2({ l1: 0.1, l2: 0.2 })).value).toBeCloseTo(3.5, 6);
    expect(penalty(new L1L2()).value).toBe(0);
  });

  it('default to the Keras factors (L1, L2: 0.01; the L1L2 class: 0)', () => {
    expect(new L1().getConfig()).toEqual({ l1: 0.01 });
    expect(new L2().getConfig()).toEqual({ l2: 0.01 });
    expect(new L1L2().getConfig()).toEqual({ l1: 0, l2: 0 });
    expect(penalty(new L2()).value).toBeCloseTo(0.1425, 6);
  });

  it('have finite-difference gradients (away from 0 for L1)', () => {
    const x = tf.tensor2d([
      [0.7, -1.3, 2.2],
      [-0.4, 0.9, -2.6],
    ]);
    for (const r of [new L1({ l1: 0.3 }), new L2({ l2: 0.5 }), new L1L2({ l1: 0.2, l2: 0.1 })]) {
      const report = checkGradients((t: Tensor) => r.apply(t), [x]);
      expect(report.worst, `${r.className}: ${JSON.stringify(report.worst)}`).toBeUndefined();
    }
    x.dispose();
  });

  it('round-trip their configs', () => {
    for (const r of [new L1({ l1: 0.003 }), new L2({ l2: 0 }), new L1L2({ l1: 0.5, l2: 0.25 })]) {
      const config = JSON.parse(JSON.stringify(r.getConfig()));
      const Class = r.constructor as new (args: Record<string, unknown>) => Regularizer;
      expect(new Class(config).getConfig()).toEqual(r.getConfig());
    }
  });

  it('reject negative, non-finite and non-number factors', () => {
    expect(() => new L1({ l1: -0.1 })).toThrow(ValueError);
    expect(() => new L1({ l1: -0.1 })).toThrow(
      'L1: l1 must be a non-negative finite number. Received: l1=-0.1',
    );
    expect(() => new L2({ l2: Number.POSITIVE_INFINITY })).toThrow(
      /L2: l2 must be a non-negative finite number/,
    );
    expect(() => new L1L2({ l2: Number.NaN })).toThrow(ValueError);
    expect(() => new L1L2({ l1: '0.1' as unknown as number })).toThrow(/Received: l1="0.1"/);
  });

  it('do not leak tensors', () => {
    const x = tf.tensor2d(X);
    const before = tf.memory().numTensors;
    for (const r of [new L1(), new L2(), new L1L2({ l1: 1, l2: 1 })]) r.apply(x).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
