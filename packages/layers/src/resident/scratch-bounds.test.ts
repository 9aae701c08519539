/**
 * Every region of the resident step's private scratch and batch-wide buffers at shapes that
 * fill it most: hidden layers far wider than the input, Maxout with many pieces, Concatenate
 * and Add of wide branches read twice, Reshape/Flatten, dropout, compressed rows with a full
 * row, an input wider than every layer, narrow outputs over many rows (the GEMM transposed,
 * A packed), row chunks in private rows published into the shared ones, slices cut mid-row.
 * Each kernel call's writes must stay inside one region of the layout, and gradients, loss
 * and metrics must agree with the tfjs path.
 */
import { RngStream, type Tensor, tf } from '@tessera/core';
import { expect, it } from 'vitest';
import { input } from '../engine/input-layer.js';
import type { Model } from '../engine/model.js';
import { trainableOffsets } from '../engine/parameters.js';
import { sequential } from '../engine/sequential.js';
import { TrainingStep } from '../engine/training-step.js';
import { model as functionalModel, layers, losses, metrics } from '../index.js';
import { denseFloats, oneHot, sparseBytes } from '../testing/resident-data.js';
import { type ResidentHarness, residentHarness } from '../testing/resident-harness.js';
import type { TargetKind } from './plan-types.js';
import type { ScratchLayout, SharedLayout } from './resident-layout.js';

type Kernel = (...a: number[]) => unknown;
const up = (x: number, m: number) => Math.ceil(x / m) * m;
const tiles = (r: number, c: number) => (r / up(r, 4)) * (c / up(c, 8));

/** Bytes core's gemm writes into `work` (assembly/index.ts: either orientation, A packed). */
function gemmWork(m: number, n: number, k: number, transA: number, transB: number): number {
  const t = tiles(n, m) > 1.1 * tiles(m, n);
  const [mm, nn, ta] = t ? [n, m, transB === 0] : [m, n, transA !== 0];
  const kc = Math.ceil(k / Math.ceil(k / 256));
  const panels = Math.ceil(nn / 8);
  const packA = ta && panels > 16 ? up(Math.min(256, mm), 4) * kc * 4 : 0;
  return up(n, 8) * 4 + panels * 8 * kc * 4 + packA;
}

/** Writes of `4 × a[d0] × a[d1] …` bytes at `a[p]` per kernel, as [p, d0, d1, …] lists. */
const PLAIN: Record<string, number[][]> = {
  gemm: [[2, 3, 4]],
  csrDense: [[10, 7, 11]],
  columnSums: [[3, 2]],
  activationForward: [[2, 3]],
  activationBackward: [[4, 5]],
  softmaxRows: [[1, 2, 3]],
  softmaxRowsBackward: [[2, 3, 4]],
  // y, and the dropout mask the step wrote
  multiply: [
    [2, 3],
    [1, 3],
  ],
  maxoutForward: [[1, 2, 3]],
  maxoutBackward: [[3, 4, 5, 6]],
  accumulate: [[0, 2]],
};

/** The [byte offset, bytes] ranges a kernel call writes; `nz`: a decoded row's bytes. */
function writes(name: string, a: number[], nz: (p: number, e: number, n: number) => number) {
  const w = (PLAIN[name] ?? []).map(([p = 0, ...d]) => [a[p]!, d.reduce((x, i) => x * a[i]!, 4)]);
  if (name === 'gemm') w.push([a[12]!, gemmWork(a[3]!, a[4]!, a[5]!, a[6]!, a[7]!)]);
  else if (name === 'csrDense') w.push([a[14]!, nz(a[0]!, a[6]!, a[7]!)]);
  else if (name === 'csrDenseWeightGrad') {
    w.push([a[12]! + a[10]! * a[9]! * 4, (a[11]! - a[10]!) * a[9]! * 4]);
    w.push([a[13]!, nz(a[0]!, a[6]!, a[7]!)]);
  } else if (name === 'packColumns') w.push([a[5]!, a[1]! * (a[4]! - a[3]!) * 4]);
  else if (name === 'placeColumns') w.push([a[3]! + a[5]! * 4, ((a[1]! - 1) * a[4]! + a[2]!) * 4]);
  else if (name === 'copyBytes') w.push([a[0]!, a[2]!]);
  else if (!(name in PLAIN) && name !== 'useContext') w.push([-1, 1]); // a kernel not modelled
  return w as [number, number][];
}

