/**
 * Small models and datasets for the trainer's tests: deterministic, tiny, and cloneable so
 * several runs can start from bit-identical weights.
 */
import { fileURLToPath } from 'node:url';
import { RngStream, type Tensor } from '@tessera/core';
import { Dataset } from '@tessera/datasets';
import {
  activations,
  type CompileArgs,
  type Layer,
  layers,
  Model,
  sequential,
} from '@tessera/layers';
import { beforeAll } from 'vitest';

/** 3-class data: labels are the argmax of a fixed linear map of 6 normal features. */
export function blobs(size: number, seed = 1): Dataset {
  const rng = RngStream.fromSeed(seed, 'blobs');
  const features = rng.fillNormal(new Float32Array(size * 6));
  const targets = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const f = features.subarray(i * 6, i * 6 + 6);
    const scores = [f[0]! + f[1]! - f[2]!, f[3]! - f[0]! + 0.5 * f[4]!, f[5]! - f[1]! + 0.3];
    targets[i] = scores.indexOf(Math.max(...scores));
  }
  return new Dataset({
    name: 'blobs',
    task: 'classification',
    featureShape: [6],
    features,
    targets,
    classNames: ['a', 'b', 'c'],
  });
}

/**
 * 64 features of which about a fifth are nonzero in each row (values in (0, 1]), 3
 * classes from fixed linear scores: input sparse enough for the resident step to read it
 * as compressed rows (its first layer then cut by columns when there are workers to share
 * it). Some rows are all zeros.
 */
export function sparseBlobs(size: number, seed = 1): Dataset {
  const rng = RngStream.fromSeed(seed, 'sparse-blobs');
  const width = 64;
  const features = new Float32Array(size * width);
  const targets = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const empty = i % 9 === 4;
    const scores = [0, 0.1, -0.1];
    for (let f = 0; f < width; f++) {
      if (empty || rng.next() >= 0.2) continue;
      const v = Math.max(1 / 256, rng.next());
      features[i * width + f] = v;
      scores[f % 3] = scores[f % 3]! + v * (f < 32 ? 1 : -0.5);
    }
    targets[i] = scores.indexOf(Math.max(...scores));
  }
  return new Dataset({
    name: 'sparse-blobs',
    task: 'classification',
    featureShape: [width],
    features,
    targets,
    classNames: ['a', 'b', 'c'],
  });
}

/**
 * blobs(size) with some of its features changed: `change` edits a copy of them (6 a row)
 * before the dataset is made.
 */
export function editedBlobs(
  size: number,
  name: string,
  change: (features: Float32Array) => void,
): Dataset {
  const base = blobs(size);
  const features = Float32Array.from(base.features);
  change(features);
  return new Dataset({
    name,
    task: 'classification',
    featureShape: [6],
    features,
    targets: base.targets as Int32Array,
    classNames: ['a', 'b', 'c'],
  });
}

/**
 * blobs(40) with `value` in row `row` (feature 0): test/fixtures/fault-probe.mjs reacts
 * when that row's batch runs (1000 throws, 2000 exits the thread, 3000 hangs, 4000 NaN).
 */
export function withSentinel(row: number, value: number): Dataset {
  return editedBlobs(40, 'faulty', (features) => {
    features[row * 6] = value;
  });
}

/** y = 2·x0 − x1 + 0.5 */
export function line(size: number, seed = 2): Dataset {
  const rng = RngStream.fromSeed(seed, 'line');
  const features = rng.fillUniform(new Float32Array(size * 2), -1, 1);
  const targets = new Float32Array(size);
  for (let i = 0; i < size; i++) targets[i] = 2 * features[2 * i]! - features[2 * i + 1]! + 0.5;
  return new Dataset({
    name: 'line',
    task: 'regression',
    featureShape: [2],
    targetShape: [1],
    features,
    targets,
  });
}

/** A Dataset of blobs' kind (6 features, 3 classes) without rows. */
export function emptyBlobs(): Dataset {
  return new Dataset({
    name: 'none',
    task: 'classification',
    featureShape: [6],
    features: new Float32Array(0),
    targets: new Int32Array(0),
    numClasses: 3,
  });
}

export interface ModelFactory {
  /** A new model with the same config and the same initial weights every time. */
  make(): Model;
}

