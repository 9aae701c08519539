/**
 * Models and training, translated from the peers' suites: Keras 3
 * `keras/src/models/{sequential,functional}_test.py` and `keras/src/trainers/trainer_test.py`
 * (fit / evaluate / predict, validation split, batch sizes), and tfjs-layers
 * `src/engine/training_weighted_test.ts` (classWeight) and `src/engine/training_test.ts`.
 */
import { ShapeError, tf, ValueError } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  clearSession,
  input,
  Layer,
  layers,
  Model,
  model,
  optimizers,
  Sequential,
  sequential,
} from '../../src/index.js';
import { expectValues, values } from './helpers.js';

beforeEach(() => {
  clearSession();
});

describe('Keras sequential_test.py', () => {
  // SequentialTest.test_basic_flow_with_input
  it('test_basic_flow_with_input: layers, weights, calls, pop', () => {
    const m = new Sequential({ name: 'seq' });
    m.add(input({ shape: [2] }));
    m.add(layers.dense({ units: 4 }));
    m.add(layers.dense({ units: 5 }));
    const lines: string[] = [];
    m.summary((l) => lines.push(l));
    expect(lines.join('\n')).toContain('seq');
    expect(m.layers).toHaveLength(2);
    expect(m.built).toBe(true);
    expect(m.weights).toHaveLength(4);
    const x = tf.ones([3, 2]);
    expect((m.predict(x) as tf.Tensor).shape).toEqual([3, 5]);
    const sym = m.apply(input({ shape: [2] }));
    expect((sym as { shape: unknown }).shape).toEqual([null, 5]);
    m.pop();
    expect(m.layers).toHaveLength(1);
    expect(m.weights).toHaveLength(2);
    expect((m.predict(x) as tf.Tensor).shape).toEqual([3, 4]);
    x.dispose();
  });

  // test_legacy_flow_with_input_shape (later inputShape arguments are ignored)
  it('test_legacy_flow_with_input_shape: the first layer fixes the input', () => {
    const m = sequential([layers.dense({ units: 4, inputShape: [2] }), layers.dense({ units: 5 })]);
    expect(m.built).toBe(true);
    expect(m.weights).toHaveLength(4);
    expect(m.inputShape).toEqual([null, 2]);
  });

  // test_legacy_flow_with_input_shape: "Input_dim works too" (tfjs's Dense takes inputDim too)
  it('test_legacy_flow_with_input_shape: inputDim is inputShape [inputDim]', () => {
    const m = sequential([layers.dense({ units: 4, inputDim: 2 }), layers.dense({ units: 5 })]);
    expect(m.built).toBe(true);
    expect(m.weights).toHaveLength(4);
    expect(m.inputShape).toEqual([null, 2]);
    expect(() => layers.dense({ units: 4, inputDim: 0 })).toThrow('Received: inputDim=0');
    expect(() => layers.dense({ units: 4, inputDim: 3, inputShape: [2] })).toThrow(/inputDim/);
    expect(layers.dense({ units: 4, inputDim: 2, inputShape: [2] }).batchInputShape).toEqual([
      null,
      2,
    ]);
  });

  // test_basic_flow_deferred
  it('test_basic_flow_deferred: built by the first call', () => {
    const m = new Sequential();
    m.add(layers.dense({ units: 4 }));
    m.add(layers.dense({ units: 5 }));
    expect(m.layers).toHaveLength(2);
    const x = tf.ones([3, 2]);
    expect((m.predict(x) as tf.Tensor).shape).toEqual([3, 5]);
    expect(m.built).toBe(true);
    m.pop();
    expect(m.weights).toHaveLength(2);
    expect((m.predict(x) as tf.Tensor).shape).toEqual([3, 4]);
    x.dispose();
  });

  // test_basic_flow_as_a_submodel / test_nested_sequential
  it('test_nested_sequential: a Sequential inside a Sequential', () => {
    const inner = sequential([layers.dense({ units: 2, inputShape: [3] })]);
    const outer = sequential([input({ shape: [3] }), inner, layers.dense({ units: 1 })]);
    const x = tf.ones([4, 3]);
    expect((outer.predict(x) as tf.Tensor).shape).toEqual([4, 1]);
    expect(outer.weights).toHaveLength(4);
    x.dispose();
  });

  // test_errors
  it('test_errors: a second input, duplicate names, no layers, a build conflict', () => {
    const twice = new Sequential();
    twice.add(input({ shape: [2] }));
    expect(() => twice.add(input({ shape: [2] }))).toThrow(ValueError);
    const names = new Sequential();
    names.add(layers.dense({ units: 2, name: 'dense' }));
    expect(() => names.add(layers.dense({ units: 2, name: 'dense' }))).toThrow(/unique/);
    const empty = new Sequential();
    const x = tf.ones([3, 2]);
    expect(() => empty.predict(x)).toThrow(/no layers/);
    const conflict = new Sequential();
    conflict.add(input({ shape: [2] }));
    conflict.add(layers.dense({ units: 2 }));
    expect(() => conflict.build([3, 4])).toThrow(ShapeError);
    expect(() => conflict.build([3, 2])).not.toThrow();
    x.dispose();
  });

  // test_serialization (unbuilt deferred, built deferred, regular)
  it('test_serialization: unbuilt, built and regular models round-trip', () => {
    const deferred = new Sequential({ name: 'seq' });
    deferred.add(layers.dense({ units: 4 }));
    deferred.add(layers.dense({ units: 5 }));
    expect(Sequential.fromJSON(JSON.parse(JSON.stringify(deferred.toJSON()))).layers).toHaveLength(
      2,
    );
    deferred.build([2, 3]);
    expect(Sequential.fromJSON(JSON.parse(JSON.stringify(deferred.toJSON()))).layers).toHaveLength(
      2,
    );
    const regular = sequential([
      input({ shape: [2] }),
      layers.dense({ units: 4 }),
      layers.dense({ units: 5 }),
      layers.dense({ units: 6 }),
    ]);
    const revived = Sequential.fromJSON(JSON.parse(JSON.stringify(regular.toJSON())));
    expect(revived.layers).toHaveLength(3);
    expect(revived.outputShape).toEqual([null, 6]);
  });

  // test_functional_properties
  it('test_functional_properties: inputs, outputs, input and output shapes', () => {
    const m = new Sequential({ name: 'seq' });
    const i = input({ shape: [2] });
    m.add(i);
    m.add(layers.dense({ units: 4 }));
    expect(m.inputs).toEqual([i]);
    expect(m.outputs[0]).toBe(m.layers.at(-1)?.output);
    expect(m.inputShape).toEqual([null, 2]);
    expect(m.outputShape).toEqual([null, 4]);
  });

  // test_training_arg: a layer sees the training flag given to the model's call
  it('test_training_arg: training mode reaches the layers', () => {
    class ZeroInTraining extends Layer<'one'> {
      static override readonly className = 'ZeroInTraining';
      override call(x: tf.Tensor | tf.Tensor[], context?: { training: boolean }): tf.Tensor {
        const t = this.single(x);
        return context?.training ? tf.zerosLike(t) : tf.clone(t);
      }
    }
    const m = sequential([new ZeroInTraining({ inputShape: [20] })]);
    const x = tf.ones([4, 20]);
    expectValues(m.apply(x) as tf.Tensor, new Array(80).fill(1));
    expectValues(m.apply(x, { training: false }) as tf.Tensor, new Array(80).fill(1));
    expectValues(m.apply(x, { training: true }) as tf.Tensor, new Array(80).fill(0));
    x.dispose();
  });

  // test_bad_layer, test_compute_output_shape
  it('test_bad_layer / test_compute_output_shape', () => {
    expect(() => new Sequential().add({} as unknown as Layer)).toThrow(/expected a layer/);
    const m = sequential([layers.dense({ units: 4 }), layers.dense({ units: 8 })]);
    expect(m.computeOutputShape([1, 2])).toEqual([1, 8]);
  });
});

