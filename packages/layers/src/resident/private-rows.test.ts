/**
 * Private row buffers (ResidentStepOptions.privateRows): a row chunk computed there and
 * published leaves the batch-wide rows, the chunk's loss and metrics, and so the update
 * phase's gradient, the same bits as the chunk computed in place.
 */
import { RngStream } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { input } from '../engine/input-layer.js';
import type { Model } from '../engine/model.js';
import { sequential } from '../engine/sequential.js';
import { layers, losses, metrics } from '../index.js';
import { denseFloats, mnistLike, oneHot, sparseBytes } from '../testing/resident-data.js';
import { type ResidentHarness, residentHarness } from '../testing/resident-harness.js';
import type { TargetKind } from './plan-types.js';

interface Case {
  name: string;
  model: () => Model;
  loss: string;
  targets: TargetKind;
  targetWidth: number;
  features: Float32Array | Uint8Array;
  featureSize: number;
  featureScale?: number;
  sparse: boolean;
  y: Float32Array;
}

const ROWS = 30;
/** Row chunks of the batch: [at, rows]. */
const CHUNKS = [
  [0, 8],
  [8, 8],
  [16, 7],
  [23, 7],
] as const;

const mnist = () => {
  const m = mnistLike('relu');
  m.build([null, 8, 8]);
  return m;
};

const withDropout = () =>
  sequential([
    input({ shape: [7] }),
    layers.dense({ units: 8, activation: 'tanh' }),
    layers.dropout({ rate: 0.3 }),
    layers.dense({ units: 6 }),
    layers.leakyReLU({ alpha: 0.1 }),
    layers.dense({ units: 4 }),
    layers.softmax({}),
  ]);

const CASES: Case[] = [
  {
    name: 'compressed uint8 rows (MNIST-shaped)',
    model: mnist,
    loss: 'categorical_crossentropy',
    targets: 'one-hot',
    targetWidth: 10,
    features: sparseBytes(ROWS, 64, 7),
    featureSize: 64,
    featureScale: 1 / 255,
    sparse: true,
    y: oneHot(ROWS, 10, 3),
  },
  {
    name: 'dense rows, dropout, sparse crossentropy',
    model: withDropout,
    loss: 'sparse_categorical_crossentropy',
    targets: 'sparse',
    targetWidth: 1,
    features: denseFloats(ROWS, 7, 5),
    featureSize: 7,
    sparse: false,
    y: Float32Array.from({ length: ROWS }, (_, r) => r % 4),
  },
];

function harness(c: Case, model: Model, privateRows: boolean): ResidentHarness {
  const loss = losses.get(c.loss as 'mse');
  const h = residentHarness(model, {
    loss,
    metrics: [metrics.get('accuracy', { loss: loss.name })],
    targets: c.targets,
    targetWidth: c.targetWidth,
    features: c.features,
    featureSize: c.featureSize,
    ...(c.featureScale === undefined ? {} : { featureScale: c.featureScale }),
    maxRows: 8,
    sharedRows: ROWS,
    sparse: c.sparse,
    privateRows,
  });
  for (let r = 0; r < ROWS; r++) h.examples[r] = r;
  return h;
}

/** Runs every chunk (in place, or privately then published); each chunk's values, then the whole batch's gradient. */
function runChunks(c: Case, h: ResidentHarness, own: boolean) {
  const scale = c.featureScale;
  const x = Float32Array.from(c.features, (v) =>
    scale === undefined ? v : Math.fround(v * scale),
  );
  const values: number[][] = [];
  CHUNKS.forEach(([at, rows], i) => {
    if (!h.step.sparseInput) {
      const f = c.featureSize;
      h.step.inputRows(own ? 0 : at, rows, own).set(x.subarray(at * f, (at + rows) * f));
    }
    const w = c.targetWidth;
    h.step.targetView.set(c.y.subarray(at * w, (at + rows) * w));
    h.step.forwardBackward({
      examples: h.examplesAt + at * 4,
      rows,
      at,
      params: h.params,
      scale: rows / ROWS,
      rng: RngStream.fromSeed(9, `dropout/1/${i}`),
      private: own,
    });
    values.push(Array.from(h.step.values));
    if (own) h.step.publish(at, rows);
  });
  const length = h.store.length;
  const g = h.step.sliceGradient({ examples: h.examplesAt, rows: ROWS, start: 0, end: length });
  const grads = new Float32Array(h.kernels.f32.buffer, g, length).slice();
  return { values, grads };
}