/**
 * A small classifier of `inputs` features (6) with `hidden` relu units (8); `extra` layers
 * go between the input and the first Dense. Compiled with `optimizer` (default 'adam') and
 * `loss` (default 'categorical_crossentropy').
 */
export function classifier(
  options: {
    optimizer?: CompileArgs['optimizer'];
    loss?: CompileArgs['loss'];
    extra?: () => Layer[];
    inputs?: number;
    hidden?: number;
  } = {},
): ModelFactory {
  const build = () =>
    sequential([
      layers.input({ shape: [options.inputs ?? 6] }),
      ...(options.extra?.() ?? []),
      layers.dense({ units: options.hidden ?? 8, activation: 'relu', name: 'hidden' }),
      layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
    ]);
  return sameStart(build(), {
    optimizer: options.optimizer ?? 'adam',
    loss: options.loss ?? 'categorical_crossentropy',
  });
}

/**
 * Copies of `first` (its config and initial weights), each compiled with `compile`
 * (default Adam and categorical crossentropy) and the accuracy metric.
 */
export function sameStart(
  first: Model,
  compile: { optimizer?: CompileArgs['optimizer']; loss?: CompileArgs['loss'] } = {},
): ModelFactory {
  const json = first.toJSON();
  const weights: Tensor[] = first.getWeights();
  return {
    make() {
      const m = Model.fromJSON(json);
      m.setWeights(weights);
      m.compile({
        optimizer: compile.optimizer ?? 'adam',
        loss: compile.loss ?? 'categorical_crossentropy',
        metrics: ['accuracy'],
      });
      return m;
    },
  };
}

/** Weights of a model as plain arrays, by weight name. */
export function weightsOf(model: Model): Record<string, Float32Array> {
  return Object.fromEntries(
    model.weights.map((w) => [w.name, Float32Array.from(w.variable.dataSync())]),
  );
}

export function maxAbsDiff(
  a: Record<string, Float32Array>,
  b: Record<string, Float32Array>,
): number {
  let max = 0;
  for (const [name, values] of Object.entries(a)) {
    const other = b[name]!;
    for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]! - other[i]!));
  }
  return max;
}

export function bitwiseEqual(
  a: Record<string, Float32Array>,
  b: Record<string, Float32Array>,
): boolean {
  return Object.entries(a).every(([name, values]) => {
    const other = b[name];
    if (other === undefined || other.length !== values.length) return false;
    const x = new Uint32Array(values.buffer, values.byteOffset, values.length);
    const y = new Uint32Array(other.buffer, other.byteOffset, other.length);
    return x.every((v, i) => v === y[i]);
  });
}

/** Path of a fixture module under test/fixtures. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url));
}

/**
 * Path of test/fixtures/fault-probe.mjs: importing it registers the 'fault_probe'
 * activation; workers get it as a `customObjects` entry.
 */
export const faultProbe = fixture('fault-probe.mjs');

/** Imports {@link faultProbe} before the calling test file's tests (call at its top level). */
export function registerFaultProbe(): void {
  beforeAll(async () => {
    await import(faultProbe);
  });
}

/**
 * {@link classifier} with the 'fault_probe' Lambda (named 'probe') before its first Dense.
 * Call it after {@link registerFaultProbe}'s hook has run (inside a test).
 */
export function probedClassifier(): ModelFactory {
  return classifier({
    extra: () => [layers.lambda({ fn: activations.get('fault_probe'), name: 'probe' })],
  });
}

/** test/fixtures/faulty-optimizer.mjs: registers 'FaultyAdam', whose update of step 3 throws in worker 1. */
export const faultyOptimizer = fixture('faulty-optimizer.mjs');

/**
 * test/fixtures/late-optimizer.mjs: registers 'LateAdam', whose first worker thread to
 * begin step 2's update waits there until another began step 3's (marker files in
 * `config.dir`).
 */
export const lateOptimizer = fixture('late-optimizer.mjs');

/**
 * test/fixtures/take-over-probe.mjs: a worker thread's clock runs 1,000 s times its thread
 * id ahead, so the one with the highest id computes every row chunk another worker holds
 * when it has none left to claim, and every thread holds each chunk 0.5 ms before it
 * finishes it; creates `takeOverMarker(pid)` whenever a thread dropped a chunk another
 * finished first.
 */
export const takeOverProbe = fixture('take-over-probe.mjs');