describe('Keras functional_test.py', () => {
  // FunctionalTest.test_basic_flow_multi_input
  it('test_basic_flow_multi_input: two inputs, added and projected', () => {
    const a = input({ shape: [3], name: 'input_a' });
    const b = input({ shape: [3], name: 'input_b' });
    const x = layers.add().apply([a, b]);
    const out = layers.dense({ units: 5 }).apply(layers.dense({ units: 4 }).apply(x));
    const m = model({ inputs: [a, b], outputs: out, name: 'basic' });
    expect(m.name).toBe('basic');
    expect(m.layers.length).toBeGreaterThanOrEqual(3);
    const ta = tf.ones([2, 3]);
    const y = m.predict([ta, ta]) as tf.Tensor;
    expect(y.shape).toEqual([2, 5]);
    expect(m.inputShape).toEqual([
      [null, 3],
      [null, 3],
    ]);
    tf.dispose([ta, y]);
  });

  // test_basic_flow_multi_output
  it('test_basic_flow_multi_output: two heads', () => {
    const i = input({ shape: [3] });
    const h = layers.dense({ units: 4 }).apply(i);
    const o1 = layers.dense({ units: 5 }).apply(h);
    const o2 = layers.dense({ units: 6 }).apply(h);
    const m = model({ inputs: i, outputs: [o1, o2] });
    const x = tf.ones([2, 3]);
    const [y1, y2] = m.predict(x) as tf.Tensor[];
    expect(y1?.shape).toEqual([2, 5]);
    expect(y2?.shape).toEqual([2, 6]);
    tf.dispose([x, y1 as tf.Tensor, y2 as tf.Tensor]);
  });

  // test_basic_flow_as_a_submodel: a functional model used as a layer
  it('test_basic_flow_as_a_submodel', () => {
    const i = input({ shape: [2] });
    const inner = model({ inputs: i, outputs: layers.dense({ units: 3 }).apply(i) });
    const j = input({ shape: [2] });
    const outer = model({ inputs: j, outputs: layers.dense({ units: 1 }).apply(inner.apply(j)) });
    const x = tf.ones([5, 2]);
    expect((outer.predict(x) as tf.Tensor).shape).toEqual([5, 1]);
    x.dispose();
  });

  // test_layer_getters
  it('test_layer_getters: by name and by index', () => {
    const i = input({ shape: [3] });
    const d = layers.dense({ units: 2, name: 'dense_named' });
    const m = model({ inputs: i, outputs: d.apply(i) });
    expect(m.getLayer('dense_named')).toBe(d);
    expect(() => m.getLayer('nope')).toThrow(/nope/);
  });

  // test_training_arg
  it('test_training_arg: dropout follows the training flag', () => {
    const i = input({ shape: [200] });
    const m = model({ inputs: i, outputs: layers.dropout({ rate: 0.5, seed: 1 }).apply(i) });
    const x = tf.ones([1, 200]);
    expect(values(m.apply(x) as tf.Tensor).every((v) => v === 1)).toBe(true);
    expect(values(m.apply(x, { training: true }) as tf.Tensor).some((v) => v === 0)).toBe(true);
    x.dispose();
  });

  // test_rank_standardization / test_rank_standardization_failure
  it('test_rank_standardization: [n] for [null, 1]; other ranks are refused', () => {
    const i = input({ shape: [1] });
    const m = model({ inputs: i, outputs: layers.dense({ units: 2 }).apply(i) });
    const flat = tf.ones([4]);
    expect((m.predict(flat) as tf.Tensor).shape).toEqual([4, 2]);
    const bad = tf.ones([4, 3, 2]);
    expect(() => m.predict(bad)).toThrow();
    tf.dispose([flat, bad]);
  });

  // test_serialization
  it('test_serialization: the same outputs after a JSON round trip', () => {
    const i = input({ shape: [3] });
    const h = layers.dense({ units: 4, activation: 'relu' }).apply(i);
    const o = layers.dense({ units: 2, activation: 'softmax' }).apply(h);
    const m = model({ inputs: i, outputs: o });
    const copy = Model.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    copy.setWeights(m.getWeights());
    const x = tf.tensor2d([[1, -2, 3]]);
    expectValues(copy.predict(x) as tf.Tensor, values(m.predict(x) as tf.Tensor));
    x.dispose();
  });

  // test_disconnected_output / test_bad_input_spec
  it('test_bad_input_spec: a wrong feature count is refused', () => {
    const i = input({ shape: [3] });
    const m = model({ inputs: i, outputs: layers.dense({ units: 1 }).apply(i) });
    const x = tf.ones([2, 4]);
    expect(() => m.predict(x)).toThrow(ShapeError);
    x.dispose();
  });
});

