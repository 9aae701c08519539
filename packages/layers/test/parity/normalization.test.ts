/**
 * Normalization layers, translated from the peers' suites: Keras 3
 * `keras/src/layers/normalization/{batch,layer}_normalization_test.py`,
 * `keras/src/layers/preprocessing/normalization_test.py`, and tfjs-layers
 * `src/layers/normalization_test.ts`. Keras's random data is a seeded normal sample here.
 */
import { Rng, ShapeError, type Tensor, tf, ValueError } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type BatchNormalization,
  clearSession,
  deserializeLayer,
  type LayerNormalization,
  layers,
  type Normalization,
  regularizers,
  sequential,
  serializeLayer,
} from '../../src/index.js';
import { runLayerTest } from '../../src/testing/layer-test.js';
import { expectValues, values } from './helpers.js';

beforeEach(() => {
  clearSession();
});

/** A normal sample (mean `loc`, standard deviation `scale`) of `shape`, seeded. */
function normal(shape: number[], loc: number, scale: number, seed = 7): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Rng(seed).stream('parity').fillNormal(new Float32Array(n), loc, scale);
  return tf.tensor(out, shape);
}

/** Mean and standard deviation of each index along the last axis, over all other axes. */
function statsPerFeature(t: Tensor): { mean: number[]; std: number[] } {
  const features = t.shape.at(-1) as number;
  const data = values(t);
  const mean = new Array(features).fill(0);
  const sq = new Array(features).fill(0);
  const count = data.length / features;
  data.forEach((v, i) => {
    mean[i % features] += v / count;
  });
  data.forEach((v, i) => {
    sq[i % features] += (v - mean[i % features]) ** 2 / count;
  });
  return { mean, std: sq.map(Math.sqrt) };
}