describe('private row buffers', () => {
  it.each(CASES)('$name: published chunks give the in-place bits', (c) => {
    const model = c.model();
    const inPlace = runChunks(c, harness(c, model, false), false);
    const published = runChunks(c, harness(c, model, true), true);
    expect(published.values).toEqual(inPlace.values);
    expect(Buffer.from(published.grads.buffer)).toEqual(Buffer.from(inPlace.grads.buffer));
    expect(inPlace.grads.some((v) => v !== 0)).toBe(true);
  });

  it('until a chunk is published, the update phase does not see it', () => {
    const c = CASES[0]!;
    const model = c.model();
    const h = harness(c, model, true);
    const rows = ROWS;
    h.step.targetView.set(c.y.subarray(0, 8 * c.targetWidth));
    const args = { examples: h.examplesAt, rows: 8, at: 0, params: h.params, scale: 8 / rows };
    h.step.forwardBackward({ ...args, rng: undefined, private: true });
    const length = h.store.length;
    const before = new Float32Array(
      h.kernels.f32.buffer,
      h.step.sliceGradient({ examples: h.examplesAt, rows: 8, start: 0, end: length }),
      length,
    ).slice();
    expect(before.every((v) => v === 0)).toBe(true);
    h.step.publish(0, 8);
    const after = new Float32Array(
      h.kernels.f32.buffer,
      h.step.sliceGradient({ examples: h.examplesAt, rows: 8, start: 0, end: length }),
      length,
    );
    expect(after.some((v) => v !== 0)).toBe(true);
  });

  it('a step without private rows says so', () => {
    const c = CASES[1]!;
    const h = harness(c, c.model(), false);
    const args = { examples: h.examplesAt, rows: 4, at: 0, params: h.params, scale: 1 };
    expect(() => h.step.forwardBackward({ ...args, rng: undefined, private: true })).toThrow(
      'ResidentStep.forwardBackward: this step has no private rows (options.privateRows)',
    );
    expect(() => h.step.inputRows(0, 4, true)).toThrow(
      'ResidentStep.inputRows: this step has no private rows (options.privateRows)',
    );
    const own = harness(c, c.model(), true);
    expect(() => own.step.inputRows(8, 4, true)).toThrow(
      'ResidentStep.inputRows: private rows start at 0. Received: at=8',
    );
  });

  it('rows beyond the buffers are refused, naming the bound', () => {
    const c = CASES[1]!;
    const h = harness(c, c.model(), true);
    expect(() => h.step.inputRows(0, 9, true)).toThrow(
      'ResidentStep.inputRows: rows [at, at + rows) must lie within the 8 private rows. Received: at=0, rows=9',
    );
    expect(() => h.step.inputRows(28, 3)).toThrow(
      `ResidentStep.inputRows: rows [at, at + rows) must lie within the ${ROWS} batch-wide rows. Received: at=28, rows=3`,
    );
    expect(h.step.inputRows(28, 2).length).toBe(2 * h.step.plan.features);
    for (const rows of [0, ROWS + 1, 2.5]) {
      expect(() =>
        h.step.sliceGradient({ examples: h.examplesAt, rows, start: 0, end: 16 }),
      ).toThrow(
        `ResidentStep.sliceGradient: rows must be a whole number from 1 to the step's ${ROWS} batch-wide rows. Received: rows=${rows}`,
      );
    }
  });
});
