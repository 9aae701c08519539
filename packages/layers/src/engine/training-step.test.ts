import { ParameterStore, Rng, type Tensor, tf, ValueError } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  activations,
  applyConstraints,
  bindWeights,
  clearSession,
  input,
  layers,
  losses,
  metrics,
  parameterSpecs,
  regularizers,
  sequential,
  TrainingStep,
  trainableOffsets,
} from '../index.js';

beforeEach(() => {
  clearSession();
});

const X = [
  [0.5, -1, 2],
  [1.5, 0.25, -0.5],
  [-1, 1, 1],
  [0, 2, -2],
];
const Y = [
  [1, 0],
  [0, 1],
  [0.5, 0.5],
  [2, -1],
];

function linearModel(kernelRegularizer?: ReturnType<typeof regularizers.l2>) {
  const m = sequential([
    input({ shape: [3] }),
    layers.dense({ units: 2, biasInitializer: 'random_uniform', kernelRegularizer, name: 'd' }),
  ]);
  return m;
}

/** dL/dW and dL/db of mean((XW + b − Y)²) over all N·U entries, in float64. */
function mseGradients(
  W: number[],
  b: number[],
  rows: number[][],
  targets: number[][],
): { gW: number[]; gb: number[]; loss: number } {
  const n = rows.length;
  const units = b.length;
  const gW = new Array(W.length).fill(0);
  const gb = new Array(units).fill(0);
  let loss = 0;
  rows.forEach((x, r) => {
    for (let u = 0; u < units; u++) {
      let z = b[u] as number;
      x.forEach((v, i) => {
        z += v * (W[i * units + u] as number);
      });
      const e = z - (targets[r]?.[u] as number);
      loss += (e * e) / (n * units);
      const d = (2 * e) / (n * units);
      gb[u] += d;
      x.forEach((v, i) => {
        gW[i * units + u] += d * v;
      });
    }
  });
  return { gW, gb, loss };
}

function values(t: Tensor): number[] {
  const v = Array.from(t.dataSync(), Number);
  t.dispose();
  return v;
}