describe('Keras batch_normalization_test.py', () => {
  // BatchNormalizationTest.test_bn_basics (vector case; center/scale off; the regularized case)
  it('test_bn_basics: weights 2 trainable + 2 non-trainable, or 0 + 2', async () => {
    await runLayerTest({
      layer: () => layers.batchNormalization({ center: true, scale: true }),
      inputShape: [2, 3],
      expectedOutputShape: [2, 3],
      expectedWeightShapes: [[3], [3], [3], [3]],
      expectedTrainableWeights: 2,
    });
    const off = layers.batchNormalization({ center: false, scale: false });
    off.build([null, 3]);
    expect(off.trainableWeights).toHaveLength(0);
    expect(off.nonTrainableWeights).toHaveLength(2);
  });

  // test_correctness (axis -1 and 1; momentum 0; three training calls; moving statistics)
  for (const [axis, shape] of [
    [-1, [200, 2, 3]],
    [1, [200, 3, 2]],
  ] as const) {
    it(`test_correctness: axis ${axis}, input ${JSON.stringify(shape)}`, () => {
      const layer = layers.batchNormalization({ axis, momentum: 0 });
      const x = normal([...shape], 5, 10);
      let out = x;
      for (let i = 0; i < 3; i++) {
        const next = layer.apply(out, { training: true });
        if (out !== x) out.dispose();
        out = next;
      }
      // gamma 1, beta 0: the output itself is normalised per feature.
      const perm = axis === 1 ? tf.transpose(out, [0, 2, 1]) : out;
      const { mean, std } = statsPerFeature(perm);
      if (perm !== out) out.dispose();
      for (const m of mean) expect(Math.abs(m)).toBeLessThan(1e-3);
      // The biased batch variance plus ε=1e-3 in the denominator: std ≈ 1 − 5e-4.
      for (const s of std) expect(Math.abs(s - 1)).toBeLessThan(1e-3);
      expectValues(layer.movingMean!.value.clone(), new Array(shape[axis === 1 ? 1 : 2]).fill(0), {
        atol: 1e-3,
      });
      expectValues(
        layer.movingVariance!.value.clone(),
        new Array(shape[axis === 1 ? 1 : 2]).fill(1),
        { atol: 2e-3 },
      );
      // With momentum 0, inference after a training call equals that training call.
      const training = layer.apply(x, { training: true });
      const inference = layer.apply(x, { training: false });
      expectValues(inference, values(training), { atol: 1e-4 });
      x.dispose();
    });
  }

  // test_trainable_behavior: a frozen layer runs in inference mode even when training.
  it('test_trainable_behavior: frozen → inference statistics; unfrozen → batch statistics', () => {
    const layer = layers.batchNormalization({
      axis: -1,
      momentum: 0.8,
      epsilon: 1e-7,
    }) as BatchNormalization;
    layer.build([null, 4, 4, 3]);
    layer.trainable = false;
    expect(layer.weights).toHaveLength(4);
    expect(layer.trainableWeights).toHaveLength(0);
    expect(layer.nonTrainableWeights).toHaveLength(4);
    const x = normal([200, 4, 4, 3], 5, 10);
    // Moving mean 0 and variance 1: the output is the input.
    expectValues(layer.apply(x, { training: true }), values(x.clone()), { atol: 1e-3, rtol: 1e-5 });
    layer.trainable = true;
    expect(layer.trainableWeights).toHaveLength(2);
    expect(layer.nonTrainableWeights).toHaveLength(2);
    let out = layer.apply(x, { training: true });
    for (let i = 0; i < 9; i++) {
      out.dispose();
      out = layer.apply(x, { training: true });
    }
    const { mean, std } = statsPerFeature(out);
    for (const m of mean) expect(Math.abs(m)).toBeLessThan(1e-3);
    for (const s of std) expect(Math.abs(s - 1)).toBeLessThan(1e-3);
    x.dispose();
  });

  // test_bn_basics (the regularized case): beta and gamma regularizers add to the loss.
  it('test_bn_basics: gamma and beta regularizers add 0.01·Σw² each', () => {
    const m = sequential([
      layers.batchNormalization({
        inputShape: [3],
        gammaRegularizer: 'l2',
        betaRegularizer: 'l2',
        betaInitializer: 'ones',
      }),
    ]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.zeros([2, 3]);
    // Inference: (0 − 0)/sqrt(1 + ε)·1 + 1 = 1 = target → loss is the penalty: 0.01·(3 + 3).
    const y = tf.ones([2, 3]);
    expect(m.evaluate(x, y)['loss']).toBeCloseTo(0.06, 5);
    tf.dispose([x, y]);
  });

  // test_serialization
  it('test_serialization: the config round-trips', () => {
    const layer = layers.batchNormalization({
      momentum: 0.9,
      epsilon: 1e-5,
      center: false,
      axis: 1,
    });
    const back = deserializeLayer(JSON.parse(JSON.stringify(serializeLayer(layer))));
    expect(back.getConfig()).toEqual(layer.getConfig());
  });

  it('bad arguments raise in the Keras form', () => {
    expect(() => layers.batchNormalization({ momentum: 1.5 })).toThrow(/momentum/);
    expect(() => layers.batchNormalization({ epsilon: 0 })).toThrow(/epsilon/);
    expect(() => layers.batchNormalization({ axis: 0.5 })).toThrow(ValueError);
  });
});

describe('Keras layer_normalization_test.py', () => {
  // LayerNormalizationTest.test_ln_basics
  it('test_ln_basics: regularizers, initializers, no center/scale, rms_scaling, several axes', async () => {
    await runLayerTest({
      layer: () =>
        layers.layerNormalization({
          gammaRegularizer: regularizers.l2(0.01),
          betaRegularizer: regularizers.l2(0.01),
        }),
      inputShape: [3, 4, 2],
      expectedOutputShape: [3, 4, 2],
      expectedWeightShapes: [[2], [2]],
    });
    await runLayerTest({
      layer: () => layers.layerNormalization({ gammaInitializer: 'ones', betaInitializer: 'ones' }),
      inputShape: [3, 4, 2],
      expectedOutputShape: [3, 4, 2],
      expectedWeightShapes: [[2], [2]],
    });
    await runLayerTest({
      layer: () => layers.layerNormalization({ scale: false, center: false }),
      inputShape: [3, 3],
      expectedOutputShape: [3, 3],
      expectedWeightShapes: [],
      trainingStep: false,
    });
    await runLayerTest({
      layer: () => layers.layerNormalization({ rmsScaling: true }),
      inputShape: [3, 3],
      expectedOutputShape: [3, 3],
      expectedWeightShapes: [[3]],
    });
    await runLayerTest({
      layer: () => layers.layerNormalization({ axis: [-3, -2, -1] }),
      inputShape: [2, 4, 4, 3],
      expectedOutputShape: [2, 4, 4, 3],
      expectedWeightShapes: [
        [4, 4, 3],
        [4, 4, 3],
      ],
    });
  });

  it('test_ln_basics: the regularizers add to the loss', () => {
    const m = sequential([
      layers.layerNormalization({ inputShape: [2], gammaRegularizer: 'l2', betaRegularizer: 'l1' }),
    ]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tf.tensor2d([[1, -1]]);
    const y = tf.tensor2d([[1, -1]]);
    // Output ≈ x·(1/sqrt(1 + ε)); penalty 0.01·Σγ² + 0.01·Σ|β| = 0.02.
    const out = 1 / Math.sqrt(1 + 1e-3);
    expect(m.evaluate(x, y)['loss']).toBeCloseTo((1 - out) ** 2 + 0.02, 6);
    tf.dispose([x, y]);
  });

  // test_invalid_axis, test_out_of_bounds_axis, test_duplicate_axis
  it('test_invalid_axis / out of bounds / duplicate axes', () => {
    expect(() => layers.layerNormalization({ axis: { axis: -1 } as unknown as number })).toThrow(
      ValueError,
    );
    const x = tf.zeros([2, 4]);
    for (const axis of [2, 99, -3, -99]) {
      expect(() => layers.layerNormalization({ axis }).apply(x)).toThrow(/out of bounds/);
    }
    expect(() => layers.layerNormalization({ axis: [0, 99] }).apply(x)).toThrow(/out of bounds/);
    expect(() => layers.layerNormalization({ axis: 99 }).build([2, 4])).toThrow(ShapeError);
    expect(() => layers.layerNormalization({ axis: 99 }).computeOutputShape([2, 4])).toThrow(
      /out of bounds/,
    );
    expect(() => layers.layerNormalization({ axis: [-1, 1] }).apply(x)).toThrow(/duplicate axes/);
    expect(() => layers.layerNormalization({ axis: [1, 1] }).apply(x)).toThrow(/duplicate axes/);
    x.dispose();
  });

  // test_correctness
  it('test_correctness: (out − β)/γ has mean 0 and std 1', () => {
    const layer = layers.layerNormalization() as LayerNormalization;
    const x = normal([1000, 2, 2, 2], 5, 10);
    const out = layer.apply(x);
    const all = values(out);
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    const std = Math.sqrt(all.reduce((a, b) => a + (b - mean) ** 2, 0) / all.length);
    expect(Math.abs(mean)).toBeLessThan(0.1);
    expect(Math.abs(std - 1)).toBeLessThan(0.1);
    x.dispose();
  });

  // test_output, test_output_with_rms_scaling
  it('test_output / test_output_with_rms_scaling: [0 … 4]', () => {
    const x = tf.tensor2d([[0, 1, 2, 3, 4]]);
    expectValues(
      layers.layerNormalization({ betaInitializer: 'ones', gammaInitializer: 'ones' }).apply(x),
      [[-0.41386, 0.29307, 1, 1.70693, 2.41386]],
    );
    expectValues(
      layers.layerNormalization({ rmsScaling: true, gammaInitializer: 'ones' }).apply(x),
      [[0, 0.70693, 1.41386, 2.12079, 2.82772]],
    );
    x.dispose();
  });

  // test_unsorted_axis
  it('test_unsorted_axis: [-2, -1] and [-1, -2] agree', () => {
    const x = normal([2, 3, 4], 0, 1);
    const a = layers.layerNormalization({ axis: [-2, -1] }).apply(x);
    const b = layers.layerNormalization({ axis: [-1, -2] }).apply(x);
    expect(a.shape).toEqual([2, 3, 4]);
    expectValues(a, values(b));
    x.dispose();
  });

  it('the config round-trips with axis, rmsScaling, regularizers and constraints', () => {
    const layer = layers.layerNormalization({
      axis: [1, 2],
      rmsScaling: true,
      gammaRegularizer: 'l2',
      betaConstraint: 'non_neg',
      epsilon: 1e-5,
    });
    const back = deserializeLayer(JSON.parse(JSON.stringify(serializeLayer(layer))));
    expect(back.getConfig()).toEqual(layer.getConfig());
    expect(back.getConfig()['axis']).toEqual([1, 2]);
  });
});

describe('Keras preprocessing/normalization_test.py', () => {
  // test_normalization_basics (given mean and variance) and test_normalization_with_scalar_mean_var
  it('test_normalization_basics: (x − mean)/sqrt(var) with given statistics; invert undoes it', () => {
    const x = tf.tensor2d([[1, 2, 3]]);
    expectValues(layers.normalization({ mean: 3, variance: 2 }).apply(x), [
      (1 - 3) / Math.SQRT2,
      (2 - 3) / Math.SQRT2,
      0,
    ]);
    expectValues(
      layers.normalization({ mean: [1, 2, 3], variance: [1, 4, 9], invert: true }).apply(x),
      [1 + 1, 2 + 2 * 2, 3 + 3 * 3],
    );
    x.dispose();
  });

  // test_normalization_adapt (np and tensor inputs), test_adapt_list_of_batches
  it('test_normalization_adapt: after adapt, each feature has mean 0 and variance 1', () => {
    const x = normal([32, 4], 0.5, 0.3, 11);
    for (const data of [x, Array.from({ length: 4 }, (_, i) => tf.slice(x, [i * 8, 0], [8, 4]))]) {
      const layer = layers.normalization() as Normalization;
      layer.adapt(data);
      expect(layer.built).toBe(true);
      const { mean, std } = statsPerFeature(layer.apply(x));
      for (const m of mean) expect(Math.abs(m)).toBeLessThan(1e-5);
      for (const s of std) expect(Math.abs(s * s - 1)).toBeLessThan(1e-4);
      if (Array.isArray(data)) tf.dispose(data);
    }
    x.dispose();
  });

  // test_normalization_with_mean_only_raises_error / variance only
  it('test_normalization_with_mean_only / variance_only raise', () => {
    expect(() => layers.normalization({ mean: 0.5 })).toThrow(/both mean and variance/);
    expect(() => layers.normalization({ variance: 0.1 })).toThrow(/both mean and variance/);
  });

  // test_normalization_axis_too_high / too_low
  it('test_normalization_axis_too_high / too_low raise', () => {
    expect(() => layers.normalization({ axis: 3 }).build([2, 2])).toThrow(ShapeError);
    expect(() => layers.normalization({ axis: -4 }).build([2, 3, 4])).toThrow(ShapeError);
  });

  // test_normalization_unknown_axis_shape
  it('test_normalization_unknown_axis_shape raises', () => {
    expect(() => layers.normalization({ axis: 1 }).build([null, null])).toThrow(ShapeError);
  });

  // test_normalization_adapt_with_incompatible_shape
  it('test_normalization_adapt_with_incompatible_shape raises', () => {
    const layer = layers.normalization({ axis: -1 }) as Normalization;
    layer.build([10, 5]);
    const data = tf.ones([10, 3]);
    expect(() => layer.adapt(data)).toThrow(/incompatible shape/);
    data.dispose();
  });

  // test_scalar_broadcast
  it('test_scalar_broadcast: a scalar mean fills every feature', () => {
    const layer = layers.normalization({ axis: -1, mean: 5, variance: 1 }) as Normalization;
    layer.build([3, 7]);
    expectValues(layer.mean!.value.clone(), new Array(7).fill(5));
  });

  // test_adapt_empty_iterable_raises
  it('test_adapt_empty_iterable_raises', () => {
    expect(() => (layers.normalization() as Normalization).adapt([])).toThrow(ValueError);
  });
});

describe('tfjs normalization_test.ts: BatchNormalization', () => {
  it('inference with given moving statistics, gamma and beta', () => {
    const layer = layers.batchNormalization({
      movingMeanInitializer: 'ones',
      movingVarianceInitializer: 'ones',
      gammaInitializer: 'ones',
      betaInitializer: 'zeros',
      epsilon: 0.001,
    });
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const k = 1 / Math.sqrt(1.001);
    expectValues(layer.apply(x), [0, k, 2 * k, 3 * k]);
    x.dispose();
  });

  it('training mode: each column is normalised by the batch statistics', () => {
    const layer = layers.batchNormalization({ epsilon: 0 + 1e-9 });
    const x = tf.tensor2d([
      [1, 10],
      [3, 30],
    ]);
    expectValues(layer.apply(x, { training: true }), [-1, -1, 1, 1], { atol: 1e-4 });
    // momentum 0.99: the moving statistics moved 1% of the way to [2, 20] and [1, 100].
    expectValues(layer.movingMean!.value.clone(), [0.02, 0.2]);
    expectValues(layer.movingVariance!.value.clone(), [0.99 + 0.01, 0.99 + 1]);
    x.dispose();
  });
});
