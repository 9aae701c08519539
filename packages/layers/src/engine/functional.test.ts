import { StateError, tf, ValueError } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearSession, input, layers, Model, model, SymbolicTensor, sequential } from '../index.js';

beforeEach(() => {
  clearSession();
});

function courseModel() {
  return sequential(
    [
      input({ shape: [4] }),
      layers.dense({ units: 2, activation: 'relu', name: 'l1' }),
      layers.dense({ units: 3, activation: 'relu', name: 'l2' }),
      layers.dense({ units: 3, name: 'y' }),
    ],
    { name: 'my_model' },
  );
}

describe('functional models', () => {
  it("course: a feature extractor from getLayer('y').output computes what the model computes", () => {
    const m = courseModel();
    const extractor = model({ inputs: m.inputs, outputs: m.getLayer('y').output });
    const x = tf.ones([1, 4]);
    const features = extractor.predict(x) as tf.Tensor;
    const direct = m.predict(x);
    expect(features.shape).toEqual([1, 3]);
    expect(Array.from(features.dataSync())).toEqual(Array.from(direct.dataSync()));
    // the extractor shares the model's weights, it does not copy them
    expect(extractor.weights.map((w) => w.variable)).toEqual(m.weights.map((w) => w.variable));
    tf.dispose([x, features, direct]);
    m.dispose();
  });

  it("course: outputs = every layer's output gives one tensor per layer, each the running value", () => {
    const m = courseModel();
    const extractor = model({ inputs: m.inputs, outputs: m.layers.map((l) => l.output) });
    const x = tf.ones([1, 4]);
    const features = extractor.apply(x) as tf.Tensor[];
    expect(features.map((f) => f.shape)).toEqual([
      [1, 2],
      [1, 3],
      [1, 3],
    ]);
    // recompute layer by layer from the weights, in float64
    const ws = m.getWeights().map((t) => {
      const v = { shape: t.shape, data: Array.from(t.dataSync(), Number) };
      t.dispose();
      return v;
    });
    let h = [1, 1, 1, 1];
    const relu = [true, true, false];
    for (let k = 0; k < 3; k++) {
      const kernel = ws[2 * k] as { shape: number[]; data: number[] };
      const bias = ws[2 * k + 1] as { data: number[] };
      const [n, units] = kernel.shape as [number, number];
      const next: number[] = [];
      for (let u = 0; u < units; u++) {
        let z = bias.data[u] as number;
        for (let i = 0; i < n; i++) z += (h[i] as number) * (kernel.data[i * units + u] as number);
        next.push(relu[k] ? Math.max(0, z) : z);
      }
      const got = (features[k] as tf.Tensor).dataSync();
      next.forEach((v, u) => {
        expect(got[u]).toBeCloseTo(v, 5);
      });
      h = next;
    }
    tf.dispose([x, ...features]);
    m.dispose();
  });

  it('supports several inputs and outputs and shared layers', () => {
    const a = input({ shape: [3], name: 'a' });
    const b = input({ shape: [3], name: 'b' });
    const shared = layers.dense({ units: 2, name: 'shared' });
    const ha = shared.apply(a);
    const hb = shared.apply(b);
    const joined = layers.concatenate({ name: 'join' }).apply([ha, hb]);
    const out = layers.dense({ units: 1, name: 'out' }).apply(joined);
    const m = model({ inputs: [a, b], outputs: [out, ha] });
    expect(m.layers.map((l) => l.name)).toEqual(['a', 'b', 'shared', 'join', 'out']);
    expect(m.countParams()).toBe(3 * 2 + 2 + 4 * 1 + 1);
    expect(() => shared.output).toThrow(/called 2 times/);
    expect(shared.getOutputAt(1)).toBe(hb);
    expect(shared.getInputAt(0)).toBe(a);
    const xa = tf.tensor([[1, 2, 3]]);
    const xb = tf.tensor([[-1, 0, 2]]);
    const [y, h] = m.predict([xa, xb]) as tf.Tensor[];
    const direct = shared.apply(xa);
    expect(Array.from((h as tf.Tensor).dataSync())).toEqual(Array.from(direct.dataSync()));
    expect((y as tf.Tensor).shape).toEqual([1, 1]);
    tf.dispose([xa, xb, y as tf.Tensor, h as tf.Tensor, direct]);
    m.dispose();
  });

  it('nests: a model applied to symbolic inputs is a layer of a bigger model', () => {
    const inner = sequential([layers.dense({ units: 3, inputShape: [2], name: 'inner_dense' })], {
      name: 'inner',
    });
    const x = input({ shape: [2] });
    const h = inner.apply(x);
    expect(h).toBeInstanceOf(SymbolicTensor);
    expect(h.shape).toEqual([null, 3]);
    const y = layers.dense({ units: 1, name: 'top' }).apply(h);
    const outer = model({ inputs: x, outputs: y, name: 'outer' });
    expect(outer.layers.map((l) => l.name)).toEqual(['input_layer_1', 'inner', 'top']);
    expect(outer.weights.map((w) => w.name)).toEqual([
      'inner_dense/kernel',
      'inner_dense/bias',
      'top/kernel',
      'top/bias',
    ]);
    const data = tf.tensor([[0.5, -1]]);
    const viaOuter = outer.predict(data) as tf.Tensor;
    const innerOut = inner.predict(data);
    const viaParts = outer.getLayer('top').apply(innerOut) as tf.Tensor;
    expect(Array.from(viaOuter.dataSync())).toEqual(Array.from(viaParts.dataSync()));
    tf.dispose([data, viaOuter, innerOut, viaParts]);
    outer.dispose();
  });

  it('explains a disconnected graph, a bad input and a layer never called', () => {
    const a = input({ shape: [2], name: 'a' });
    const b = input({ shape: [2], name: 'b' });
    const y = layers.add().apply([a, b]);
    expect(() => model({ inputs: a, outputs: y })).toThrow(/graph disconnected.*"b"/);
    const h = layers.dense({ units: 2 }).apply(a);
    expect(() => model({ inputs: h, outputs: y })).toThrow(/inputs must come from input/);
    expect(() => model({ inputs: a, outputs: [] })).toThrow(ValueError);
    expect(() => layers.dense({ units: 1 }).output).toThrow(StateError);
    expect(() => layers.dense({ units: 1 }).output).toThrow(/never been called/);
    expect(() => model({ inputs: a, outputs: 3 as unknown as SymbolicTensor })).toThrow(
      'Received: outputs=3',
    );
  });

  it('model.input and model.output are its own tensors', () => {
    const a = input({ shape: [2] });
    const y = layers.dense({ units: 2 }).apply(a);
    const m = new Model({ inputs: a, outputs: y });
    expect(m.input).toBe(a);
    expect(m.output).toBe(y);
    // Keras-shaped, like outputShape: the batch dimension is null.
    expect(m.inputShape).toEqual([null, 2]);
    expect(m.outputShape).toEqual([null, 2]);
    m.dispose();
    const b = input({ shape: [3] });
    const two = new Model({ inputs: [a, b], outputs: layers.concatenate().apply([a, b]) });
    expect(two.inputShape).toEqual([
      [null, 2],
      [null, 3],
    ]);
    expect(two.inputShapes).toEqual([
      [null, 2],
      [null, 3],
    ]);
    two.dispose();
  });
});
