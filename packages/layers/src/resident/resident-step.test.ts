import { PerformanceObserver } from 'node:perf_hooks';
import { Rng, RngStream, type Tensor, tf } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { input } from '../engine/input-layer.js';
import type { Model } from '../engine/model.js';
import { trainableOffsets } from '../engine/parameters.js';
import { sequential } from '../engine/sequential.js';
import { TrainingStep } from '../engine/training-step.js';
import { layers, losses, metrics } from '../index.js';
import type { Loss } from '../losses/index.js';
import { residentHarness } from '../testing/resident-harness.js';
import type { TargetKind } from './plan.js';

/** uint8 rows, ~20% nonzero, some all zero. */
function sparseBytes(rows: number, features: number, seed: number): Uint8Array {
  const rng = new Rng(seed).stream('data');
  const out = new Uint8Array(rows * features);
  for (let r = 0; r < rows; r++) {
    if (r % 7 === 3) continue;
    for (let j = 0; j < features; j++)
      if (rng.next() < 0.2) out[r * features + j] = 1 + Math.floor(rng.next() * 255);
  }
  return out;
}

function denseFloats(rows: number, features: number, seed: number): Float32Array {
  const rng = new Rng(seed).stream('data');
  const out = new Float32Array(rows * features);
  for (let i = 0; i < out.length; i++) out[i] = rng.next() * 2 - 1;
  return out;
}

interface Case {
  model: Model;
  loss: Loss;
  metricNames: string[];
  targets: TargetKind;
  /** Target rows (flattened) for `rows` examples. */
  y: Float32Array;
  yShape: number[];
  targetWidth: number;
}

/** Gradients, loss and metrics of both paths on the same weights and batch. */
function bothPaths(
  c: Case,
  x: Float32Array,
  xShape: number[],
  scale: number,
  options: { sparse: boolean; featureScale?: number; rng?: () => RngStream },
) {
  const rows = xShape[0]!;
  const featureSize = x.length / rows;
  const metricList = c.metricNames.map((m) =>
    metrics.get(m as Parameters<typeof metrics.get>[0], { loss: c.loss.name }),
  );
  const stored = options.featureScale === undefined ? x : Uint8Array.from(x);
  const h = residentHarness(c.model, {
    loss: c.loss,
    metrics: metricList,
    targets: c.targets,
    targetWidth: c.targetWidth,
    features: stored,
    featureSize,
    featureScale: options.featureScale,
    maxRows: rows,
    sparse: options.sparse,
  });
  const scaled =
    options.featureScale === undefined ? x : x.map((v) => Math.fround(v * options.featureScale!));
  h.step.inputView.set(scaled);
  h.step.targetView.set(c.y);
  for (let r = 0; r < rows; r++) h.examples[r] = r;
  h.step.gradients({
    examples: h.examplesAt,
    rows,
    params: h.params,
    grads: h.gradsAt,
    scale,
    rng: options.rng?.(),
  });
  const resident = { grads: h.grads.slice(), values: Array.from(h.step.values) };
  const reference = new Float32Array(h.grads.length);
  const step = new TrainingStep(c.model, { loss: c.loss, metrics: metricList });
  const xs = tf.tensor(scaled, xShape, 'float32');
  const ys = tf.tensor(c.y, c.yShape, 'float32');
  const r = step.computeGradients(
    xs,
    ys,
    reference,
    trainableOffsets(c.model, h.store).offsets,
    scale,
    { rng: options.rng?.() },
  );
  tf.dispose([xs, ys] as Tensor[]);
  return { resident, reference: { grads: reference, values: [r.loss, ...r.metrics] } };
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst).toBeLessThan(tol);
}

function oneHot(rows: number, classes: number, seed: number): Float32Array {
  const rng = new Rng(seed).stream('labels');
  const y = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r++) y[r * classes + Math.floor(rng.next() * classes)] = 1;
  return y;
}

function mnistLike(hidden: string) {
  return sequential([
    layers.flatten({ inputShape: [8, 8] }),
    layers.dense({ units: 16, activation: hidden as 'relu' }),
    layers.dense({ units: 10, activation: 'softmax' }),
  ]);
}