describe('Keras trainer_test.py', () => {
  const regression = (units = 3) => {
    const m = sequential([layers.dense({ units, inputShape: [4] })], { seed: 1 });
    m.compile({ optimizer: optimizers.sgd(), loss: 'mse', metrics: ['mse'] });
    return m;
  };

  // TestTrainer.test_fit_flow / test_fit_with_val_split
  it('test_fit_with_val_split: history has loss, val_loss and the metrics', async () => {
    const m = regression();
    const x = tf.ones([100, 4]);
    const y = tf.zeros([100, 3]);
    const h = await m.fit(x, y, { batchSize: 20, epochs: 3, validationSplit: 0.2, verbose: 0 });
    for (const key of ['loss', 'val_loss', 'mse', 'val_mse'])
      expect(h.history[key]).toHaveLength(3);
    expect(h.epoch).toEqual([0, 1, 2]);
    tf.dispose([x, y]);
  });

  // test_fit_with_different_batch_size_same_loss (a frozen model)
  it('test_fit_with_different_batch_size_same_loss: the epoch loss is the mean over rows', async () => {
    const m = regression(1);
    m.trainable = false;
    const x = tf.tensor2d(
      Array.from({ length: 400 }, (_, i) => Math.sin(i)),
      [100, 4],
    );
    const y = tf.ones([100, 1]);
    const a = (await m.fit(x, y, { batchSize: 80, verbose: 0, shuffle: false })).history['loss'];
    const b = (await m.fit(x, y, { batchSize: 100, verbose: 0 })).history['loss'];
    expect(a?.[0]).toBeCloseTo(b?.[0] as number, 5);
    tf.dispose([x, y]);
  });

  // test_evaluate_with_different_batch_size_same_loss
  it('test_evaluate_with_different_batch_size_same_loss', () => {
    const m = regression(1);
    const x = tf.tensor2d(
      Array.from({ length: 400 }, (_, i) => Math.cos(i)),
      [100, 4],
    );
    const y = tf.ones([100, 1]);
    const a = m.evaluate(x, y, { batchSize: 80 });
    const b = m.evaluate(x, y, { batchSize: 100 });
    expect(a['loss']).toBeCloseTo(b['loss'] as number, 5);
    expect(a['mse']).toBeCloseTo(b['mse'] as number, 5);
    tf.dispose([x, y]);
  });

  // test_evaluate_flow / test_predict_flow
  it('test_evaluate_flow / test_predict_flow: logs and output shapes', () => {
    const m = regression();
    const x = tf.ones([100, 4]);
    const y = tf.zeros([100, 3]);
    const logs = m.evaluate(x, y, { batchSize: 16 });
    expect(Object.keys(logs).sort()).toEqual(['loss', 'mse']);
    const p = m.predict(x, { batchSize: 16 }) as tf.Tensor;
    expect(p.shape).toEqual([100, 3]);
    tf.dispose([x, y, p]);
  });

  // fit / evaluate with sample weights (Keras sample_weight semantics: sum(w·loss)/rows)
  it('sample_weight: evaluate weighs each row; zero weights drop rows', () => {
    const m = sequential([
      layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'zeros', useBias: false }),
    ]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.tensor2d([[1], [1], [1], [1]]);
    const y = tf.tensor2d([[1], [2], [3], [4]]);
    expect(m.evaluate(x, y)['loss']).toBeCloseTo((1 + 4 + 9 + 16) / 4, 5);
    expect(m.evaluate(x, y, { sampleWeight: [1, 0, 0, 1] })['loss']).toBeCloseTo((1 + 16) / 4, 5);
    expect(m.evaluate(x, y, { sampleWeight: [2, 2, 2, 2] })['loss']).toBeCloseTo(15, 5);
    expect(() => m.evaluate(x, y, { sampleWeight: [1, 1] })).toThrow(/sampleWeight/);
    tf.dispose([x, y]);
  });

  it('compile and fit refuse bad arguments clearly', async () => {
    const m = sequential([layers.dense({ units: 1, inputShape: [1] })]);
    expect(() => m.compile({ optimizer: 'nope', loss: 'mse' })).toThrow(/Unknown optimizer/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'nope' })).toThrow(/Unknown loss/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['nope'] })).toThrow(
      /Unknown metric/,
    );
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.ones([4, 1]);
    await expect(m.fit(x, x, { epochs: 0, verbose: 0 })).rejects.toThrow(/epochs/);
    await expect(m.fit(x, x, { batchSize: 0, verbose: 0 })).rejects.toThrow(/batchSize/);
    await expect(m.fit(x, x, { validationSplit: 1, verbose: 0 })).rejects.toThrow(
      /validationSplit/,
    );
    const short = tf.ones([3, 1]);
    await expect(m.fit(x, short, { verbose: 0 })).rejects.toThrow();
    tf.dispose([x, short]);
  });
});

