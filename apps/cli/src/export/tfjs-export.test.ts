/**
 * The TF.js export, checked the only way that matters: @tensorflow/tfjs-layers loads the
 * written files and predicts what Tessera predicts (within 1e-5), for every layer and
 * activation that has a TF.js equivalent; the rest fail with a clear ExportError.
 */
import { join } from 'node:path';
import { Rng, tf } from '@tessera/core';
import {
  activations,
  model as functional,
  input,
  layers,
  type Model,
  sequential,
} from '@tessera/layers';
import { afterAll, describe, expect, it } from 'vitest';
import { mnistMlp } from '../models/mnist-mlp.js';
import { weightsOf } from '../testing/model-weights.js';
import { tempFolder } from '../testing/temp.js';
import { loadTfjsFolder, tfjsPredict } from '../testing/tfjs-loader.js';
import { ExportError } from './keras-names.js';
import { TFJS_WEIGHTS_FILE, tfjsArtifacts, writeTfjsModel } from './tfjs-artifacts.js';

const tmp = tempFolder('tessera-export-');
afterAll(() => tmp.cleanup());
let counter = 0;

function randomRows(rows: number, shape: number[], seed: number): Float32Array {
  const size = rows * shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  const stream = new Rng(seed).stream('inputs');
  for (let i = 0; i < size; i++) out[i] = stream.normal() * 2;
  return out;
}

function tesseraPredict(m: Model, x: Float32Array, shape: number[]): Float32Array {
  const input = tf.tensor(x, shape);
  const y = m.predict(input) as tf.Tensor;
  const data = y.dataSync() as Float32Array;
  tf.dispose([input, y]);
  return data;
}

/** Exports `m`, loads it with tfjs-layers, and compares predictions on random rows. */
async function roundTrip(m: Model, exampleShape: number[], rows = 7): Promise<number> {
  const dir = join(tmp.dir, `m${counter++}`);
  await writeTfjsModel(dir, tfjsArtifacts({ model: m.toJSON(), weights: weightsOf(m) }));
  const loaded = await loadTfjsFolder(dir);
  const x = randomRows(rows, exampleShape, counter);
  const expected = tesseraPredict(m, x, [rows, ...exampleShape]);
  const actual = tfjsPredict(loaded, x, [rows, ...exampleShape]);
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(
      worst,
      Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)),
    );
  }
  loaded.dispose();
  return worst;
}

