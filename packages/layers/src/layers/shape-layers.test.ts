import { ShapeError, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { input, layers, model } from '../index.js';
import { runLayerTest } from '../testing/layer-test.js';

describe('Flatten', () => {
  it('passes the layer harness', async () => {
    await runLayerTest({
      layer: () => layers.flatten(),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 12],
      expectedWeightShapes: [],
    });
  });

  it('turns 28×28 images into 784 features', () => {
    const f = layers.flatten({ inputShape: [28, 28] });
    expect(f.computeOutputShape([null, 28, 28])).toEqual([null, 784]);
    const x = tf.zeros([5, 28, 28]);
    const y = f.apply(x);
    expect(y.shape).toEqual([5, 784]);
    tf.dispose([x, y]);
  });
});

describe('Reshape', () => {
  it('passes the layer harness with and without -1', async () => {
    await runLayerTest({
      layer: () => layers.reshape({ targetShape: [3, -1] }),
      inputShape: [2, 6],
      expectedOutputShape: [2, 3, 2],
      expectedWeightShapes: [],
    });
    await runLayerTest({
      layer: () => layers.reshape({ targetShape: [2, 2, 3] }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 2, 2, 3],
      expectedWeightShapes: [],
    });
  });

  it('keeps values in row-major order', () => {
    const x = tf.tensor([[1, 2, 3, 4, 5, 6]]);
    const y = layers.reshape({ targetShape: [2, 3] }).apply(x);
    expect(y.arraySync()).toEqual([
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ]);
    tf.dispose([x, y]);
  });

  it('rejects bad target shapes and sizes that do not divide', () => {
    expect(() => layers.reshape({ targetShape: [-1, -1] })).toThrow(ValueError);
    expect(() => layers.reshape({ targetShape: [0, 2] })).toThrow('Received: targetShape=[0,2]');
    expect(() => layers.reshape({ targetShape: [4, -1] }).apply(input({ shape: [6] }))).toThrow(
      ShapeError,
    );
    expect(() => layers.reshape({ targetShape: [4, -1] }).apply(input({ shape: [6] }))).toThrow(
      'cannot reshape 6 values per example',
    );
  });
});

describe('Concatenate and Add', () => {
  it('pass the layer harness with several inputs', async () => {
    await runLayerTest({
      layer: () => layers.concatenate(),
      inputShapes: [
        [2, 3],
        [2, 2],
      ],
      expectedOutputShape: [2, 5],
      expectedWeightShapes: [],
    });
    await runLayerTest({
      layer: () => layers.concatenate({ axis: 1 }),
      inputShapes: [
        [2, 1, 3],
        [2, 2, 3],
      ],
      expectedOutputShape: [2, 3, 3],
    });
    await runLayerTest({
      layer: () => layers.add(),
      inputShapes: [
        [2, 3],
        [2, 3],
        [2, 3],
      ],
      expectedOutputShape: [2, 3],
      expectedWeightShapes: [],
    });
  });

  it('join two inputs in a functional model', () => {
    const a = input({ shape: [2] });
    const b = input({ shape: [3] });
    const c = input({ shape: [2] });
    const joined = layers.concatenate().apply([a, b]);
    const summed = layers.add().apply([a, c]);
    expect(joined.shape).toEqual([null, 5]);
    expect(summed.shape).toEqual([null, 2]);
    const m = model({ inputs: [a, b, c], outputs: [joined, summed] });
    const xa = tf.tensor([[1, 2]]);
    const xb = tf.tensor([[3, 4, 5]]);
    const xc = tf.tensor([[10, 20]]);
    const [j, s] = m.predict([xa, xb, xc]) as tf.Tensor[];
    expect(j?.arraySync()).toEqual([[1, 2, 3, 4, 5]]);
    expect(s?.arraySync()).toEqual([[11, 22]]);
    tf.dispose([xa, xb, xc, j as tf.Tensor, s as tf.Tensor]);
  });

  it('reject inputs that do not fit', () => {
    expect(() => layers.add().apply([input({ shape: [2] }), input({ shape: [3] })])).toThrow(
      ShapeError,
    );
    expect(() =>
      layers.concatenate().apply([input({ shape: [2, 2] }), input({ shape: [3, 3] })]),
    ).toThrow(ShapeError);
    expect(() => layers.concatenate().apply(input({ shape: [2] }))).toThrow(ValueError);
  });
});
