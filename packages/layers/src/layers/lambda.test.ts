import { NotFoundError, tf, ValueError } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import {
  activations,
  deserializeLayer,
  type Lambda,
  layers,
  Sequential,
  sequential,
} from '../index.js';
import { runLayerTest } from '../testing/layer-test.js';

const absFn = (x: tf.Tensor) => tf.abs(x);
const myRelu = (x: tf.Tensor) => tf.maximum(x, 0);
activations.register('lambda_test_abs', absFn);
activations.register('my_relu', myRelu);

describe('Lambda', () => {
  it('passes the layer harness with a registered function', async () => {
    await runLayerTest({
      layer: () => layers.lambda({ fn: absFn }),
      inputShape: [3, 4],
      expectedOutputShape: [3, 4],
      expectedWeightShapes: [],
    });
    await runLayerTest({
      layer: () => layers.lambda({ fn: 'my_relu' }),
      inputShape: [3, 4],
      expectedOutputShape: [3, 4],
      expectedWeightShapes: [],
    });
  });

  it('runs the course example lambda x: tf.abs(x)', () => {
    const x = tf.tensor([[-1.5, 2, -3]]);
    const y = layers.lambda({ fn: (v) => tf.abs(v) }).apply(x);
    expect(Array.from(y.dataSync())).toEqual([1.5, 2, 3]);
    tf.dispose([x, y]);
  });

  it("runs the course's MNIST net with my_relu via tf.maximum(x, 0)", () => {
    const m = sequential([
      layers.flatten({ inputShape: [28, 28] }),
      layers.dense({ units: 128 }),
      layers.lambda({ fn: myRelu, name: 'my_relu_layer' }),
      layers.dense({ units: 10, activation: 'softmax' }),
    ]);
    expect(m.countParams()).toBe(101_770);
    const x = tf.randomUniform([2, 28, 28]);
    const probe = sequential([
      layers.flatten({ inputShape: [28, 28] }),
      m.getLayer(1),
      m.getLayer('my_relu_layer'),
    ]);
    const h = probe.predict(x) as tf.Tensor;
    expect(Math.min(...h.dataSync())).toBeGreaterThanOrEqual(0);
    const y = m.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 10]);
    const sums = tf.sum(y, 1);
    for (const s of sums.dataSync()) expect(s).toBeCloseTo(1, 5);
    // saved by name, loaded back through the registry
    const again = Sequential.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect((again.getLayer('my_relu_layer') as Lambda).fn).toBe(myRelu);
    tf.dispose([x, h, y, sums]);
    m.dispose();
    again.dispose();
  });

  it('infers the output shape by running the function, or takes outputShape', () => {
    const halve = layers.lambda({ fn: (v) => tf.slice(v, [0, 0], [-1, 2]) });
    expect(halve.computeOutputShape([null, 4])).toEqual([null, 2]);
    const declared = layers.lambda({ fn: absFn, outputShape: [7] });
    expect(declared.computeOutputShape([null, 7])).toEqual([null, 7]);
  });

  it('cannot save an unregistered function, and loading an unknown name fails clearly', () => {
    const anonymous = layers.lambda({ fn: (v) => tf.neg(v) });
    expect(() => anonymous.getConfig()).toThrow(ValueError);
    expect(() => anonymous.getConfig()).toThrow(/activations\.register/);
    const saved = {
      className: 'Lambda',
      config: { name: 'l', trainable: true, fn: 'never_registered_fn' },
    };
    expect(() => deserializeLayer(saved)).toThrow(NotFoundError);
    expect(() => deserializeLayer(saved)).toThrow(/never_registered_fn.*activations\.register/);
  });

  it('rejects a missing function', () => {
    expect(() => layers.lambda({ fn: 42 as unknown as string })).toThrow('Received: fn=42');
  });
});