describe('ResidentStep agrees with the tfjs path', () => {
  it('the MNIST-shaped network: sparse uint8 rows, dense rows, crossentropy and accuracy', () => {
    const rows = 24;
    const bytes = sparseBytes(rows, 64, 3);
    for (const sparse of [true, false]) {
      const model = mnistLike('relu');
      model.build([null, 8, 8]);
      const c: Case = {
        model,
        loss: losses.get('categorical_crossentropy'),
        metricNames: ['accuracy'],
        targets: 'one-hot',
        y: oneHot(rows, 10, 1),
        yShape: [rows, 10],
        targetWidth: 10,
      };
      const { resident, reference } = bothPaths(c, Float32Array.from(bytes), [rows, 8, 8], 0.5, {
        sparse,
        featureScale: 1 / 255,
      });
      expectClose(resident.grads, reference.grads);
      expectClose(resident.values, reference.values);
    }
  });

  it('compressed rows give the dense result within 1e-6 (random sparse and dense rows, empty rows)', () => {
    const rows = 40;
    for (const [name, x] of [
      ['sparse bytes', Float32Array.from(sparseBytes(rows, 64, 11))],
      ['dense floats', denseFloats(rows, 64, 12)],
    ] as const) {
      const model = mnistLike('relu');
      model.build([null, 8, 8]);
      const results = [true, false].map((sparse) => {
        const c: Case = {
          model,
          loss: losses.get('categorical_crossentropy'),
          metricNames: ['accuracy'],
          targets: 'one-hot',
          y: oneHot(rows, 10, 2),
          yShape: [rows, 10],
          targetWidth: 10,
        };
        const scale = name === 'sparse bytes' ? { featureScale: 1 / 255 } : {};
        return bothPaths(c, x, [rows, 8, 8], 1, { sparse, ...scale }).resident;
      });
      expectClose(results[0]!.grads, results[1]!.grads, 1e-6);
      expectClose(results[0]!.values, results[1]!.values, 1e-6);
    }
  });

  it.each([
    'linear',
    'relu',
    'relu6',
    'leaky_relu',
    'elu',
    'selu',
    'sigmoid',
    'tanh',
    'softplus',
    'softsign',
    'swish',
    'gelu',
    'mish',
    'exponential',
    'hard_sigmoid',
    'log_softmax',
  ])('Dense with %s, mean squared error', (activation) => {
    const rows = 9;
    const model = sequential([
      input({ shape: [5] }),
      layers.dense({ units: 6, activation: activation as 'relu' }),
      layers.dense({ units: 3 }),
    ]);
    const y = denseFloats(rows, 3, 9);
    const c: Case = {
      model,
      loss: losses.get('mse'),
      metricNames: ['mae'],
      targets: 'regression',
      y,
      yShape: [rows, 3],
      targetWidth: 3,
    };
    const { resident, reference } = bothPaths(c, denseFloats(rows, 5, 4), [rows, 5], 1, {
      sparse: false,
    });
    expectClose(resident.grads, reference.grads);
    expectClose(resident.values, reference.values);
  });

  it('activation layers, dropout, sparse crossentropy with class ids', () => {
    const rows = 12;
    const build = () =>
      sequential([
        input({ shape: [7] }),
        layers.dense({ units: 8 }),
        layers.leakyReLU({ alpha: 0.1 }),
        layers.dropout({ rate: 0.3 }),
        layers.dense({ units: 8 }),
        layers.elu({ alpha: 0.7 }),
        layers.dense({ units: 8 }),
        layers.relu({ maxValue: 6 }),
        layers.activation({ activation: 'tanh' }),
        layers.dense({ units: 4 }),
        layers.softmax({}),
      ]);
    const ids = Float32Array.from({ length: rows }, (_, r) => r % 4);
    const model = build();
    const c: Case = {
      model,
      loss: losses.get('sparse_categorical_crossentropy'),
      metricNames: ['accuracy'],
      targets: 'sparse',
      y: ids,
      yShape: [rows],
      targetWidth: 1,
    };
    const rng = () => RngStream.fromSeed(5, 'dropout/1/0');
    const { resident, reference } = bothPaths(c, denseFloats(rows, 7, 2), [rows, 7], 1, {
      sparse: false,
      rng,
    });
    expectClose(resident.grads, reference.grads);
    expectClose(resident.values, reference.values);
  });

  it('binary crossentropy on a sigmoid unit, mean absolute error', () => {
    const rows = 10;
    for (const lossName of ['binary_crossentropy', 'mae']) {
      const model = sequential([
        input({ shape: [4] }),
        layers.dense({ units: 5, activation: 'tanh' }),
        layers.dense({ units: 1, activation: 'sigmoid' }),
      ]);
      const y = Float32Array.from({ length: rows }, (_, r) => r % 2);
      const c: Case = {
        model,
        loss: losses.get(lossName as 'mae'),
        metricNames: ['accuracy'],
        targets: 'binary',
        y,
        yShape: [rows, 1],
        targetWidth: 1,
      };
      const { resident, reference } = bothPaths(c, denseFloats(rows, 4, 6), [rows, 4], 0.25, {
        sparse: false,
      });
      expectClose(resident.grads, reference.grads);
      expectClose(resident.values, reference.values);
    }
  });
});

describe('ResidentStep does not allocate per step', () => {
  it('1,000 steps: no garbage collection and a flat heap', async () => {
    const rows = 64;
    const bytes = sparseBytes(512, 64, 8);
    const model = mnistLike('relu');
    model.build([null, 8, 8]);
    const loss = losses.get('categorical_crossentropy');
    const h = residentHarness(model, {
      loss,
      metrics: [metrics.get('accuracy', { loss: loss.name })],
      targets: 'one-hot',
      targetWidth: 10,
      features: bytes,
      featureSize: 64,
      featureScale: 1 / 255,
      maxRows: rows,
      sparse: true,
    });
    h.step.targetView.set(oneHot(rows, 10, 3));
    const args = {
      examples: h.examplesAt,
      rows,
      params: h.params,
      grads: h.gradsAt,
      scale: 1,
      rng: undefined,
    };
    const run = (steps: number) => {
      for (let s = 0; s < steps; s++) {
        for (let r = 0; r < rows; r++) h.examples[r] = (s * 7 + r * 3) % 512;
        h.step.gradients(args);
      }
    };
    run(50);
    let collections = 0;
    const observer = new PerformanceObserver((list) => {
      collections += list.getEntries().length;
    });
    observer.observe({ entryTypes: ['gc'] });
    const before = process.memoryUsage();
    run(1000);
    const after = process.memoryUsage();
    await new Promise((resolve) => setTimeout(resolve, 20));
    observer.disconnect();
    // Without a collection in between, the heap's growth is what the steps allocated: no
    // typed array, tensor or closure (each hundreds of bytes), at most a few boxed numbers
    // (measured: 30–70 bytes a step), so an epoch never fills the young generation.
    expect(collections).toBe(0);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(128 * 1000);
    expect(after.arrayBuffers).toBe(before.arrayBuffers);
  });
});
