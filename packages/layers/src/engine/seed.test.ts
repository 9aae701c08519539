import { tf } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, input, layers, model, sequential, setGlobalSeed } from '../index.js';

function weightsOf(m: { getWeights(): tf.Tensor[] }): number[][] {
  return m.getWeights().map((t) => {
    const v = Array.from(t.dataSync());
    t.dispose();
    return v;
  });
}

const net = (seed?: number) =>
  sequential(
    [
      input({ shape: [3] }),
      layers.dense({ units: 4, activation: 'relu' }),
      layers.dense({ units: 2 }),
    ],
    seed === undefined ? {} : { seed },
  );

describe('seeded weight initialisation', () => {
  it('a model seed gives the same weights whatever was created before', () => {
    const a = net(42);
    const noise = net();
    const b = net(42);
    const c = net(43);
    expect(weightsOf(b)).toEqual(weightsOf(a));
    expect(weightsOf(c)).not.toEqual(weightsOf(a));
    expect(weightsOf(noise)).not.toEqual(weightsOf(a));
    for (const m of [a, b, c, noise]) m.dispose();
  });

  it('a lazily built Sequential uses its seed at build time', () => {
    const a = sequential([layers.dense({ units: 2 }), layers.dense({ units: 1 })], { seed: 9 });
    const b = sequential([layers.dense({ units: 2 }), layers.dense({ units: 1 })], { seed: 9 });
    a.build([5]);
    const x = tf.ones([1, 5]);
    b.predict(x).dispose();
    expect(weightsOf(b)).toEqual(weightsOf(a));
    x.dispose();
    a.dispose();
    b.dispose();
  });

  it('a functional model seed re-initialises its weights in Keras order', () => {
    const build = () => {
      const i = input({ shape: [3] });
      return model({ inputs: i, outputs: layers.dense({ units: 2 }).apply(i), seed: 5 });
    };
    const a = build();
    const b = build();
    expect(weightsOf(b)).toEqual(weightsOf(a));
    a.dispose();
    b.dispose();
  });

  it('without a seed, weights come from the global stream, which setGlobalSeed restarts', () => {
    setGlobalSeed(123);
    const a = net();
    setGlobalSeed(123);
    const b = net();
    expect(weightsOf(b)).toEqual(weightsOf(a));
    setGlobalSeed(DEFAULT_SEED);
    a.dispose();
    b.dispose();
  });

  it('rejects a seed that is not a 32-bit unsigned integer', () => {
    expect(() => net(-1)).toThrow('Model: seed must be an integer in [0, 2^32). Received: seed=-1');
  });
});