describe('TrainingStep', () => {
  it('writes scale · dL/dw at the offsets, overwriting only those ranges, and changes no weight', () => {
    const m = linearModel();
    const [W, b] = m.getWeights().map(values) as [number[], number[]];
    const step = new TrainingStep(m, { loss: losses.get('mse'), metrics: [metrics.get('mae')] });
    const grads = new Float32Array(20).fill(7);
    const x = tf.tensor(X);
    const y = tf.tensor(Y);
    const result = step.computeGradients(x, y, grads, [1, 10], 0.5);
    const expected = mseGradients(W, b, X, Y);
    expect(result.loss).toBeCloseTo(expected.loss, 5);
    let mae = 0;
    X.forEach((row, r) => {
      for (let u = 0; u < 2; u++) {
        let z = b[u] as number;
        row.forEach((v, i) => {
          z += v * (W[i * 2 + u] as number);
        });
        mae += Math.abs(z - (Y[r]?.[u] as number)) / 8;
      }
    });
    expect(result.metrics[0]).toBeCloseTo(mae, 5);
    expected.gW.forEach((g, i) => {
      expect(grads[1 + i]).toBeCloseTo(0.5 * g, 5);
    });
    expected.gb.forEach((g, i) => {
      expect(grads[10 + i]).toBeCloseTo(0.5 * g, 5);
    });
    expect(grads[0]).toBe(7);
    expect(grads[7]).toBe(7);
    expect(Array.from(grads.slice(12))).toEqual(new Array(8).fill(7));
    expect(m.getWeights().map(values)).toEqual([W, b]);
    tf.dispose([x, y]);
    m.dispose();
  });

  it.each([
    [
      'categorical_crossentropy',
      [
        [1, 0],
        [0, 1],
        [0.3, 0.7],
        [1, 0],
      ],
    ],
    ['sparse_categorical_crossentropy', [0, 1, 1, 0]],
  ] as const)(
    'runs %s on softmax outputs as one fused op: same loss, same gradients',
    async (name, targets) => {
      const m = sequential([
        input({ shape: [3] }),
        layers.dense({ units: 5, activation: 'relu', name: 'h' }),
        layers.dense({ units: 2, activation: 'softmax', name: 'p' }),
      ]);
      const store = ParameterStore.create(parameterSpecs(m), { shared: false });
      bindWeights(m, store);
      const { offsets } = trainableOffsets(m, store);
      const x = tf.tensor(X);
      const y = tf.tensor(targets as unknown as number[]);
      const lossFn = losses.get(name);
      // The same loss as a plain object: TrainingStep cannot fuse it and calls it.
      const plain = { name: lossFn.name, call: lossFn.call.bind(lossFn), getConfig: () => ({}) };
      const run = (loss: typeof lossFn, labels = y) => {
        const grads = new Float32Array(store.length);
        const step = new TrainingStep(m, { loss, metrics: [] });
        return { ...step.computeGradients(x, labels, grads, offsets, 0.25), grads };
      };
      const fused = run(lossFn);
      const composed = run(plain);
      expect(fused.loss).toBe(composed.loss);
      composed.grads.forEach((g, i) => {
        expect(Math.abs((fused.grads[i] as number) - g)).toBeLessThanOrEqual(
          1e-7 + 1e-5 * Math.abs(g),
        );
      });
      expect(composed.grads.some((g) => g !== 0)).toBe(true);
      const profile = await tf.profile(() => {
        run(lossFn);
      });
      expect(profile.kernelNames).toContain('TesseraCategoricalCrossentropy');
      if (name === 'sparse_categorical_crossentropy') {
        // Bad class ids fail with the loss's own message.
        const bad = tf.tensor([0, 1, 2, 0]);
        expect(() => run(lossFn, bad)).toThrow(
          /class ids must be integers in \[0, 2\).*Received: yTrue\[2\]=2/,
        );
        bad.dispose();
      }
      tf.dispose([x, y]);
      m.dispose();
    },
  );

  it('fuses what the objects declare: losses by fusedCrossentropy(), activations by fusedDense', async () => {
    expect(losses.get('categorical_crossentropy').fusedCrossentropy?.()).toBe('categorical');
    expect(losses.get('sparse_categorical_crossentropy').fusedCrossentropy?.()).toBe('sparse');
    const smoothed = losses.get({
      className: 'CategoricalCrossentropy',
      config: { labelSmoothing: 0.1 },
    });
    expect(smoothed.fusedCrossentropy?.()).toBeUndefined();
    const logits = losses.get({
      className: 'CategoricalCrossentropy',
      config: { fromLogits: true },
    });
    expect(logits.fusedCrossentropy?.()).toBeUndefined();
    expect(losses.get('mse').fusedCrossentropy?.()).toBeUndefined();
    expect(
      [activations.relu, activations.linear, activations.softmax].map((f) => f.fusedDense),
    ).toEqual(['relu', 'linear', 'softmax']);
    expect(activations.get('sigmoid').fusedDense).toBeUndefined();
    // A plain loss object that declares the fused form gets the fused op too.
    const m = sequential([
      input({ shape: [3] }),
      layers.dense({ units: 2, activation: 'softmax' }),
    ]);
    const store = ParameterStore.create(parameterSpecs(m), { shared: false });
    bindWeights(m, store);
    const { offsets } = trainableOffsets(m, store);
    const base = losses.get('categorical_crossentropy');
    const declared = {
      name: 'my_crossentropy',
      call: base.call.bind(base),
      getConfig: () => ({}),
      fusedCrossentropy: () => 'categorical' as const,
    };
    const x = tf.tensor(X);
    const y = tf.oneHot(tf.tensor1d([0, 1, 1, 0], 'int32'), 2).toFloat();
    const step = new TrainingStep(m, { loss: declared, metrics: [] });
    const profile = await tf.profile(() => {
      step.computeGradients(x, y, new Float32Array(store.length), offsets, 0.25);
    });
    expect(profile.kernelNames).toContain('TesseraCategoricalCrossentropy');
    tf.dispose([x, y]);
    m.dispose();
  });

  it('adds weight regularization to the loss and its gradient', () => {
    const m = linearModel(regularizers.l2(0.1));
    const [W, b] = m.getWeights().map(values) as [number[], number[]];
    const step = new TrainingStep(m, { loss: losses.get('mse'), metrics: [] });
    const grads = new Float32Array(8);
    const x = tf.tensor(X);
    const y = tf.tensor(Y);
    const result = step.computeGradients(x, y, grads, [0, 6], 1);
    const plain = mseGradients(W, b, X, Y);
    const penalty = 0.1 * W.reduce((s, w) => s + w * w, 0);
    expect(result.loss).toBeCloseTo(plain.loss + penalty, 5);
    plain.gW.forEach((g, i) => {
      expect(grads[i]).toBeCloseTo(g + 0.2 * (W[i] as number), 5);
    });
    tf.dispose([x, y]);
    m.dispose();
  });

  it('adds activity regularization divided by the batch size', () => {
    const m = sequential([
      input({ shape: [3] }),
      layers.dense({ units: 2, activityRegularizer: regularizers.l1(0.5), name: 'd' }),
    ]);
    const step = new TrainingStep(m, { loss: losses.get('mse'), metrics: [] });
    const x = tf.tensor(X);
    const y = tf.tensor(Y);
    const out = values(m.predict(x));
    const withPenalty = step.evaluate(x, y).loss;
    const expectedPenalty = (0.5 * out.reduce((s, v) => s + Math.abs(v), 0)) / 4;
    const grads = new Float32Array(16);
    const trained = step.computeGradients(x, y, grads, [0, 8], 1).loss;
    expect(trained).toBeCloseTo(withPenalty, 5);
    const mse =
      out.reduce((s, v, i) => s + (v - (Y[Math.floor(i / 2)]?.[i % 2] as number)) ** 2, 0) / 8;
    expect(withPenalty).toBeCloseTo(mse + expectedPenalty, 5);
    expect(step.metricNames).toEqual([]);
    tf.dispose([x, y]);
    m.dispose();
  });

  it('shards scaled by size/B sum to the full-batch gradient (what the trainer relies on)', () => {
    const m = sequential(
      [
        input({ shape: [3] }),
        layers.dense({ units: 4, activation: 'tanh' }),
        layers.dense({ units: 2 }),
      ],
      { seed: 5 },
    );
    const step = new TrainingStep(m, { loss: losses.get('mse'), metrics: [] });
    const store = ParameterStore.create(parameterSpecs(m), { shared: false });
    const { offsets } = trainableOffsets(m, store);
    const x = tf.tensor(X);
    const y = tf.tensor(Y);
    const full = new Float32Array(store.length);
    step.computeGradients(x, y, full, offsets, 1);
    const total = new Float32Array(store.length);
    for (const [start, size] of [
      [0, 3],
      [3, 1],
    ] as const) {
      const part = new Float32Array(store.length);
      const xs = tf.slice(x, [start, 0], [size, 3]);
      const ys = tf.slice(y, [start, 0], [size, 2]);
      step.computeGradients(xs, ys, part, offsets, size / 4);
      part.forEach((g, i) => {
        total[i] = (total[i] as number) + g;
      });
      tf.dispose([xs, ys]);
    }
    full.forEach((g, i) => {
      expect(total[i]).toBeCloseTo(g, 5);
    });
    tf.dispose([x, y]);
    m.dispose();
  });

  it("with an exchange, reduction 'sum' and ignoreClass give each shard its share of the batch's loss", () => {
    // Two identical shards: an exchange that doubles every sum stands for the other one,
    // so each shard's scaled gradient must be half the gradient of the batch of both.
    const m = sequential(
      [input({ shape: [3] }), layers.dense({ units: 3, activation: 'softmax' })],
      { seed: 7 },
    );
    const store = ParameterStore.create(parameterSpecs(m), { shared: false });
    const { offsets } = trainableOffsets(m, store);
    const x = tf.tensor(X);
    const labels = tf.tensor([0, 2, 1, 2]);
    const weights = tf.tensor([1, 0.5, 2, 3]);
    const both = tf.concat([x, x]);
    const bothLabels = tf.concat([labels, labels]);
    const bothWeights = tf.concat([weights, weights]);
    const doubling = {
      sums: 0,
      sum(values: Float64Array) {
        this.sums++;
        for (let i = 0; i < values.length; i++) values[i] = values[i]! * 2;
      },
    };
    for (const loss of [
      losses.sparseCategoricalCrossentropy({ reduction: 'sum' }),
      losses.sparseCategoricalCrossentropy({ ignoreClass: 2 }),
      losses.sparseCategoricalCrossentropy({ ignoreClass: 1, reduction: 'sum' }),
    ]) {
      const step = new TrainingStep(m, { loss, metrics: [] });
      const whole = new Float32Array(store.length);
      const r = step.computeGradients(both, bothLabels, whole, offsets, 1, {
        sampleWeight: bothWeights,
      });
      const shard = new Float32Array(store.length);
      doubling.sums = 0;
      const s = step.computeGradients(x, labels, shard, offsets, 0.5, {
        sampleWeight: weights,
        exchange: doubling,
      });
      // Only the mean over rows kept needs the batch-wide count.
      expect(doubling.sums).toBe(loss.reduction === 'sum' ? 0 : 1);
      expect(s.loss).toBeCloseTo(r.loss, 5);
      whole.forEach((g, i) => {
        expect(2 * shard[i]!).toBeCloseTo(g, 5);
      });
    }
    tf.dispose([x, labels, weights, both, bothLabels, bothWeights]);
    m.dispose();
  });

  it('evaluates in inference mode (dropout off) and deterministically', () => {
    const m = sequential([
      input({ shape: [3] }),
      layers.dropout({ rate: 0.5 }),
      layers.dense({ units: 2 }),
    ]);
    const step = new TrainingStep(m, {
      loss: losses.get('mse'),
      metrics: [],
      rng: new Rng(1).stream('dropout'),
    });
    const x = tf.tensor(X);
    const y = tf.tensor(Y);
    const a = step.evaluate(x, y).loss;
    const b = step.evaluate(x, y).loss;
    expect(a).toBe(b);
    const grads = new Float32Array(16);
    const trainingLoss = step.computeGradients(x, y, grads, [0, 8], 1).loss;
    expect(trainingLoss).not.toBe(a);
    tf.dispose([x, y]);
    m.dispose();
  });

  it('takes the dropout stream per call, so the same stream state gives the same step', () => {
    const m = sequential([
      input({ shape: [3] }),
      layers.dropout({ rate: 0.5 }),
      layers.dense({ units: 2 }),
    ]);
    const step = new TrainingStep(m, { loss: losses.get('mse'), metrics: [] });
    const x = tf.tensor(X);
    const y = tf.tensor(Y);
    const run = (seed: number) => {
      const grads = new Float32Array(16);
      const loss = step.computeGradients(x, y, grads, [0, 8], 1, {
        rng: new Rng(seed).stream('dropout'),
      }).loss;
      return { loss, grads };
    };
    const a = run(3);
    const b = run(3);
    const c = run(4);
    expect(b.loss).toBe(a.loss);
    expect(b.grads).toEqual(a.grads);
    expect(c.grads).not.toEqual(a.grads);
    tf.dispose([x, y]);
    m.dispose();
  });

  it('rejects offsets that do not match the trainable weights', () => {
    const m = linearModel();
    const step = new TrainingStep(m, { loss: losses.get('mse'), metrics: [] });
    const x = tf.tensor(X);
    const y = tf.tensor(Y);
    expect(() => step.computeGradients(x, y, new Float32Array(8), [0], 1)).toThrow(ValueError);
    expect(() => step.computeGradients(x, y, new Float32Array(8), [0], 1)).toThrow(
      'Received: offsets=1',
    );
    expect(() => step.computeGradients(x, y, new Float32Array(8), [0, 7], 1)).toThrow(
      'Received: offset=7',
    );
    expect(() => step.computeGradients(x, [y, y], new Float32Array(8), [0, 6], 1)).toThrow(
      'Received: targets=2',
    );
    tf.dispose([x, y]);
    m.dispose();
  });
});

describe('applyConstraints', () => {
  it('projects constrained weights in place, inside a bound store', () => {
    const m = sequential([
      input({ shape: [2] }),
      layers.dense({ units: 2, kernelConstraint: 'non_neg', name: 'd' }),
    ]);
    const kernel = tf.tensor([
      [1, -2],
      [-3, 4],
    ]);
    const bias = tf.tensor([-1, 1]);
    m.setWeights([kernel, bias]);
    const store = ParameterStore.create(parameterSpecs(m), { shared: false });
    bindWeights(m, store);
    applyConstraints(m);
    expect(Array.from(store.view('d/kernel'))).toEqual([1, 0, 0, 4]);
    expect(Array.from(store.view('d/bias'))).toEqual([-1, 1]);
    store.view('d/kernel')[0] = -5;
    applyConstraints(m);
    expect(store.view('d/kernel')[0]).toBe(0);
    tf.dispose([kernel, bias]);
    m.dispose();
  });
});
