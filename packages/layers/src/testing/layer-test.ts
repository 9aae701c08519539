/**
 * `runLayerTest`: the one harness every layer's test runs (after Keras's
 * `run_layer_test`). For a layer and its input shape(s) it checks:
 *
 * 1. the output shape of a real call matches `computeOutputShape` (and the expected one),
 *    for concrete and for symbolic inputs;
 * 2. the number and shapes of the weights;
 * 3. one training step (SGD on a mean-squared error, through `fit`) changes every
 *    trainable weight;
 * 4. the config round-trips: `deserializeLayer(serializeLayer(layer))`, given the same
 *    weights, predicts identically (the config is passed through JSON text on the way);
 * 5. finite-difference gradients of the output w.r.t. the inputs and every weight match
 *    the analytic ones (`checkGradients` from @tessera/core);
 * 6. no tensor leaks: `tf.memory().numTensors` is back where it started.
 *
 * ```ts
 * await runLayerTest({ layer: () => layers.dense({ units: 3 }), inputShape: [2, 4],
 *                      expectedOutputShape: [2, 3], expectedWeightShapes: [[4, 3], [3]] });
 * await runLayerTest({ layer: () => layers.add(), inputShapes: [[2, 3], [2, 3]] });
 * ```
 */
import {
  checkGradients,
  type GradientCheckOptions,
  RngStream,
  type Tensor,
  tf,
  ValueError,
} from '@tessera/core';
import { expect } from 'vitest';
import type { Layer } from '../engine/layer.js';
import { deserializeLayer, serializeLayer } from '../engine/layer-registry.js';
import { withWeightValues } from '../engine/layer-weight.js';
import type { Shape } from '../engine/shape.js';
import { SymbolicTensor } from '../engine/symbolic.js';
import { input, model } from '../index.js';

/** What `runLayerTest` checks. */
export interface LayerTestSpec {
  /** Makes a fresh, unbuilt layer. */
  layer: () => Layer<'one'>;
  /** Full input shape with a concrete batch, e.g. `[3, 4]` (layers with one input). */
  inputShape?: number[];
  /** Full input shapes, one per input (layers with several inputs). */
  inputShapes?: number[][];
  /** Full expected output shape. */
  expectedOutputShape?: number[];
  /** Expected weight shapes in `weights` order (their count is checked too). */
  expectedWeightShapes?: number[][];
  /** Number of trainable weights (default: all of them). */
  expectedTrainableWeights?: number;
  /** Run the training-step check (default true). */
  trainingStep?: boolean;
  /** Gradient check: false to skip, or tolerances (default core's). */
  gradientCheck?: boolean | GradientCheckOptions;
  /** Seed of the inputs and targets (default 1). */
  seed?: number;
}

/** Seeded values with magnitudes in [0.1, 1]: away from the kinks at 0 of relu-like layers. */
function randomTensor(shape: number[], stream: RngStream): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const magnitude = 0.1 + 0.9 * stream.next();
    values[i] = stream.next() < 0.5 ? -magnitude : magnitude;
  }
  return tf.tensor(values, shape, 'float32');
}

function expectChanged(before: Float32Array, after: Float32Array, name: string): void {
  let changed = false;
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) changed = true;
  expect(changed, `training step did not change weight ${name}`).toBe(true);
}

/** One tensor for a one-input layer, the list otherwise. */
function pack<T>(list: T[]): T | T[] {
  return list.length === 1 ? (list[0] as T) : list;
}

