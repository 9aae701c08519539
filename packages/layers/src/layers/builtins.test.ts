/**
 * Every built-in class declares the keys it accepts, and its own config — with the optional
 * keys a representative layer writes — uses only those keys and loads back unchanged.
 */
import { tf } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  activations,
  clearSession,
  deserializeLayer,
  InputLayer,
  input,
  type Layer,
  type LayerClass,
  layers,
  model,
  sequential,
} from '../index.js';
import { BUILTIN_LAYER_CLASSES } from './builtins.js';

activations.register('builtins_test_abs', (x: tf.Tensor) => tf.abs(x));

beforeEach(() => {
  clearSession();
});

/** One layer per built-in class, by className, with its optional arguments set. */
const SAMPLES: Record<string, () => Layer> = {
  InputLayer: () => new InputLayer({ shape: [4], name: 'in', dtype: 'int32' }),
  Dense: () =>
    layers.dense({
      units: 3,
      activation: 'relu',
      useBias: false,
      kernelInitializer: 'he_normal',
      kernelRegularizer: 'l2',
      kernelConstraint: 'non_neg',
      activityRegularizer: 'l1',
      inputShape: [4],
      trainable: false,
    }),
  Flatten: () => layers.flatten({ inputShape: [2, 3] }),
  Reshape: () => layers.reshape({ targetShape: [3, -1] }),
  Activation: () => layers.activation({ activation: 'tanh' }),
  Lambda: () => layers.lambda({ fn: 'builtins_test_abs', outputShape: [4] }),
  Dropout: () => layers.dropout({ rate: 0.3, seed: 7, noiseShape: [null, 1] }),
  LeakyReLU: () => layers.leakyReLU({ negativeSlope: 0.1 }),
  ELU: () => layers.elu({ alpha: 0.5 }),
  ReLU: () => layers.relu({ maxValue: 6, negativeSlope: 0.1, threshold: 0.5 }),
  Softmax: () => layers.softmax({ axis: [1, 2] }),
  Maxout: () => layers.maxout({ units: 2, pieces: 3, biasRegularizer: 'l1' }),
  Concatenate: () => layers.concatenate({ axis: 1 }),
  Add: () => layers.add({ name: 'plus' }),
  LayerNormalization: () =>
    layers.layerNormalization({
      axis: [1],
      epsilon: 1e-5,
      rmsScaling: true,
      gammaRegularizer: 'l2',
    }),
  Normalization: () => layers.normalization({ mean: [1, 2], variance: [4, 9], invert: true }),
  BatchNormalization: () =>
    layers.batchNormalization({
      momentum: 0.9,
      center: false,
      betaConstraint: 'max_norm',
      movingVarianceInitializer: 'ones',
    }),
  GaussianNoise: () => layers.gaussianNoise({ stddev: 0.2, seed: 3 }),
  GaussianDropout: () => layers.gaussianDropout({ rate: 0.2, seed: 4 }),
  AlphaDropout: () => layers.alphaDropout({ rate: 0.1, seed: 5, noiseShape: [null, 1] }),
  ActivityRegularization: () => layers.activityRegularization({ l1: 0.01, l2: 0.02 }),
  Sequential: () =>
    sequential([input({ shape: [4] }), layers.dense({ units: 2, name: 'inner' })], {
      name: 'seq',
    }),
  Functional: () => {
    const x = input({ shape: [4], name: 'x' });
    const h = layers.dense({ units: 3, name: 'h' }).apply(x);
    return model({ inputs: x, outputs: layers.dropout({ rate: 0.5, name: 'd' }).apply(h) });
  },
};

/** The keys a class's config may hold: its configKeys where it has them, else argKeys. */
function acceptedConfigKeys(cls: LayerClass): readonly string[] {
  const withConfig = cls as LayerClass & { configKeys?: readonly string[] };
  return withConfig.configKeys ?? cls.argKeys;
}

describe('built-in layer classes', () => {
  it('each declares its own argKeys and has a sample here', () => {
    for (const cls of BUILTIN_LAYER_CLASSES) {
      expect(Object.hasOwn(cls, 'argKeys'), `${cls.className} declares argKeys`).toBe(true);
      expect(new Set(cls.argKeys).size, `${cls.className}: no key twice`).toBe(cls.argKeys.length);
    }
    expect(Object.keys(SAMPLES).sort()).toEqual(
      BUILTIN_LAYER_CLASSES.map((cls) => cls.className).sort(),
    );
  });

  it.each(Object.keys(SAMPLES))('%s: its config keys are accepted and it loads back', (name) => {
    const layer = (SAMPLES[name] as () => Layer)();
    const cls = layer.constructor as unknown as LayerClass;
    expect(cls.className).toBe(name);
    const config = layer.getConfig();
    const accepted = acceptedConfigKeys(cls);
    for (const key of Object.keys(config)) expect(accepted, `${name} config key`).toContain(key);
    const saved = JSON.parse(JSON.stringify({ className: name, config }));
    const copy = deserializeLayer(saved);
    expect(copy.className).toBe(name);
    expect(copy.getConfig()).toEqual(config);
    layer.dispose();
    copy.dispose();
  });
});
