import { RngStream, type Tensor, tf } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { input } from '../engine/input-layer.js';
import type { Model } from '../engine/model.js';
import { trainableOffsets } from '../engine/parameters.js';
import { sequential } from '../engine/sequential.js';
import { TrainingStep } from '../engine/training-step.js';
import { model as functionalModel, layers, losses, metrics } from '../index.js';
import type { Loss } from '../losses/index.js';
import { denseFloats, mnistLike, oneHot, sparseBytes } from '../testing/resident-data.js';
import { residentHarness } from '../testing/resident-harness.js';
import { planResidentStep, residentPlanReason } from './plan.js';
import type { TargetKind } from './plan-types.js';

/** uint8 rows, ~20% nonzero, some all zero. */

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
  if (!h.step.sparseInput) h.step.inputRows(0, rows).set(scaled);
  h.step.targetView.set(c.y);
  for (let r = 0; r < rows; r++) h.examples[r] = r;
  const grads = h.gradients(rows, scale, options.rng?.()).slice();
  const resident = { grads, values: Array.from(h.step.values) };
  const reference = new Float32Array(grads.length);
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

/** `model` with categorical crossentropy and accuracy on `rows` one-hot targets of 3 classes. */
function threeClasses(model: Model, rows: number): Case {
  return {
    model,
    loss: losses.get('categorical_crossentropy'),
    metricNames: ['accuracy'],
    targets: 'one-hot',
    y: oneHot(rows, 3, 5),
    yShape: [rows, 3],
    targetWidth: 3,
  };
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  expect(worst).toBeLessThan(tol);
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

  it('hidden layers wider than the input, 64 rows (the slice GEMM packs their columns)', () => {
    // The packed columns of a layer's input are rows × its width: 64 × 64 floats here,
    // sixteen times the 64 × 4 of the model's input.
    const rows = 64;
    const model = sequential([
      input({ shape: [4] }),
      layers.dense({ units: 64, activation: 'relu' }),
      layers.dense({ units: 32, activation: 'tanh' }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ]);
    const c = threeClasses(model, rows);
    const { resident, reference } = bothPaths(c, denseFloats(rows, 4, 6), [rows, 4], 1, {
      sparse: false,
    });
    expect(resident.grads.some((g) => g !== 0)).toBe(true);
    expectClose(resident.grads, reference.grads);
    expectClose(resident.values, reference.values);
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

  it('maxout layers (ties included), then a softmax', () => {
    const rows = 11;
    const model = sequential([
      input({ shape: [6] }),
      layers.maxout({ units: 4, pieces: 3 }),
      layers.maxout({ units: 3, pieces: 2, useBias: false }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ]);
    const c = threeClasses(model, rows);
    // Repeated rows and a zero row make pieces tie.
    const x = denseFloats(rows, 6, 13);
    x.fill(0, 0, 6);
    x.copyWithin(6, 12, 18);
    const { resident, reference } = bothPaths(c, x, [rows, 6], 1, { sparse: false });
    expectClose(resident.grads, reference.grads);
    expectClose(resident.values, reference.values);
  });

  it('functional graphs: branches joined by Add and Concatenate, a tensor read twice, sparse input', () => {
    const rows = 16;
    for (const sparse of [true, false]) {
      const x = input({ shape: [64] });
      const a = layers.dense({ units: 12, activation: 'relu' }).apply(x);
      const b = layers.dense({ units: 12, activation: 'tanh' }).apply(x);
      const sum = layers.add().apply([a, b]);
      const c = layers.dense({ units: 5, activation: 'sigmoid' }).apply(sum);
      // `a` feeds both the Add and the Concatenate: its gradient arrives twice.
      const joined = layers.concatenate().apply([sum, c, a]);
      const out = layers.dense({ units: 4, activation: 'softmax' }).apply(joined);
      const graph = functionalModel({ inputs: x, outputs: out });
      const c4: Case = {
        model: graph,
        loss: losses.get('categorical_crossentropy'),
        metricNames: ['accuracy'],
        targets: 'one-hot',
        y: oneHot(rows, 4, 8),
        yShape: [rows, 4],
        targetWidth: 4,
      };
      const bytes = Float32Array.from(sparseBytes(rows, 64, 21));
      const { resident, reference } = bothPaths(c4, bytes, [rows, 64], 1, {
        sparse,
        featureScale: 1 / 255,
      });
      expectClose(resident.grads, reference.grads);
      expectClose(resident.values, reference.values);
    }
  });

  it('a Dropout fixed to inference (apply(x, { training: false })) passes its input through', () => {
    const rows = 10;
    const x = input({ shape: [6] });
    const h = layers.dense({ units: 8, activation: 'relu' }).apply(x);
    const kept = layers.dropout({ rate: 0.5 }).apply(h, { training: false });
    const out = layers.dense({ units: 3, activation: 'softmax' }).apply(kept);
    const c: Case = {
      model: functionalModel({ inputs: x, outputs: out }),
      loss: losses.get('categorical_crossentropy'),
      metricNames: ['accuracy'],
      targets: 'one-hot',
      y: oneHot(rows, 3, 4),
      yShape: [rows, 3],
      targetWidth: 3,
    };
    const plan = planResidentStep(c.model, {
      loss: c.loss,
      metrics: [],
      targets: 'one-hot',
      features: 6,
      targetWidth: 3,
    }).plan;
    expect(plan?.ops.map((op) => op.kind)).toEqual(['dense', 'dense', 'softmax']);
    const rng = () => RngStream.fromSeed(5, 'dropout/1/0');
    const { resident, reference } = bothPaths(c, denseFloats(rows, 6, 3), [rows, 6], 1, {
      sparse: false,
      rng,
    });
    expectClose(resident.grads, reference.grads);
    expectClose(resident.values, reference.values);
  });

  it('refuses a Dropout fixed to training mode, naming it', () => {
    const x = input({ shape: [6] });
    const h = layers.dense({ units: 8 }).apply(x);
    const dropped = layers.dropout({ rate: 0.5, name: 'always' }).apply(h, { training: true });
    const m = functionalModel({ inputs: x, outputs: layers.dense({ units: 2 }).apply(dropped) });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(residentPlanReason(m)).toBe('Dropout "always" is fixed to training mode');
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
