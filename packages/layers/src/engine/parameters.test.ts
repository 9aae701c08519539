import { NotFoundError, ParameterStore, StateError, tf } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  bindWeights,
  clearSession,
  input,
  layers,
  parameterSpecs,
  sequential,
  trainableOffsets,
} from '../index.js';

beforeEach(() => {
  clearSession();
});

describe('parameterSpecs / bindWeights', () => {
  it('lists trainable weights first, in Keras order, then the frozen ones', () => {
    const m = sequential([
      input({ shape: [3] }),
      layers.dense({ units: 4 }),
      layers.dense({ units: 2, useBias: false }),
      layers.dense({ units: 1 }),
    ]);
    expect(m.weights.map((w) => w.name)).toEqual([
      'dense/kernel',
      'dense/bias',
      'dense_1/kernel',
      'dense_2/kernel',
      'dense_2/bias',
    ]);
    (m.layers[0] as (typeof m.layers)[0]).trainable = false;
    expect(parameterSpecs(m)).toEqual([
      { name: 'dense_1/kernel', shape: [4, 2] },
      { name: 'dense_2/kernel', shape: [2, 1] },
      { name: 'dense_2/bias', shape: [1] },
      { name: 'dense/kernel', shape: [3, 4] },
      { name: 'dense/bias', shape: [4] },
    ]);
    // getWeights keeps the Keras order whatever is frozen
    expect(m.getWeights().map((t) => t.shape)).toEqual([[3, 4], [4], [4, 2], [2, 1], [1]]);
    const store = ParameterStore.create(parameterSpecs(m), { shared: false });
    const { offsets, end } = trainableOffsets(m, store);
    expect(offsets).toEqual([0, 16, 32]);
    expect(end).toBe(33);
    m.dispose();
  });

  it('copies the values into the store, then the model reads the store with no copy', () => {
    const m = sequential([input({ shape: [2] }), layers.dense({ units: 1, name: 'd' })]);
    const kernel = tf.tensor([[2], [3]]);
    const bias = tf.tensor([1]);
    m.setWeights([kernel, bias]);
    const store = ParameterStore.create(parameterSpecs(m));
    bindWeights(m, store);
    expect(Array.from(store.view('d/kernel'))).toEqual([2, 3]);
    const x = tf.tensor([[1, 1]]);
    const before = m.predict(x);
    expect(Array.from(before.dataSync())).toEqual([6]);
    store.view('d/bias')[0] = 10;
    const after = m.predict(x);
    expect(Array.from(after.dataSync())).toEqual([15]);
    // setWeights on a bound model writes into the store
    const k2 = tf.tensor([[1], [1]]);
    const b2 = tf.tensor([0]);
    m.setWeights([k2, b2]);
    expect(Array.from(store.view('d/kernel'))).toEqual([1, 1]);
    expect(Array.from(store.view('d/bias'))).toEqual([0]);
    tf.dispose([kernel, bias, x, before, after, k2, b2]);
    m.dispose();
  });

  it('with copy: false adopts the store values instead of overwriting them (worker threads)', () => {
    const trained = sequential([input({ shape: [2] }), layers.dense({ units: 1, name: 'd' })]);
    const store = ParameterStore.create(parameterSpecs(trained));
    store.set('d/kernel', [4, 5]);
    store.set('d/bias', [-1]);
    const fresh = sequential([input({ shape: [2] }), layers.dense({ units: 1, name: 'd' })]);
    bindWeights(fresh, store, { copy: false });
    expect(Array.from(store.view('d/kernel'))).toEqual([4, 5]);
    const x = tf.tensor([[1, 2]]);
    const y = fresh.predict(x);
    expect(Array.from(y.dataSync())).toEqual([13]);
    tf.dispose([x, y]);
    trained.dispose();
    fresh.dispose();
  });

  it('fails clearly on an unbuilt model or a store that lacks a weight', () => {
    const lazy = sequential([layers.dense({ units: 1 })]);
    expect(() => parameterSpecs(lazy)).toThrow(StateError);
    const m = sequential([input({ shape: [2] }), layers.dense({ units: 1, name: 'd' })]);
    const store = ParameterStore.create([{ name: 'd/kernel', shape: [2, 1] }], { shared: false });
    expect(() => bindWeights(m, store)).toThrow(NotFoundError);
    const wrong = ParameterStore.create(
      [
        { name: 'd/kernel', shape: [1, 2] },
        { name: 'd/bias', shape: [1] },
      ],
      { shared: false },
    );
    expect(() => bindWeights(m, wrong)).toThrow(/d\/kernel.*Received: shape=\(1, 2\)/);
    m.dispose();
  });
});

describe('getWeights / setWeights', () => {
  it('rejects a wrong count or shape, naming what was expected', () => {
    const m = sequential([input({ shape: [2] }), layers.dense({ units: 3, name: 'd' })], {
      name: 'w',
    });
    const one = tf.zeros([2, 3]);
    const bad = tf.zeros([3, 2]);
    const bias = tf.zeros([3]);
    expect(() => m.setWeights([one])).toThrow('Sequential "w"');
    expect(() => m.setWeights([one])).toThrow(
      'setWeights expects 2 arrays (d/kernel, d/bias). Received: length=1',
    );
    expect(() => m.setWeights([bad, bias])).toThrow(
      'Weight "d/kernel" has shape (2, 3). Received: shape=(3, 2)',
    );
    tf.dispose([one, bad, bias]);
    m.dispose();
  });

  it('gives copies that later training does not change', async () => {
    const m = sequential([input({ shape: [2] }), layers.dense({ units: 1 })]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const snapshot = m.getWeights();
    const saved = snapshot.map((t) => Array.from(t.dataSync()));
    const x = tf.ones([4, 2]);
    const y = tf.ones([4, 1]);
    await m.fit(x, y, { epochs: 2, verbose: 0 });
    expect(snapshot.map((t) => Array.from(t.dataSync()))).toEqual(saved);
    expect(m.getWeights().map((t) => Array.from(t.dataSync()))).not.toEqual(saved);
    tf.dispose([...snapshot, x, y]);
    m.dispose();
  });
});