describe('tfjs training_weighted_test.ts: LayersModel.fit() with classWeight', () => {
  const classifier = () => {
    const m = sequential([
      layers.dense({
        units: 3,
        inputShape: [2],
        kernelInitializer: 'zeros',
        activation: 'softmax',
      }),
    ]);
    return m;
  };
  const xs = () =>
    tf.tensor2d([
      [0, 1],
      [0, 2],
      [1, 10],
      [1, 20],
      [2, -10],
      [2, -20],
    ]);

  it('One output, multi-class, one-hot encoding: loss 4.3944 then 5.3727, acc 1/3 then 2/3', async () => {
    const m = classifier();
    m.compile({
      loss: 'categorical_crossentropy',
      metrics: ['acc'],
      optimizer: optimizers.sgd({ learningRate: 1 }),
    });
    const x = xs();
    const y = tf.tensor2d([
      [1, 0, 0],
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0, 0, 1],
    ]);
    const before = tf.memory().numTensors;
    const h = await m.fit(x, y, { epochs: 2, verbose: 0, classWeight: { 0: 1, 1: 10, 2: 1 } });
    expect(tf.memory().numTensors).toBe(before);
    expect(h.history['loss']?.[0]).toBeCloseTo(4.3944, 3);
    expect(h.history['loss']?.[1]).toBeCloseTo(5.3727, 3);
    expect(h.history['acc']?.[0]).toBeCloseTo(0.3333, 3);
    expect(h.history['acc']?.[1]).toBeCloseTo(0.6667, 3);
    tf.dispose([x, y]);
  });

  it('One output, multi-class, batchSize 2, no shuffling: 59.2691 then 10.7454', async () => {
    const m = classifier();
    m.compile({
      loss: 'categorical_crossentropy',
      metrics: ['acc'],
      optimizer: optimizers.sgd({ learningRate: 1 }),
    });
    const x = xs();
    const y = tf.tensor2d([
      [1, 0, 0],
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0, 0, 1],
    ]);
    const h = await m.fit(x, y, {
      epochs: 2,
      batchSize: 2,
      shuffle: false,
      verbose: 0,
      classWeight: { 0: 1, 1: 10, 2: 1 },
    });
    expect(h.history['loss']?.[0]).toBeCloseTo(59.2691, 2);
    expect(h.history['loss']?.[1]).toBeCloseTo(10.7454, 2);
    expect(h.history['acc']?.[0]).toBeCloseTo(0.3333, 3);
    expect(h.history['acc']?.[1]).toBeCloseTo(0.3333, 3);
    tf.dispose([x, y]);
  });

  it('One output, multi-class, sparse encoding: the same losses', async () => {
    const m = classifier();
    m.compile({
      loss: 'sparse_categorical_crossentropy',
      optimizer: optimizers.sgd({ learningRate: 1 }),
    });
    const x = xs();
    const y = tf.tensor2d([[0], [0], [1], [1], [2], [2]]);
    const h = await m.fit(x, y, { epochs: 2, verbose: 0, classWeight: { 0: 1, 1: 10, 2: 1 } });
    expect(h.history['loss']?.[0]).toBeCloseTo(4.3944, 3);
    expect(h.history['loss']?.[1]).toBeCloseTo(5.3727, 3);
    tf.dispose([x, y]);
  });

  it('sampleWeight and classWeight together are refused (Keras: one or the other)', async () => {
    const m = classifier();
    m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd' });
    const x = xs();
    const y = tf.tensor2d([[0], [0], [1], [1], [2], [2]]);
    await expect(
      m.fit(x, y, { verbose: 0, classWeight: { 0: 1 }, sampleWeight: [1, 1, 1, 1, 1, 1] }),
    ).rejects.toThrow(ValueError);
    tf.dispose([x, y]);
  });
});

