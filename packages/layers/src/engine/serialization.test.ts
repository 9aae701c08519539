import { FormatError, NotFoundError, type Tensor, tf } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  clearSession,
  initializers,
  input,
  Layer,
  layers,
  Model,
  model,
  registerLayer,
  Sequential,
  type Shape,
  sequential,
  type Weight,
} from '../index.js';

beforeEach(() => {
  clearSession();
});

/** Copies weights from `a` to `b` and checks both predict the same on `x`. */
function expectSamePredictions(a: Model, b: Model, x: Tensor | Tensor[]): void {
  const weights = a.getWeights();
  b.setWeights(weights);
  tf.dispose(weights);
  const ya = a.predict(x);
  const yb = b.predict(x);
  const la = Array.isArray(ya) ? ya : [ya];
  const lb = Array.isArray(yb) ? yb : [yb];
  expect(lb.length).toBe(la.length);
  la.forEach((t, i) => {
    expect(Array.from((lb[i] as Tensor).dataSync())).toEqual(Array.from(t.dataSync()));
  });
  tf.dispose([...la, ...lb]);
}

describe('model JSON', () => {
  it('has the model-config envelope, camelCase keys and layers as { className, config }', () => {
    const m = sequential(
      [input({ shape: [4] }), layers.dense({ units: 2, name: 'l1', activation: 'relu' })],
      { name: 'tiny' },
    );
    const json = m.toJSON();
    expect(json.format).toBe('tessera-model');
    expect(json.version).toBe(1);
    expect(json.className).toBe('Sequential');
    expect(json.config['name']).toBe('tiny');
    const list = json.config['layers'] as { className: string; config: Record<string, unknown> }[];
    expect(list.map((l) => l.className)).toEqual(['InputLayer', 'Dense']);
    expect(list[0]?.config).toEqual({
      name: 'input_layer',
      batchShape: [null, 4],
      dtype: 'float32',
    });
    expect(list[1]?.config['useBias']).toBe(true);
    expect(JSON.stringify(json)).not.toMatch(/_[a-z]+"\s*:/);
    m.dispose();
  });

  it('round-trips a Sequential model (built and unbuilt)', () => {
    const m = sequential([
      layers.flatten({ inputShape: [2, 3] }),
      layers.dense({ units: 4, activation: 'tanh', kernelRegularizer: 'l2' }),
      layers.dropout({ rate: 0.25, seed: 3 }),
      layers.reshape({ targetShape: [2, 2] }),
      layers.softmax({ axis: 1 }),
    ]);
    const text = JSON.stringify(m);
    const copy = Model.fromJSON(text);
    expect(copy).toBeInstanceOf(Sequential);
    expect(copy.toJSON()).toEqual(m.toJSON());
    const x = tf.randomNormal([3, 2, 3]);
    expectSamePredictions(m, copy, x);
    const lazy = sequential([layers.dense({ units: 2 })], { name: 'lazy' });
    const lazyCopy = Sequential.fromJSON(lazy.toJSON());
    expect(lazyCopy.built).toBe(false);
    expect(lazyCopy.layers.map((l) => l.className)).toEqual(['Dense']);
    tf.dispose(x);
    m.dispose();
    copy.dispose();
  });

  it('round-trips a functional model with two inputs, two outputs, a shared layer and a nested model', () => {
    const a = input({ shape: [3], name: 'a' });
    const b = input({ shape: [3], name: 'b' });
    const shared = layers.dense({ units: 2, name: 'shared', activation: 'relu' });
    const inner = sequential([layers.dense({ units: 2, inputShape: [4], name: 'inner_dense' })], {
      name: 'inner',
    });
    const joined = layers.concatenate({ name: 'join' }).apply([shared.apply(a), shared.apply(b)]);
    const y1 = inner.apply(joined);
    const y2 = layers.dense({ units: 1, name: 'second' }).apply(joined);
    const m = model({ inputs: [a, b], outputs: [y1, y2], name: 'multi' });
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    expect(json.className).toBe('Functional');
    const sharedEntry = json.config.layers.find((l: { name: string }) => l.name === 'shared');
    expect(sharedEntry.inboundNodes).toEqual([[['a', 0, 0]], [['b', 0, 0]]]);
    expect(json.config.outputLayers).toEqual([
      ['inner', 0, 0],
      ['second', 0, 0],
    ]);
    const copy = Model.fromJSON(json);
    expect(copy.className).toBe('Functional');
    expect(copy.layers.map((l) => l.name)).toEqual(m.layers.map((l) => l.name));
    expect(copy.toJSON()).toEqual(m.toJSON());
    const xa = tf.randomNormal([2, 3]);
    const xb = tf.randomNormal([2, 3]);
    expectSamePredictions(m, copy, [xa, xb]);
    tf.dispose([xa, xb]);
    m.dispose();
    copy.dispose();
  });

  it('keeps a call fixed to a mode (apply(x, { training })) as the node kwargs of its refs', () => {
    const x = input({ shape: [4], name: 'x' });
    const h = layers.dense({ units: 3, name: 'h' }).apply(x);
    const off = layers.dropout({ rate: 0.5, name: 'off' }).apply(h, { training: false });
    const on = layers.dropout({ rate: 0.5, name: 'on' }).apply(off, { training: true });
    const m = model({ inputs: x, outputs: layers.dense({ units: 2, name: 'y' }).apply(on) });
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    const entry = (name: string) =>
      json.config.layers.find((l: { name: string }) => l.name === name).inboundNodes;
    expect(entry('off')).toEqual([[['h', 0, 0, { training: false }]]]);
    expect(entry('on')).toEqual([[['off', 0, 0, { training: true }]]]);
    expect(entry('y')).toEqual([[['on', 0, 0]]]);
    const copy = Model.fromJSON(json);
    const modes = (mm: Model) => mm.layers.map((l) => l.inboundNodes[0]?.training);
    expect(modes(copy)).toEqual([undefined, undefined, false, true, undefined]);
    expect(copy.toJSON()).toEqual(m.toJSON());
    // The restored mode runs: a Dropout fixed to training drops even in predict.
    const xi = input({ shape: [200], name: 'xi' });
    const always = model({
      inputs: xi,
      outputs: layers.dropout({ rate: 0.5 }).apply(xi, { training: true }),
    });
    const restored = Model.fromJSON(JSON.stringify(always.toJSON()));
    const ones = tf.ones([1, 200]);
    const y = restored.predict(ones) as Tensor;
    const values = Array.from(y.dataSync());
    expect(values.filter((v) => v === 0).length).toBeGreaterThan(50);
    expect(values.filter((v) => v === 2).length).toBeGreaterThan(50);
    tf.dispose([ones, y]);
    always.dispose();
    restored.dispose();
    m.dispose();
    copy.dispose();
  });

  it('loads calls without kwargs in the model mode, and refuses malformed kwargs', () => {
    const x = input({ shape: [4], name: 'x' });
    const d = layers.dropout({ rate: 0.5, name: 'd' }).apply(x, { training: false });
    const m = model({ inputs: x, outputs: layers.dense({ units: 2, name: 'y' }).apply(d) });
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    const dEntry = json.config.layers.find((l: { name: string }) => l.name === 'd');
    dEntry.inboundNodes = [[['x', 0, 0]]]; // as configs written before the kwargs
    expect(Model.fromJSON(json).layers[1]?.inboundNodes[0]?.training).toBeUndefined();
    dEntry.inboundNodes = [[['x', 0, 0, { training: 'no' }]]];
    expect(() => Model.fromJSON(json)).toThrow(FormatError);
    expect(() => Model.fromJSON(json)).toThrow(
      'Functional config, layer "d": expected call kwargs { training?: boolean }. Received: kwargs={"training":"no"}',
    );
    m.dispose();
  });

  it('round-trips a feature extractor built on a Sequential model', () => {
    const m = sequential([
      input({ shape: [4] }),
      layers.dense({ units: 2, name: 'l1' }),
      layers.dense({ units: 3, name: 'y' }),
    ]);
    const extractor = model({ inputs: m.inputs, outputs: m.layers.map((l) => l.output) });
    const copy = Model.fromJSON(extractor.toJSON());
    const x = tf.ones([1, 4]);
    expectSamePredictions(extractor, copy, x);
    tf.dispose(x);
    m.dispose();
    copy.dispose();
  });

  it('rejects what is not a model file, naming the problem', () => {
    expect(() => Model.fromJSON('{')).toThrow(FormatError);
    expect(() => Model.fromJSON({ format: 'keras', version: 1 })).toThrow(
      'Received: format="keras"',
    );
    expect(() =>
      Model.fromJSON({ format: 'tessera-model', version: 9, className: 'Sequential', config: {} }),
    ).toThrow('Received: version=9');
    const unknown = {
      format: 'tessera-model',
      version: 1,
      className: 'Sequential',
      config: { name: 's', layers: [{ className: 'Mystery', config: {} }] },
    };
    expect(() => Model.fromJSON(unknown)).toThrow(NotFoundError);
    expect(() => Model.fromJSON(unknown)).toThrow(/Unknown layer class "Mystery".*registerLayer/);
    const i = input({ shape: [1] });
    const f = model({ inputs: i, outputs: layers.dense({ units: 1 }).apply(i) });
    expect(() => Sequential.fromJSON(f.toJSON())).toThrow('Received: className="Functional"');
    f.dispose();
  });
});

/** A user-defined layer: multiplies each feature by a learned scale. */
class Scale extends Layer<'one'> {
  static override readonly className = 'Scale';
  scale: Weight | undefined;
  override build(shape: Shape | Shape[]): void {
    const s = shape as Shape;
    this.scale = this.addWeight({
      name: 'scale',
      shape: [s.at(-1) as number],
      initializer: initializers.get('ones'),
    });
    super.build(shape);
  }
  override call(x: Tensor | Tensor[]): Tensor {
    return tf.mul(this.single(x), (this.scale as Weight).value);
  }
}

describe('custom layers', () => {
  it('load after registerLayer, and fail clearly before', () => {
    const m = sequential([input({ shape: [2] }), new Scale({ name: 'scale' })]);
    const json = m.toJSON();
    expect(() => Model.fromJSON(json)).toThrow(/Unknown layer class "Scale"/);
    registerLayer(Scale);
    const copy = Model.fromJSON(json);
    expect(copy.getLayer('scale')).toBeInstanceOf(Scale);
    registerLayer(Scale);
    class Impostor extends Scale {}
    expect(() => registerLayer(Impostor)).toThrow(
      'A layer class named "Scale" is already registered; pass { override: true } to replace it',
    );
    const x = tf.tensor([[2, 3]]);
    expectSamePredictions(m, copy, x);
    tf.dispose(x);
    m.dispose();
    copy.dispose();
  });
});