/** Runs every check above; fails the current vitest test on the first mismatch. */
export async function runLayerTest(spec: LayerTestSpec): Promise<void> {
  const shapes = spec.inputShapes ?? (spec.inputShape === undefined ? [] : [spec.inputShape]);
  if (shapes.length === 0) throw new ValueError('runLayerTest: give inputShape or inputShapes');
  const before = tf.memory().numTensors;
  const stream = RngStream.fromSeed(spec.seed ?? 1, 'layer-test');
  const xs = shapes.map((s) => randomTensor(s, stream));
  const batch = shapes[0]?.[0] ?? 1;

  // 1. shapes, concrete and symbolic
  const layer = spec.layer();
  expect(layer.built).toBe(false);
  const y = layer.apply(pack(xs));
  expect(layer.built).toBe(true);
  expect(y.shape).toEqual(layer.computeOutputShape(pack(shapes.map((s) => [...s] as Shape))));
  if (spec.expectedOutputShape !== undefined) expect(y.shape).toEqual(spec.expectedOutputShape);
  const inputs = shapes.map((s) => input({ shape: s.slice(1) }));
  const symbolic = layer.apply(pack(inputs));
  expect(symbolic).toBeInstanceOf(SymbolicTensor);
  expect(symbolic.shape).toEqual(
    layer.computeOutputShape(pack(shapes.map((s) => [null, ...s.slice(1)] as Shape))),
  );

  // 2. weights
  const weights = layer.weights;
  if (spec.expectedWeightShapes !== undefined) {
    expect(weights.map((w) => w.shape)).toEqual(spec.expectedWeightShapes);
    const copies = layer.getWeights();
    expect(copies.map((t) => t.shape)).toEqual(spec.expectedWeightShapes);
    tf.dispose(copies);
  }
  expect(layer.trainableWeights.length).toBe(spec.expectedTrainableWeights ?? weights.length);
  expect(layer.countParams()).toBe(weights.reduce((n, w) => n + w.size, 0));

  // 3. one training step changes the trainable weights
  if (spec.trainingStep !== false && layer.trainableWeights.length > 0) {
    const m = model({ inputs, outputs: symbolic });
    m.compile({ optimizer: { className: 'SGD', config: { learningRate: 0.1 } }, loss: 'mse' });
    const target = randomTensor(y.shape, stream);
    const start = layer.trainableWeights.map((w) => Float32Array.from(w.variable.dataSync()));
    await m.fit(pack(xs), target, {
      epochs: 1,
      batchSize: batch,
      shuffle: false,
      verbose: 0,
      seed: 1,
    });
    layer.trainableWeights.forEach((w, i) => {
      expectChanged(start[i] as Float32Array, w.variable.dataSync() as Float32Array, w.name);
    });
    target.dispose();
  }

  // 4. config round-trip with the same weights predicts identically
  const config = JSON.parse(JSON.stringify(serializeLayer(layer))) as unknown;
  const copy = deserializeLayer(config) as Layer<'one'>;
  expect(copy.className).toBe(layer.className);
  expect(JSON.parse(JSON.stringify(serializeLayer(copy)))).toEqual(config);
  copy.apply(pack(xs)).dispose();
  const values = layer.getWeights();
  copy.setWeights(values);
  tf.dispose(values);
  const a = layer.apply(pack(xs));
  const b = copy.apply(pack(xs));
  expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
  tf.dispose([a, b]);

  // 5. gradients w.r.t. the inputs and each weight match finite differences
  if (spec.gradientCheck !== false) {
    const options = typeof spec.gradientCheck === 'object' ? spec.gradientCheck : {};
    const params = weights.map((w) => w.read());
    const f = (...args: Tensor[]): Tensor =>
      withWeightValues(
        weights,
        args.slice(xs.length),
        () => layer.call(pack(args.slice(0, xs.length)), { training: false }) as Tensor,
      );
    const report = checkGradients(f, [...xs, ...params], options);
    expect(report.worst, `gradient mismatch ${JSON.stringify(report.worst)}`).toBeUndefined();
    expect(report.ok).toBe(true);
    tf.dispose(params);
  }

  // 6. no leaks
  tf.dispose([y, ...xs]);
  layer.dispose();
  copy.dispose();
  expect(tf.memory().numTensors).toBe(before);
}
