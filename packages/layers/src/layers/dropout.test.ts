import { Rng, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { layers } from '../index.js';
import { runLayerTest } from '../testing/layer-test.js';

describe('Dropout', () => {
  it('passes the layer harness (inference is the identity)', async () => {
    await runLayerTest({
      layer: () => layers.dropout({ rate: 0.5 }),
      inputShape: [3, 4],
      expectedOutputShape: [3, 4],
      expectedWeightShapes: [],
    });
  });

  it('passes inputs through unchanged outside training', () => {
    const layer = layers.dropout({ rate: 0.9 });
    const x = tf.tensor([[1, 2, 3]]);
    const y = layer.apply(x);
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    x.dispose();
    layer.dispose();
  });

  it('drops about `rate` of the values in training and scales the rest by 1/(1-rate)', () => {
    const rate = 0.3;
    const layer = layers.dropout({ rate, seed: 11 });
    const x = tf.ones([200, 50]);
    const y = layer.apply(x, { training: true });
    const values = y.dataSync();
    let zeros = 0;
    let sum = 0;
    for (const v of values) {
      if (v === 0) zeros++;
      else expect(v).toBeCloseTo(1 / (1 - rate), 5);
      sum += v;
    }
    // 10,000 Bernoulli draws: the standard deviation of the fraction is ≈ 0.0046.
    expect(Math.abs(zeros / values.length - rate)).toBeLessThan(0.025);
    expect(Math.abs(sum / values.length - 1)).toBeLessThan(0.04);
    tf.dispose([x, y]);
  });

  it('is reproducible with a seed, and successive calls draw new masks', () => {
    const x = tf.ones([4, 25]);
    const run = (seed: number) => {
      const layer = layers.dropout({ rate: 0.5, seed });
      const a = layer.apply(x, { training: true });
      const b = layer.apply(x, { training: true });
      const out = [Array.from(a.dataSync()), Array.from(b.dataSync())];
      tf.dispose([a, b]);
      return out;
    };
    const [first, second] = run(3);
    const [again, againSecond] = run(3);
    const [other] = run(4);
    expect(again).toEqual(first);
    expect(againSecond).toEqual(second);
    expect(second).not.toEqual(first);
    expect(other).not.toEqual(first);
    x.dispose();
  });

  it('draws from the stream it is given when it has no seed', () => {
    const x = tf.ones([2, 30]);
    const layer = layers.dropout({ rate: 0.5 });
    const a = layer.apply(x, { training: true, rng: new Rng(5).stream('dropout') });
    const b = layer.apply(x, { training: true, rng: new Rng(5).stream('dropout') });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([x, a, b]);
  });

  it('rejects a rate outside [0, 1) and a bad seed', () => {
    expect(() => layers.dropout({ rate: 1 })).toThrow(ValueError);
    expect(() => layers.dropout({ rate: 1 })).toThrow('Received: rate=1');
    expect(() => layers.dropout({ rate: -0.1 })).toThrow('Received: rate=-0.1');
    expect(() => layers.dropout({ rate: 0.5, seed: 1.5 })).toThrow('Received: seed=1.5');
  });
});