/** Wraps the step's kernels; returns the list of writes that left their region. */
function guard(h: ResidentHarness): string[] {
  const step = h.step as unknown as { k: Record<string, unknown>; scratch: ScratchLayout };
  const own = h.step as unknown as { layout: SharedLayout; privateLayout?: SharedLayout };
  const s = step.scratch;
  const base = s.targets - 256;
  const starts: [string, number][] = [
    ['context', base],
    ['(scratch end)', base + s.end],
  ];
  for (const [name, at] of Object.entries(s))
    if (name !== 'end' && name !== 'grads') starts.push([name, at as number]);
  for (const [i, at] of s.grads.entries()) starts.push([`grads ${i}`, at]);
  for (const [tag, l] of [
    ['', own.layout],
    ['own ', own.privateLayout],
  ] as const) {
    if (l === undefined) continue;
    starts.push([`${tag}input`, l.input], [`(${tag}end)`, l.input + l.end]);
    for (const [i, o] of l.ops.entries()) {
      starts.push([`${tag}output ${i}`, o.output]);
      if (o.mask !== 0) starts.push([`${tag}mask ${i}`, o.mask]);
      if (o.dz !== 0) starts.push([`${tag}dz ${i}`, o.dz]);
    }
  }
  starts.sort((a, b) => a[1] - b[1]);
  const i32 = new Int32Array(h.kernels.f32.buffer);
  const nz = (rowPtr: number, examples: number, count: number) => {
    let most = 1; // touchRows stores a word there
    for (let r = 0; r < count; r++) {
      const ex = i32[examples / 4 + r]!;
      most = Math.max(most, i32[rowPtr / 4 + ex + 1]! - i32[rowPtr / 4 + ex]!);
    }
    return most * 8;
  };
  const log: string[] = [];
  const wrapped: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(step.k)) {
    if (typeof f !== 'function') continue;
    wrapped[name] = (...a: number[]) => {
      for (const [at, bytes] of writes(name, a, nz)) {
        let i = starts.length - 1;
        while (i >= 0 && starts[i]![1] > at) i--;
        const end = starts[i + 1]?.[1] ?? Number.POSITIVE_INFINITY;
        if (bytes > 0 && (i < 0 || starts[i]![0].startsWith('(') || at + bytes > end))
          log.push(`${name} writes ${at + bytes - end} bytes past ${starts[i]?.[0]}`);
      }
      if (
        name === 'gemm' &&
        h.kernels.workspaceBytes(a[3]!, a[4]!, a[5]!) < writes(name, a, nz)[1]![1]
      )
        log.push(`workspaceBytes(${a.slice(3, 6)}) is less than gemm uses`);
      return (f as Kernel)(...a);
    };
  }
  step.k = wrapped;
  return log;
}

interface Case {
  model: () => Model;
  xShape: number[];
  loss: string;
  targets: TargetKind;
  outputs: number;
  maxRows: number;
  workers: number;
  sparse?: boolean;
  dropout?: boolean;
}