describe('TF.js export: tfjs-layers predicts what Tessera predicts', () => {
  const same = [
    'linear',
    'relu',
    'relu6',
    'sigmoid',
    'tanh',
    'softmax',
    'log_softmax',
    'elu',
    'selu',
    'gelu',
    'swish',
    'softplus',
    'softsign',
    'mish',
  ];
  it.each(same)('Dense with activation %s', async (activation) => {
    const m = sequential(
      [layers.dense({ units: 6, activation, inputShape: [5] }), layers.dense({ units: 3 })],
      { seed: 3 },
    );
    expect(await roundTrip(m, [5])).toBeLessThan(1e-5);
  });

  it('leaky_relu as a Dense activation (exported as Dense + LeakyReLU)', async () => {
    const m = sequential(
      [
        layers.dense({ units: 6, activation: 'leaky_relu', inputShape: [4] }),
        layers.dense({ units: 2 }),
      ],
      { seed: 4 },
    );
    expect(await roundTrip(m, [4])).toBeLessThan(1e-5);
  });

  it('Flatten, Reshape, Dropout, Activation and the activation layers', async () => {
    const m = sequential(
      [
        layers.flatten({ inputShape: [2, 3] }),
        layers.dense({ units: 8, activation: 'linear' }),
        layers.reshape({ targetShape: [2, 4] }),
        layers.flatten(),
        layers.dropout({ rate: 0.3 }),
        layers.leakyReLU({ alpha: 0.1 }),
        layers.dense({ units: 8 }),
        layers.elu(),
        layers.dense({ units: 8 }),
        layers.relu({ maxValue: 1.5 }),
        layers.dense({ units: 8 }),
        layers.relu({ negativeSlope: 0.05 }),
        layers.activation({ activation: 'tanh' }),
        layers.activation({ activation: 'leaky_relu' }),
        layers.dense({ units: 4 }),
        layers.softmax(),
      ],
      { seed: 5 },
    );
    expect(await roundTrip(m, [2, 3])).toBeLessThan(1e-5);
  });

  it('Maxout (exported as Dense → Reshape → GlobalMaxPooling1D with reordered columns)', async () => {
    const m = sequential(
      [layers.maxout({ units: 4, pieces: 3, inputShape: [5] }), layers.dense({ units: 2 })],
      { seed: 6 },
    );
    expect(await roundTrip(m, [5])).toBeLessThan(1e-5);
  });

  it('a functional model with branches, Concatenate, Add and a rewritten activation', async () => {
    const x = input({ shape: [4], name: 'features' });
    const a = layers.dense({ units: 6, activation: 'leaky_relu', name: 'a' }).apply(x);
    const b = layers.dense({ units: 6, activation: 'tanh', name: 'b' }).apply(a);
    const c = layers.dense({ units: 6, name: 'c' }).apply(a);
    const sum = layers.add({ name: 'sum' }).apply([b, c]);
    const joined = layers.concatenate({ name: 'joined' }).apply([sum, a]);
    const out = layers.dense({ units: 3, activation: 'softmax', name: 'out' }).apply(joined);
    const m = functional({ inputs: x, outputs: out, name: 'branches', seed: 7 });
    expect(await roundTrip(m, [4])).toBeLessThan(1e-5);
  });

  it('the MNIST-sized model (101,770 weights)', async () => {
    const m = mnistMlp.create({ seed: 8 });
    expect(await roundTrip(m, [28, 28], 16)).toBeLessThan(1e-5);
  });

  it('writes the manifest in model order and little-endian float32 weights', () => {
    const m = sequential([layers.dense({ units: 2, inputShape: [3] })], { seed: 9 });
    const weights = weightsOf(m);
    const { modelJson, weightData } = tfjsArtifacts({
      model: m.toJSON(),
      weights,
      metadata: { tessera: { task: 'regression' } },
    });
    const manifest = (
      modelJson['weightsManifest'] as Array<{
        paths: string[];
        weights: Array<{ name: string; shape: number[] }>;
      }>
    )[0]!;
    expect(manifest.paths).toEqual([TFJS_WEIGHTS_FILE]);
    expect(manifest.weights.map((w) => [w.name, w.shape])).toEqual(
      weights.map((w) => [w.name, w.shape]),
    );
    expect(weightData.length).toBe((6 + 2) * 4);
    const view = new DataView(weightData.buffer);
    expect(view.getFloat32(4, true)).toBe(weights[0]!.values[1]);
    const topology = modelJson['modelTopology'] as Record<string, unknown>;
    expect(topology['class_name']).toBe('Sequential');
    expect(topology['keras_version']).toBe('tfjs-layers 4.22.0');
    const list = (
      topology['config'] as {
        layers: Array<{ class_name: string; config: Record<string, unknown> }>;
      }
    ).layers;
    const dense = list.find((l) => l.class_name === 'Dense')!;
    expect(dense.config['use_bias']).toBe(true);
    expect(dense.config['kernel_initializer']).toMatchObject({ class_name: 'GlorotUniform' });
    expect(list.some((l) => JSON.stringify(l.config['batch_input_shape']) === '[null,3]')).toBe(
      true,
    );
    expect(modelJson['userDefinedMetadata']).toEqual({ tessera: { task: 'regression' } });
  });
});

describe('TF.js export: what TF.js cannot load fails clearly', () => {
  activations.register('cli_test_cube', (x) => tf.mul(x, tf.mul(x, x)));
  const cases: Array<[string, () => Model, RegExp]> = [
    [
      'a Lambda layer',
      () =>
        sequential([
          layers.dense({ units: 2, inputShape: [2] }),
          layers.lambda({ fn: 'cli_test_cube' }),
        ]),
      /Lambda layer runs a JavaScript function/,
    ],
    [
      'a custom activation',
      () => sequential([layers.dense({ units: 2, activation: 'cli_test_cube', inputShape: [2] })]),
      /activation "cli_test_cube" is a custom function/,
    ],
    [
      'hard_sigmoid',
      () => sequential([layers.dense({ units: 2, activation: 'hard_sigmoid', inputShape: [2] })]),
      /hardSigmoid uses the Keras 2 slope/,
    ],
    [
      'exponential',
      () => sequential([layers.dense({ units: 2, activation: 'exponential', inputShape: [2] })]),
      /no exponential activation/,
    ],
    [
      'a thresholded ReLU',
      () => sequential([layers.relu({ threshold: 0.5, inputShape: [2] })]),
      /ReLU with a threshold/,
    ],
    [
      'an ELU with alpha other than 1',
      () => sequential([layers.elu({ alpha: 0.5, inputShape: [2] })]),
      /supports only alpha 1/,
    ],
  ];
  it.each(cases)('%s', (_, build, message) => {
    const m = build();
    let error: unknown;
    try {
      tfjsArtifacts({ model: m.toJSON(), weights: weightsOf(m) });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ExportError);
    expect((error as ExportError).userError).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});
