/**
 * Dense, translated from the peers' suites:
 * Keras 3 `keras/src/layers/core/dense_test.py` (DenseTest) and tfjs-layers
 * `src/layers/core_test.ts` ('Dense Layer: Symbolic', 'Dense Layer: Tensor').
 */
import { NotFoundError, ShapeError, tf, ValueError } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  clearSession,
  Dense,
  deserializeLayer,
  input,
  layers,
  NonNeg,
  sequential,
  serializeLayer,
} from '../../src/index.js';
import { runLayerTest } from '../../src/testing/layer-test.js';
import { expectValues, scalar } from './helpers.js';

beforeEach(() => {
  clearSession();
});

/** Builds a Dense for `[?, 2]` inputs with the kernel (and bias) the Keras tests set. */
function denseWith(args: Parameters<typeof layers.dense>[0], bias?: number[]): Dense {
  const layer = layers.dense(args);
  layer.build([1, 2]);
  const w: tf.Tensor[] = [
    tf.tensor2d([
      [1, -2],
      [3, -4],
    ]),
  ];
  if (bias !== undefined) w.push(tf.tensor1d(bias));
  layer.setWeights(w);
  tf.dispose(w);
  return layer;
}

describe('Keras dense_test.py', () => {
  // DenseTest.test_dense_basics (2D, no bias; 3D with two regularizers)
  it('test_dense_basics: shapes and weight counts, with and without bias', async () => {
    await runLayerTest({
      layer: () =>
        layers.dense({
          units: 4,
          activation: 'relu',
          kernelInitializer: 'random_uniform',
          biasInitializer: 'ones',
          useBias: false,
        }),
      inputShape: [2, 3],
      expectedOutputShape: [2, 4],
      expectedWeightShapes: [[3, 4]],
      expectedTrainableWeights: 1,
    });
    await runLayerTest({
      layer: () =>
        layers.dense({
          units: 5,
          activation: 'sigmoid',
          kernelRegularizer: 'l2',
          biasRegularizer: 'l2',
        }),
      inputShape: [2, 3, 4],
      expectedOutputShape: [2, 3, 5],
      expectedWeightShapes: [[4, 5], [5]],
      expectedTrainableWeights: 2,
    });
  });

  // test_dense_basics: expected_num_losses=2 — both regularizers add to the loss.
  it('test_dense_basics: kernel and bias regularizers both add 0.01·Σw² to the loss', () => {
    const m = sequential([
      layers.dense({
        units: 2,
        inputShape: [2],
        kernelInitializer: 'ones',
        biasInitializer: 'ones',
        kernelRegularizer: 'l2',
        biasRegularizer: 'l2',
      }),
    ]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.tensor2d([[0, 0]]);
    const y = tf.tensor2d([[1, 1]]);
    // Prediction = bias = 1, so the mse is 0; the penalty is 0.01·(4 + 2).
    expect(m.evaluate(x, y)['loss']).toBeCloseTo(0.06, 6);
    tf.dispose([x, y]);
  });

  // DenseTest.test_dense_invalid_units_raises: zero, negative, float, none, string
  it.each([0, -3, 2.5, null, '64', undefined])(
    'test_dense_invalid_units_raises: units=%s',
    (units) => {
      expect(() => layers.dense({ units: units as number })).toThrow(ValueError);
      expect(() => layers.dense({ units: units as number })).toThrow(/positive integer/);
    },
  );

  // DenseTest.test_dense_correctness
  it('test_dense_correctness: relu(x·W + b) and the bare matmul', () => {
    const x = tf.tensor2d([[-1, 2]]);
    expectValues(denseWith({ units: 2, activation: 'relu' }, [5, -6]).apply(x), [[10, 0]]);
    const noBias = denseWith({ units: 2, useBias: false });
    expect(noBias.bias).toBeUndefined();
    expectValues(noBias.apply(x), [[5, -6]]);
    x.dispose();
  });

  // test_dense_no_activation, test_dense_without_activation_set, test_dense_with_activation
  it('test_dense_no_activation / with_activation: null and linear are identity; relu clips', () => {
    const x = tf.tensor2d([[-1, 2]]);
    expectValues(denseWith({ units: 2, useBias: false, activation: null }).apply(x), [[5, -6]]);
    expectValues(denseWith({ units: 2, useBias: false, activation: 'linear' }).apply(x), [[5, -6]]);
    expectValues(denseWith({ units: 2, useBias: false, activation: 'relu' }).apply(x), [[5, 0]]);
    x.dispose();
  });

  // DenseTest.test_dense_errors: "incompatible with the layer"
  it('test_dense_errors: a second call with another last dimension raises', () => {
    const layer = layers.dense({ units: 2, activation: 'relu' });
    layer.apply(input({ shape: [2] }));
    expect(() => layer.apply(input({ shape: [3] }))).toThrow(ShapeError);
    expect(() => layer.apply(input({ shape: [3] }))).toThrow(/last dimension is 2/);
  });

  // DenseTest.test_dense_constraints
  it('test_dense_constraints: non_neg by name becomes a NonNeg on the weight', () => {
    const k = layers.dense({ units: 2, kernelConstraint: 'non_neg' });
    k.build([null, 2]);
    expect(k.kernelConstraint).toBeInstanceOf(NonNeg);
    const b = layers.dense({ units: 2, biasConstraint: 'non_neg' });
    b.build([null, 2]);
    expect(b.biasConstraint).toBeInstanceOf(NonNeg);
  });
});

describe('tfjs core_test.ts: Dense Layer: Symbolic', () => {
  // 'Generates correct symbolic output' for every activation and input rank (batch null).
  for (const activation of [null, 'linear', 'relu', 'softmax'] as const) {
    for (const shape of [[4], [10, 4], [12, 10, 4]]) {
      it(`Generates correct symbolic output: activation=${activation}, shape=[null,${shape}]`, () => {
        const layer = layers.dense({ units: 3, activation });
        const x = input({ shape });
        const y = layer.apply(x);
        expect(y.shape).toEqual([null, ...shape.slice(0, -1), 3]);
        expect(y.sourceLayer).toBe(layer);
      });
    }
  }

  it('2D cascade: With undetermined dimension', () => {
    const x = input({ shape: [4] });
    const h = layers.dense({ units: 3 }).apply(x);
    const y = layers.dense({ units: 6 }).apply(h);
    expect(h.shape).toEqual([null, 3]);
    expect(y.shape).toEqual([null, 6]);
  });

  it('Using 1D input leads to error', () => {
    expect(() => layers.dense({ units: 3 }).build([4])).toThrow(ShapeError);
  });

  it('Different rank but compatible shape works', () => {
    const layer = layers.dense({ units: 3 });
    expect(layer.apply(input({ shape: [4] })).shape).toEqual([null, 3]);
    expect(layer.apply(input({ shape: [6, 4] })).shape).toEqual([null, 6, 3]);
  });

  it('2D incompatible shape leads to error', () => {
    const layer = layers.dense({ units: 3 });
    layer.apply(input({ shape: [4] }));
    expect(() => layer.apply(input({ shape: [5] }))).toThrow(ShapeError);
  });

  it('Invalid kernelInitializer', () => {
    expect(() => layers.dense({ units: 4, kernelInitializer: 'invalid_initializer!' })).toThrow(
      /Unknown initializer/,
    );
  });

  it('Invalid activation', () => {
    expect(() => layers.dense({ units: 4, activation: 'invalid_activation!' })).toThrow(
      NotFoundError,
    );
    expect(() => layers.dense({ units: 4, activation: 'invalid_activation!' })).toThrow(
      /Unknown activation/,
    );
  });

  it('Invalid units leads to Error, naming the value received', () => {
    for (const [units, shown] of [
      [10.9, '10.9'],
      [0.5, '0.5'],
      [0, '0'],
      [-2, '-2'],
      ['2', '"2"'],
    ] as const) {
      expect(() => layers.dense({ units: units as number })).toThrow(
        new RegExp(`units must be a positive integer.*Received: units=${shown}`),
      );
    }
    expect(() => layers.dense({ units: [] as unknown as number })).toThrow(/positive integer/);
  });
});

describe('tfjs core_test.ts: Dense Layer: Tensor', () => {
  // 'Call once' over useBias × biasInitializer × activation × input width, kernel of ones.
  for (const useBias of [undefined, false, true]) {
    for (const biasInitializer of ['zeros', 'ones'] as const) {
      for (const activation of [null, 'linear', 'relu', 'softmax'] as const) {
        for (const width of [5, 8]) {
          it(`Call once: useBias=${useBias}, bias=${biasInitializer}, ${activation}, width=${width}`, () => {
            const layer = layers.dense({
              units: 6,
              useBias,
              biasInitializer,
              activation,
              kernelInitializer: 'ones',
            });
            const x = tf.ones([2, width]);
            let expected = width + (useBias !== false && biasInitializer === 'ones' ? 1 : 0);
            if (activation === 'softmax') expected = 1 / 6;
            expectValues(layer.apply(x), new Array(12).fill(expected));
            x.dispose();
            layer.dispose();
          });
        }
      }
    }
  }

  it('Calling apply again with incompatible shape leads to error', () => {
    const layer = layers.dense({ units: 4, kernelInitializer: 'ones' });
    const [a, b, c] = [tf.ones([2, 2]), tf.ones([3, 2]), tf.ones([3, 3])];
    expectValues(layer.apply(a), new Array(8).fill(2));
    expectValues(layer.apply(b), new Array(12).fill(2));
    expect(() => layer.apply(c)).toThrow(ShapeError);
    tf.dispose([a, b, c]);
  });

  it('Calling apply with compatible symbolic input after Tensor input works', () => {
    const layer = layers.dense({ units: 4, kernelInitializer: 'ones' });
    const a = tf.ones([2, 2]);
    expectValues(layer.apply(a), new Array(8).fill(2));
    expect(layer.apply(input({ shape: [2] })).shape).toEqual([null, 4]);
    expect(() => layer.apply(input({ shape: [3] }))).toThrow(ShapeError);
    a.dispose();
  });
});

describe('Dense config (Keras get_config keys, tfjs serialization round trip)', () => {
  it('carries every Keras argument under its camelCase name and round-trips', () => {
    const layer = layers.dense({
      units: 3,
      activation: 'tanh',
      useBias: false,
      kernelInitializer: 'he_normal',
      kernelRegularizer: 'l1',
      kernelConstraint: 'max_norm',
      name: 'd',
    });
    const config = layer.getConfig();
    for (const key of [
      'name',
      'trainable',
      'units',
      'activation',
      'useBias',
      'kernelInitializer',
      'biasInitializer',
      'kernelRegularizer',
      'biasRegularizer',
      'kernelConstraint',
      'biasConstraint',
      'activityRegularizer',
    ]) {
      expect(config).toHaveProperty(key);
    }
    expect(config['units']).toBe(3);
    expect(config['activation']).toBe('tanh');
    expect(config['useBias']).toBe(false);
    const copy = deserializeLayer(JSON.parse(JSON.stringify(serializeLayer(layer)))) as Dense;
    expect(copy).toBeInstanceOf(Dense);
    expect(copy.getConfig()).toEqual(config);
  });

  it('activity regularizer: l2 on the output adds 0.01·Σy²/batch to the loss', () => {
    const m = sequential([
      layers.dense({
        units: 1,
        inputShape: [1],
        kernelInitializer: 'ones',
        activityRegularizer: 'l2',
      }),
    ]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.tensor2d([[1], [3]]);
    // Prediction equals the target, so the loss is the penalty alone: 0.01·(1 + 9) / 2.
    expect(scalar(tf.scalar(m.evaluate(x, x)['loss'] as number))).toBeCloseTo(0.05, 6);
    x.dispose();
  });
});