function run(c: Case): void {
  const { maxRows, workers } = c;
  const n = maxRows * workers;
  const features = c.xShape.reduce((a, b) => a * b, 1);
  const model = c.model();
  const loss = losses.get(c.loss as 'mse');
  const metric = c.targets === 'regression' ? 'mae' : 'accuracy';
  const metricList = [metrics.get(metric, { loss: loss.name })];
  const bytes = sparseBytes(n, features, 4).fill(7, 0, features); // row 0: every feature set
  const x = c.sparse
    ? Float32Array.from(bytes, (v) => Math.fround(v / 255))
    : denseFloats(n, features, 4);
  const width = c.targets === 'sparse' || c.targets === 'binary' ? 1 : c.outputs;
  const ids = (k: number) => Float32Array.from({ length: n }, (_, r) => (r * 7) % k);
  const y = {
    'one-hot': () => oneHot(n, c.outputs, 5),
    regression: () => denseFloats(n, c.outputs, 5),
    sparse: () => ids(c.outputs),
    binary: () => ids(2),
  }[c.targets]();
  const h = residentHarness(model, {
    ...{ loss, metrics: metricList, targets: c.targets, targetWidth: width, featureSize: features },
    ...{ features: c.sparse ? bytes : x, maxRows, sharedRows: n, privateRows: workers > 1 },
    ...(c.sparse ? { sparse: true, featureScale: 1 / 255 } : { sparse: false }),
  });
  const log = guard(h);
  const step = h.step;
  const f32 = h.kernels.f32;
  for (let r = 0; r < n; r++) h.examples[r] = r;
  const rng = () => (c.dropout ? RngStream.fromSeed(5, 'dropout/1/0') : undefined);
  const own = workers > 1; // row chunks in private rows, published into the shared ones
  const args = { examples: 0, rows: maxRows, at: 0, params: h.params, scale: maxRows / n };
  for (let at = 0; at < n; at += maxRows) {
    const xRows = x.subarray(at * features, (at + maxRows) * features);
    if (!step.sparseInput) step.inputRows(own ? 0 : at, maxRows, own).set(xRows);
    step.targetView.set(y.subarray(at * width, (at + maxRows) * width));
    step.forwardBackward({
      ...args,
      examples: h.examplesAt + at * 4,
      at,
      rng: rng(),
      private: own,
    });
    if (own) step.publish(at, maxRows);
  }
  const values = Array.from(step.values);
  const length = (step as unknown as { sliceFloats: number }).sliceFloats;
  const slice = (start: number, end: number) => {
    const g = step.sliceGradient({ examples: h.examplesAt, rows: n, start, end });
    return f32.slice(g / 4 + start, g / 4 + end);
  };
  const whole = slice(0, length);
  const pieces = new Float32Array(length); // slices cut mid-row spill into the slack
  for (let at = 0; at < length; at += 97) pieces.set(slice(at, Math.min(length, at + 97)), at);
  const reference = new Float32Array(length);
  const xs = tf.tensor(x, [n, ...c.xShape], 'float32');
  const ys = tf.tensor(y, c.targets === 'sparse' ? [n] : [n, width], 'float32');
  const offsets = trainableOffsets(model, h.store).offsets;
  const tfjs = new TrainingStep(model, { loss, metrics: metricList });
  const r = tfjs.computeGradients(xs, ys, reference, offsets, 1, { rng: rng() });
  tf.dispose([xs, ys] as Tensor[]);
  const worst = (a: ArrayLike<number>, b: ArrayLike<number>) =>
    Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
  expect(log.slice(0, 5)).toEqual([]);
  expect(whole.some((g) => g !== 0)).toBe(true);
  expect(worst(whole, reference)).toBeLessThan(1e-5);
  expect(worst(pieces, whole)).toBe(0);
  if (workers === 1) expect(worst(values, [r.loss, ...r.metrics])).toBeLessThan(1e-5);
  // An evaluation chunk of dense rows in the last worker's shared rows.
  const at = n - maxRows;
  step.inputRows(at, maxRows).set(x.subarray(at * features));
  step.evaluate({ rows: maxRows, at, params: h.params });
  expect(log.slice(0, 5)).toEqual([]);
  if (workers === 1 && c.dropout !== true) expect(worst(step.values, values)).toBeLessThan(1e-6);
}

