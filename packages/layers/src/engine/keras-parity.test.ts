import { ShapeError, tf, ValueError } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { callbacks, clearSession, input, layers, model, Sequential, sequential } from '../index.js';

beforeEach(() => {
  clearSession();
});

describe('Keras parity of the engine', () => {
  it('predict on a Sequential with no layers raises instead of echoing its input', () => {
    const m = sequential([input({ shape: [2] })]);
    const x = tf.ones([1, 2]);
    expect(() => m.predict(x)).toThrow(ValueError);
    expect(() => m.predict(x)).toThrow(/has no layers/);
    x.dispose();
  });

  it('build with a shape the model does not take raises; the same shape is fine', () => {
    const m = sequential([layers.dense({ units: 1, inputShape: [2] })]);
    expect(() => m.build([3, 4])).toThrow(ShapeError);
    expect(() => m.build([null, 2])).not.toThrow();
    expect(() => m.build([2])).not.toThrow();
  });

  it('apply(symbolic, { training: true }) fixes training mode into the graph', () => {
    const i = input({ shape: [200] });
    const o = layers.dropout({ rate: 0.5, seed: 3 }).apply(i, { training: true });
    const m = model({ inputs: i, outputs: o });
    const x = tf.ones([1, 200]);
    const y = m.predict(x) as tf.Tensor;
    const values = y.dataSync();
    // Inference mode would return ones; the fixed training mode drops about half.
    const zeros = values.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(40);
    expect(values.every((v) => v === 0 || Math.abs(v - 2) < 1e-6)).toBe(true);
    tf.dispose([x, y]);
  });

  it('computeOutputShape works on unbuilt layers and models', () => {
    expect(layers.dense({ units: 3 }).computeOutputShape([null, 5])).toEqual([null, 3]);
    const m = new Sequential();
    m.add(layers.dense({ units: 4 }));
    m.add(layers.dense({ units: 2 }));
    expect(m.computeOutputShape([null, 7])).toEqual([null, 2]);
  });

  it('adapts the rank of the data: [n] for [null, 1] inputs and [n, k, 1] for [null, k]', async () => {
    const column = sequential([
      layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'ones' }),
    ]);
    const flat = tf.tensor([1, 2, 3]);
    const a = column.predict(flat) as tf.Tensor;
    expect(a.shape).toEqual([3, 1]);
    expect(Array.from(a.dataSync())).toEqual([1, 2, 3]);
    const wide = sequential([
      layers.dense({ units: 1, inputShape: [3], kernelInitializer: 'ones' }),
    ]);
    const deep = tf.ones([2, 3, 1]);
    const b = wide.predict(deep) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual([3, 3]);
    column.compile({ optimizer: 'sgd', loss: 'mse' });
    const logs = column.evaluate(flat, tf.tensor([[1], [2], [3]]));
    expect(logs['loss']).toBeCloseTo(0, 6);
    tf.dispose([flat, a, deep, b]);
  });

  it('logs a metric under the name given, so monitor: val_acc works', async () => {
    const m = sequential([layers.dense({ units: 2, inputShape: [2], activation: 'softmax' })]);
    m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: ['acc'] });
    const x = tf.tensor([
      [0, 1],
      [1, 0],
      [1, 1],
      [0, 0],
    ]);
    const y = tf.tensor([
      [1, 0],
      [0, 1],
      [1, 0],
      [0, 1],
    ]);
    const seen: string[] = [];
    const history = await m.fit(x, y, {
      epochs: 2,
      validationSplit: 0.5,
      verbose: 0,
      seed: 1,
      callbacks: [
        callbacks.earlyStopping({ monitor: 'val_acc', patience: 5, minDelta: -0.1 }),
        { onEpochEnd: (_epoch, logs) => void seen.push(...Object.keys(logs ?? {})) },
      ],
    });
    expect(Object.keys(history.history)).toEqual(expect.arrayContaining(['acc', 'val_acc']));
    expect(seen).toContain('val_acc');
    tf.dispose([x, y]);
  });

  it('reports a rejected callback by its index in the user list', async () => {
    const m = sequential([layers.dense({ units: 1, inputShape: [1] })]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.ones([2, 1]);
    await expect(m.fit(x, x, { epochs: 1, verbose: 0, callbacks: [5 as never] })).rejects.toThrow(
      /callbacks\[0\] must be a Callback or an object of hooks/,
    );
    x.dispose();
  });
});

describe('ReLU layer threshold (Keras: x > threshold)', () => {
  it('maps x == threshold to 0 and rejects a negative threshold', () => {
    const x = tf.tensor([4, 5, 6, 9]);
    const y = layers.relu({ maxValue: 8, threshold: 5 }).apply(x) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([0, 0, 6, 8]);
    expect(() => layers.relu({ threshold: -1 })).toThrow(
      'ReLU: threshold must be a non-negative finite number. Received: threshold=-1',
    );
    tf.dispose([x, y]);
  });
});

describe('Dropout noiseShape', () => {
  it('shares one draw along axes of size 1 and round-trips its config', () => {
    const d = layers.dropout({ rate: 0.5, seed: 11, noiseShape: [null, 1] });
    const x = tf.ones([64, 4]);
    const y = d.apply(x, { training: true }) as tf.Tensor;
    const rows = y.arraySync() as number[][];
    for (const row of rows) expect(new Set(row).size).toBe(1);
    expect(d.getConfig()['noiseShape']).toEqual([null, 1]);
    expect(() => layers.dropout({ rate: 0.5, noiseShape: [0] })).toThrow(ValueError);
    tf.dispose([x, y]);
  });
});
