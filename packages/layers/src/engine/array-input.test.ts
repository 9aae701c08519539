import { tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { layers } from '../layers/index.js';
import { sequential } from './sequential.js';

function regression() {
  const m = sequential([layers.dense({ units: 1, inputShape: [2] })], { seed: 3 });
  m.compile({ optimizer: 'sgd', loss: 'mean_squared_error' });
  return m;
}

describe('fit/evaluate/predict on plain arrays', () => {
  it('give the same numbers as tensors', async () => {
    const x = [
      [3, 5],
      [5, 1],
      [10, 2],
    ];
    const y = [0.75, 0.82, 0.93];
    const a = regression();
    const b = regression();
    const ha = await a.fit(x, y, { epochs: 3, batchSize: 3, verbose: 0, seed: 1 });
    const hb = await b.fit(tf.tensor2d(x), tf.tensor2d(y, [3, 1]), {
      epochs: 3,
      batchSize: 3,
      verbose: 0,
      seed: 1,
    });
    expect(ha.history.loss).toEqual(hb.history.loss);
    expect(a.evaluate(x, new Float32Array(y)).loss ?? Number.NaN).toBeCloseTo(
      b.evaluate(tf.tensor2d(x), tf.tensor2d(y, [3, 1])).loss ?? Number.NaN,
      6,
    );
    const pa = (a.predict(x) as tf.Tensor).arraySync();
    const pb = (b.predict(tf.tensor2d(x)) as tf.Tensor).arraySync();
    expect(pa).toEqual(pb);
  });

  it('leave no tensors behind', async () => {
    const m = regression();
    await m.fit([[1, 2]], [1], { epochs: 1, verbose: 0 });
    const before = tf.memory().numTensors;
    m.evaluate([[1, 2]], [1]);
    (m.predict([[1, 2]]) as tf.Tensor).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuse ragged rows, saying what they were', () => {
    expect(() => regression().predict([[1, 2], [3]])).toThrow(ValueError);
    expect(() => regression().predict([[1, 2], [3]])).toThrow(
      /rectangular array of numbers.*Received/,
    );
  });
});