const dense = (units: number, activation = 'linear', useBias = true) =>
  layers.dense({ units, activation: activation as 'relu', useBias });
const chain = (shape: number[], ...rest: NonNullable<Parameters<typeof sequential>[0]>) =>
  sequential([input({ shape }), ...rest]);

it('hidden layers far wider than the input, a narrow output over many rows, 2 chunks', () =>
  run({
    model: () => chain([4], dense(200, 'relu'), dense(140, 'tanh', false), dense(3, 'softmax')),
    ...{ xShape: [4], loss: 'categorical_crossentropy', targets: 'one-hot', outputs: 3 },
    ...{ maxRows: 150, workers: 2 },
  }));

it('a narrow layer after a very wide one over few rows (the backward GEMM needs most work)', () =>
  run({
    model: () => chain([3], dense(2000, 'relu'), dense(10, 'tanh'), dense(2, 'softmax')),
    ...{ xShape: [3], loss: 'categorical_crossentropy', targets: 'one-hot', outputs: 2 },
    ...{ maxRows: 4, workers: 1 },
  }));

it('an input wider than every layer over 1000 rows (the forward GEMM needs most work)', () =>
  run({
    model: () => chain([300], dense(3, 'relu'), dense(2)),
    ...{ xShape: [300], loss: 'mse', targets: 'regression', outputs: 2 },
    ...{ maxRows: 1000, workers: 1 },
  }));

it('Maxout with many pieces, class ids, 3 chunks', () =>
  run({
    model: () =>
      chain(
        [5],
        layers.maxout({ units: 9, pieces: 17 }),
        layers.maxout({ units: 3, pieces: 40 }),
        dense(4, 'softmax'),
      ),
    ...{ xShape: [5], loss: 'sparse_categorical_crossentropy', targets: 'sparse', outputs: 4 },
    ...{ maxRows: 96, workers: 3 },
  }));

it('Concatenate and Add of wide branches read twice, the input joined, dropout', () =>
  run({
    model: () => {
      const x = input({ shape: [6] });
      const a = dense(72, 'relu').apply(x);
      const b = dense(72, 'sigmoid').apply(x);
      const s = layers.add().apply([a, b, a]);
      const j = layers.dropout({ rate: 0.4 }).apply(layers.concatenate().apply([s, b, x, a]));
      const sum = layers.add().apply([dense(8).apply(j), dense(8, 'tanh').apply(j)]);
      return functionalModel({ inputs: x, outputs: dense(1, 'sigmoid').apply(sum) });
    },
    ...{ xShape: [6], loss: 'binary_crossentropy', targets: 'binary', outputs: 1 },
    ...{ maxRows: 160, workers: 1, dropout: true },
  }));

it('Reshape and Flatten around wide layers, dropout, mean absolute error', () =>
  run({
    model: () =>
      chain(
        [3, 4],
        layers.activation({ activation: 'tanh' }),
        layers.dropout({ rate: 0.5 }),
        layers.flatten(),
        dense(150, 'relu'),
        layers.reshape({ targetShape: [10, 15] }),
        layers.activation({ activation: 'sigmoid' }),
        layers.flatten(),
        dense(5),
      ),
    ...{ xShape: [3, 4], loss: 'mae', targets: 'regression', outputs: 5 },
    ...{ maxRows: 128, workers: 1, dropout: true },
  }));

it('compressed rows (one full row): a wide first layer; an input wider than every layer', () => {
  run({
    model: () => chain([40], dense(300, 'relu'), dense(10, 'softmax')),
    ...{ xShape: [40], loss: 'categorical_crossentropy', targets: 'one-hot', outputs: 10 },
    ...{ maxRows: 100, workers: 2, sparse: true },
  });
  run({
    model: () => chain([300], dense(7, 'relu'), dense(2)),
    ...{ xShape: [300], loss: 'mse', targets: 'regression', outputs: 2 },
    ...{ maxRows: 64, workers: 2, sparse: true },
  });
});