describe('tfjs training_test.ts', () => {
  it('fit: one epoch of SGD on a linear model moves the weights by the exact gradient', async () => {
    const m = sequential([
      layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'ones', useBias: false }),
    ]);
    m.compile({ optimizer: optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const y = tf.tensor2d([[0], [0]]);
    // pred = [3, 7]; dL/dw = (2/n)·Σ pred·x = [(3 + 21), (6 + 28)] = [24, 34]
    const h = await m.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
    expect(h.history['loss']?.[0]).toBeCloseTo((9 + 49) / 2, 5);
    expectValues(m.getWeights()[0] as tf.Tensor, [1 - 2.4, 1 - 3.4], { atol: 1e-5 });
    tf.dispose([x, y]);
  });

  it('evaluate without compile raises; predict does not need it', () => {
    const m = sequential([layers.dense({ units: 1, inputShape: [2] })]);
    const x = tf.ones([2, 2]);
    expect(() => m.evaluate(x, tf.ones([2, 1]))).toThrow(/compile/);
    expect((m.predict(x) as tf.Tensor).shape).toEqual([2, 1]);
    x.dispose();
  });

  it('fit with validationData logs a val_ key for the loss and every metric', async () => {
    const m = sequential([layers.dense({ units: 1, inputShape: [2] })]);
    m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const x = tf.ones([8, 2]);
    const y = tf.ones([8, 1]);
    const h = await m.fit(x, y, { epochs: 2, batchSize: 4, validationData: [x, y], verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(['loss', 'mae', 'val_loss', 'val_mae']);
    tf.dispose([x, y]);
  });
});
