import { NotFoundError, ShapeError, StateError, tf, ValueError } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  clearSession,
  type Dense,
  InputLayer,
  input,
  layers,
  Sequential,
  sequential,
} from '../index.js';

beforeEach(() => {
  clearSession();
});

describe('Sequential', () => {
  it('course: predict(tf.ones([3, 3])) on an unbuilt Dense(2), Dense(3), Dense(4) gives three identical rows of width 4', () => {
    const m = new Sequential();
    m.add(layers.dense({ units: 2, activation: 'relu' }));
    m.add(layers.dense({ units: 3, activation: 'relu' }));
    m.add(layers.dense({ units: 4 }));
    expect(m.built).toBe(false);
    const x = tf.ones([3, 3]);
    const y = m.predict(x);
    expect(m.built).toBe(true);
    expect(y.shape).toEqual([3, 4]);
    const rows = y.arraySync() as number[][];
    expect(rows[1]).toEqual(rows[0]);
    expect(rows[2]).toEqual(rows[0]);
    expect(m.inputShape).toEqual([null, 3]);
    expect(m.layers.map((l) => l.name)).toEqual(['dense', 'dense_1', 'dense_2']);
    tf.dispose([x, y]);
    m.dispose();
  });

  it('course: l1 = Dense(2) on 4 inputs, Dense(3), Dense(3) has 31 parameters', () => {
    const m = sequential([
      layers.dense({ units: 2, activation: 'relu', name: 'l1', inputShape: [4] }),
      layers.dense({ units: 3, activation: 'relu' }),
      layers.dense({ units: 3 }),
    ]);
    expect(m.countParams()).toBe(31);
    expect(m.layers.map((l) => l.countParams())).toEqual([10, 9, 12]);
    m.dispose();
  });

  it('course: the MNIST net (Flatten 28×28, Dense 128 relu, Dense 10) has 101,770 parameters', () => {
    const m = sequential([
      layers.flatten({ inputShape: [28, 28] }),
      layers.dense({ units: 128, activation: 'relu' }),
      layers.dense({ units: 10 }),
    ]);
    expect(m.countParams()).toBe(101_770);
    expect(m.outputShape).toEqual([null, 10]);
    m.dispose();
  });

  it('accepts input({ shape }) first: layers leaves it out, inputs holds it', () => {
    const i = input({ shape: [4], name: 'features' });
    const m = sequential([
      i,
      layers.dense({ units: 2, name: 'l1' }),
      layers.dense({ units: 3, name: 'y' }),
    ]);
    expect(m.built).toBe(true);
    expect(m.layers.map((l) => l.name)).toEqual(['l1', 'y']);
    expect(m.inputs).toEqual([i]);
    expect(m.inputs[0]?.sourceLayer).toBeInstanceOf(InputLayer);
    expect(m.outputs[0]?.shape).toEqual([null, 3]);
    expect(m.getLayer('y')).toBe(m.layers[1]);
    expect(m.getLayer(0)).toBe(m.layers[0]);
    m.dispose();
  });

  it('builds at once when the first layer has inputShape, lazily otherwise', () => {
    const eager = sequential([layers.dense({ units: 2, inputShape: [5] })]);
    expect(eager.built).toBe(true);
    expect(eager.weights.map((w) => w.shape)).toEqual([[5, 2], [2]]);
    const lazy = sequential([layers.dense({ units: 2 })]);
    expect(lazy.built).toBe(false);
    expect(lazy.weights).toEqual([]);
    lazy.build([5]);
    expect(lazy.weights.map((w) => w.shape)).toEqual([[5, 2], [2]]);
    eager.dispose();
    lazy.dispose();
  });

  it('add after build extends the graph; pop removes the last layer', () => {
    const m = sequential([input({ shape: [3] }), layers.dense({ units: 4 })]);
    m.add(layers.dense({ units: 2, name: 'head' }));
    expect(m.outputShape).toEqual([null, 2]);
    expect(m.getLayer('head').output).toBe(m.outputs[0]);
    const head = m.pop();
    expect(head.name).toBe('head');
    expect(m.outputShape).toEqual([null, 4]);
    expect(m.layers.length).toBe(1);
    head.dispose();
    m.dispose();
  });

  it('rejects duplicate names, non-layers and a misplaced input', () => {
    const m = sequential([layers.dense({ units: 2, name: 'a' })]);
    expect(() => m.add(layers.dense({ units: 2, name: 'a' }))).toThrow(
      'layer names must be unique. Received: name="a"',
    );
    expect(() => m.add({} as Dense)).toThrow(ValueError);
    expect(() => m.add(input({ shape: [2] }))).toThrow(/only accepted first/);
    expect(m.layers.length).toBe(1);
  });

  it('getLayer names what it could not find', () => {
    const m = sequential([layers.dense({ units: 2, name: 'l1', inputShape: [3] })]);
    expect(() => m.getLayer('l9')).toThrow(NotFoundError);
    expect(() => m.getLayer('l9')).toThrow('has no layer named "l9". Layers: l1');
    expect(() => m.getLayer(3)).toThrow('Received: index=3');
    m.dispose();
  });

  it('predict on the wrong input shape is a ShapeError naming both shapes', () => {
    const m = sequential([layers.dense({ units: 2, inputShape: [4] })], { name: 'm4' });
    const x = tf.ones([3, 3]);
    expect(() => m.predict(x)).toThrow(ShapeError);
    expect(() => m.predict(x)).toThrow(
      'Model "m4": input 0 ("input_layer") expects shape (None, 4). Received: shape=(3, 3)',
    );
    x.dispose();
    m.dispose();
  });

  it('predict in batches equals one big call, and leaks nothing', () => {
    const m = sequential([
      layers.dense({ units: 3, activation: 'tanh', inputShape: [2] }),
      layers.dense({ units: 2 }),
    ]);
    const x = tf.randomNormal([70, 2]);
    const before = tf.memory().numTensors;
    const batched = m.predict(x, { batchSize: 16 });
    const whole = m.apply(x);
    expect(batched.shape).toEqual([70, 2]);
    const a = batched.dataSync();
    const b = whole.dataSync();
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i] as number, 6);
    tf.dispose([batched, whole]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => m.predict(x, { batchSize: 0 })).toThrow(
      'predict: batchSize must be a positive integer. Received: batchSize=0',
    );
    x.dispose();
    m.dispose();
  });

  it('reports its state clearly before it is built', () => {
    const m = sequential([layers.dense({ units: 2 })], { name: 'lazy' });
    expect(() => m.inputs).toThrow(StateError);
    expect(() => m.inputs).toThrow(/not built yet/);
    expect(() => m.layers[0]?.countParams()).toThrow(/not built yet/);
    expect(() => m.build()).toThrow(/build needs an input shape/);
  });

  it('names layers and models as Keras does', () => {
    const m = sequential([
      layers.dense({ units: 1 }),
      layers.leakyReLU(),
      layers.relu(),
      layers.dense({ units: 1 }),
    ]);
    expect(m.name).toBe('sequential');
    expect(m.layers.map((l) => l.name)).toEqual(['dense', 'leaky_re_lu', 're_lu', 'dense_1']);
    expect(sequential().name).toBe('sequential_1');
  });
});
