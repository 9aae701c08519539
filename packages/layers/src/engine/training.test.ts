import { NotFoundError, Rng, ShapeError, StateError, type Tensor, tf } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  Callback,
  clearSession,
  input,
  type Logs,
  layers,
  losses,
  model,
  optimizers,
  sequential,
} from '../index.js';

beforeEach(() => {
  clearSession();
});

/** An Iris-like set: 3 classes × 50 flowers, 4 measurements, class means and spreads close to Iris. */
function irisLike(seed: number): { x: number[][]; labels: number[] } {
  const means = [
    [5.0, 3.4, 1.5, 0.25],
    [5.9, 2.8, 4.3, 1.3],
    [6.6, 3.0, 5.6, 2.0],
  ];
  const spread = [0.3, 0.3, 0.25, 0.12];
  const s = new Rng(seed).stream('iris');
  const x: number[][] = [];
  const labels: number[] = [];
  means.forEach((m, c) => {
    for (let i = 0; i < 50; i++) {
      x.push(m.map((v, k) => v + (spread[k] as number) * s.normal()));
      labels.push(c);
    }
  });
  return { x, labels };
}

/** Seeded stratified split: the same share of every class goes to the test set. */
function stratifiedSplit(
  labels: number[],
  testShare: number,
  seed: number,
): { train: number[]; test: number[] } {
  const s = new Rng(seed).stream('split');
  const train: number[] = [];
  const test: number[] = [];
  for (const c of [...new Set(labels)]) {
    const idx = labels.flatMap((l, i) => (l === c ? [i] : []));
    s.shuffle(idx);
    const k = Math.round(idx.length * testShare);
    test.push(...idx.slice(0, k));
    train.push(...idx.slice(k));
  }
  return { train, test };
}

function oneHot(labels: number[], n: number): Tensor {
  return tf.tensor(labels.map((l) => Array.from({ length: n }, (_, j) => (j === l ? 1 : 0))));
}

function irisModel(seed: number) {
  const m = sequential(
    [
      input({ shape: [4] }),
      layers.dense({ units: 16, activation: 'relu' }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    {
      seed,
    },
  );
  m.compile({
    optimizer: optimizers.adam({ learningRate: 0.02 }),
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return m;
}

describe('compile / fit / evaluate', () => {
  it('trains an Iris-like classifier to ≥ 95% test accuracy (seeded stratified split)', async () => {
    const { x, labels } = irisLike(7);
    // standardise with the training rows' statistics
    const { train, test } = stratifiedSplit(labels, 0.2, 3);
    expect(test.filter((i) => labels[i] === 0).length).toBe(10);
    const mean = [0, 1, 2, 3].map(
      (k) => train.reduce((s, i) => s + (x[i]?.[k] as number), 0) / train.length,
    );
    const std = [0, 1, 2, 3].map((k) =>
      Math.sqrt(
        train.reduce((s, i) => s + ((x[i]?.[k] as number) - (mean[k] as number)) ** 2, 0) /
          train.length,
      ),
    );
    const rows = (idx: number[]) =>
      tf.tensor(
        idx.map((i) =>
          (x[i] as number[]).map((v, k) => (v - (mean[k] as number)) / (std[k] as number)),
        ),
      );
    const xTrain = rows(train);
    const yTrain = oneHot(
      train.map((i) => labels[i] as number),
      3,
    );
    const xTest = rows(test);
    const yTest = oneHot(
      test.map((i) => labels[i] as number),
      3,
    );
    const m = irisModel(1);
    const history = await m.fit(xTrain, yTrain, {
      epochs: 40,
      batchSize: 16,
      seed: 5,
      verbose: 0,
      validationData: [xTest, yTest],
    });
    expect(Object.keys(history.history).sort()).toEqual([
      'accuracy',
      'loss',
      'val_accuracy',
      'val_loss',
    ]);
    expect(history.epoch).toEqual(Array.from({ length: 40 }, (_, i) => i));
    const losses = history.history['loss'] as number[];
    expect(losses.at(-1)).toBeLessThan((losses[0] as number) / 3);
    const result = m.evaluate(xTest, yTest);
    expect(result['accuracy']).toBeGreaterThanOrEqual(0.95);
    expect(result['loss']).toBeCloseTo(history.history['val_loss']?.at(-1) as number, 5);
    // evaluate's accuracy agrees with argmax of predict
    const probs = m.predict(xTest);
    const predicted = Array.from(tf.argMax(probs, 1).dataSync());
    const correct = predicted.filter((p, i) => p === labels[test[i] as number]).length;
    expect(correct / test.length).toBeCloseTo(result['accuracy'] as number, 6);
    tf.dispose([xTrain, yTrain, xTest, yTest, probs]);
    m.dispose();
  });

  it('course: the study-scores regression ([3,5]→75, [5,1]→82, [10,2]→93) converges', async () => {
    const raw = [
      [3, 5],
      [5, 1],
      [10, 2],
    ];
    const colMax = [10, 5];
    const x = tf.tensor(raw.map((r) => r.map((v, k) => v / (colMax[k] as number))));
    const y = tf.tensor([[0.75], [0.82], [0.93]]);
    const m = sequential(
      [
        layers.dense({ units: 3, activation: 'sigmoid', inputShape: [2] }),
        layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
      {
        seed: 2,
      },
    );
    m.compile({ optimizer: optimizers.adam({ learningRate: 0.05 }), loss: 'mse' });
    const history = await m.fit(x, y, { epochs: 300, batchSize: 3, verbose: 0, seed: 1 });
    const lossCurve = history.history['loss'] as number[];
    expect(lossCurve.at(-1)).toBeLessThan(1e-4);
    expect(lossCurve.at(-1)).toBeLessThan((lossCurve[0] as number) / 100);
    const p = m.predict(x).dataSync();
    [0.75, 0.82, 0.93].forEach((target, i) => {
      expect(Math.abs((p[i] as number) - target)).toBeLessThan(0.02);
    });
    tf.dispose([x, y]);
    m.dispose();
  });

  it('keeps tf.memory().numTensors unchanged across epochs', async () => {
    const m = irisModel(4);
    const x = tf.randomNormal([40, 4]);
    const y = oneHot(
      Array.from({ length: 40 }, (_, i) => i % 3),
      3,
    );
    const counts: number[] = [];
    class Count extends Callback {
      override onEpochEnd(): void {
        counts.push(tf.memory().numTensors);
      }
    }
    const before = tf.memory().numTensors;
    await m.fit(x, y, {
      epochs: 4,
      batchSize: 8,
      validationSplit: 0.25,
      verbose: 0,
      callbacks: [new Count()],
    });
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    m.dispose();
  });

  it('the same seeds give bitwise-equal weights; another fit seed does not', async () => {
    const x = tf.randomNormal([30, 4], 0, 1, 'float32', 9);
    const y = oneHot(
      Array.from({ length: 30 }, (_, i) => (i * 7) % 3),
      3,
    );
    const run = async (fitSeed: number) => {
      const m = sequential(
        [
          input({ shape: [4] }),
          layers.dense({ units: 8, activation: 'relu' }),
          layers.dropout({ rate: 0.3 }),
          layers.dense({ units: 3, activation: 'softmax' }),
        ],
        { seed: 11 },
      );
      m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
      await m.fit(x, y, { epochs: 3, batchSize: 8, seed: fitSeed, verbose: 0 });
      const w = m.getWeights().map((t) => {
        const v = Array.from(t.dataSync());
        t.dispose();
        return v;
      });
      m.dispose();
      return w;
    };
    const first = await run(21);
    const second = await run(21);
    const other = await run(22);
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
    tf.dispose([x, y]);
  });

  it('validationSplit holds out the last rows, before shuffling (as Keras)', async () => {
    const x = tf.randomNormal([20, 4], 0, 1, 'float32', 3);
    const y = oneHot(
      Array.from({ length: 20 }, (_, i) => i % 3),
      3,
    );
    const fitWith = async (options: object) => {
      const m = irisModel(8);
      const h = await m.fit(x, y, { epochs: 2, batchSize: 5, seed: 4, verbose: 0, ...options });
      m.dispose();
      return h.history;
    };
    const split = await fitWith({ validationSplit: 0.25 });
    const xs = tf.slice(x, [0, 0], [15, 4]);
    const ys = tf.slice(y, [0, 0], [15, 3]);
    const xv = tf.slice(x, [15, 0], [5, 4]);
    const yv = tf.slice(y, [15, 0], [5, 3]);
    const m = irisModel(8);
    const manual = (
      await m.fit(xs, ys, {
        epochs: 2,
        batchSize: 5,
        seed: 4,
        verbose: 0,
        validationData: [xv, yv],
      })
    ).history;
    expect(split).toEqual(manual);
    tf.dispose([x, y, xs, ys, xv, yv]);
    m.dispose();
  });

  it('leaves weights and optimizer state untouched when a step fails', async () => {
    const m = sequential([layers.dense({ units: 2, inputShape: [3] })]);
    let calls = 0;
    const failing = {
      name: 'failing',
      call: (yTrue: Tensor, yPred: Tensor) => {
        calls++;
        if (calls === 2) throw new Error('loss exploded');
        return losses.get('mse').call(yTrue, yPred);
      },
      getConfig: () => ({}),
    };
    m.compile({ optimizer: 'sgd', loss: failing });
    const x = tf.ones([4, 3]);
    const y = tf.zeros([4, 2]);
    await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const afterOne = m.getWeights().map((t) => Array.from(t.dataSync()));
    const iteration = m.optimizerState?.iteration;
    const before = tf.memory().numTensors;
    await expect(m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 })).rejects.toThrow(
      'loss exploded',
    );
    expect(m.getWeights().map((t) => Array.from(t.dataSync()))).toEqual(afterOne);
    expect(m.optimizerState?.iteration).toBe(iteration);
    expect(tf.memory().numTensors).toBe(before + 2); // the two getWeights copies above
    tf.dispose([x, y]);
    m.dispose();
  });

  it('calls callbacks in Keras order, awaits async hooks, and stops on stopTraining', async () => {
    const events: string[] = [];
    class Recorder extends Callback {
      override async onTrainBegin(): Promise<void> {
        await new Promise((r) => setTimeout(r, 1));
        events.push('trainBegin');
      }
      override onEpochBegin(epoch: number): void {
        events.push(`epochBegin ${epoch}`);
      }
      override onBatchEnd(batch: number, logs: Logs): void {
        events.push(`batchEnd ${batch} ${Object.keys(logs).join(',')}`);
      }
      override onEpochEnd(epoch: number, logs: Logs): void {
        events.push(`epochEnd ${epoch} ${Object.keys(logs).join(',')}`);
        if (epoch === 1 && this.model !== undefined) this.model.stopTraining = true;
      }
      override onTrainEnd(): void {
        events.push('trainEnd');
      }
    }
    const m = irisModel(2);
    const x = tf.randomNormal([10, 4]);
    const y = oneHot(
      Array.from({ length: 10 }, (_, i) => i % 3),
      3,
    );
    const h = await m.fit(x, y, {
      epochs: 5,
      batchSize: 6,
      verbose: 0,
      callbacks: [new Recorder()],
    });
    expect(events).toEqual([
      'trainBegin',
      'epochBegin 0',
      'batchEnd 0 loss,accuracy',
      'batchEnd 1 loss,accuracy',
      'epochEnd 0 loss,accuracy',
      'epochBegin 1',
      'batchEnd 0 loss,accuracy',
      'batchEnd 1 loss,accuracy',
      'epochEnd 1 loss,accuracy',
      'trainEnd',
    ]);
    expect(h.epoch).toEqual([0, 1]);
    tf.dispose([x, y]);
    m.dispose();
  });

  it('prints one line per epoch through printFn when verbose', async () => {
    const m = irisModel(3);
    const x = tf.randomNormal([8, 4]);
    const y = oneHot([0, 1, 2, 0, 1, 2, 0, 1], 3);
    const lines: string[] = [];
    await m.fit(x, y, { epochs: 3, batchSize: 4, printFn: (l) => lines.push(l), initialEpoch: 1 });
    expect(lines.length).toBe(2);
    expect(lines[0]).toMatch(
      /^Epoch 2\/3 - 2 steps - \d+ms - loss: \d+\.\d{4} - accuracy: \d\.\d{4} - \d+ samples\/s$/,
    );
    tf.dispose([x, y]);
    m.dispose();
  });

  it('trains a model with two inputs and two outputs: losses summed, metrics per output', async () => {
    const a = input({ shape: [2], name: 'a' });
    const b = input({ shape: [3], name: 'b' });
    const h = layers
      .dense({ units: 4, activation: 'relu', name: 'h' })
      .apply(layers.concatenate().apply([a, b]));
    const o1 = layers.dense({ units: 1, name: 'o1' }).apply(h);
    const o2 = layers.dense({ units: 1, name: 'o2' }).apply(h);
    const m = model({ inputs: [a, b], outputs: [o1, o2], seed: 3 });
    m.compile({
      optimizer: optimizers.adam({ learningRate: 0.05 }),
      loss: 'mse',
      metrics: ['mae'],
    });
    const xa = tf.randomUniform([16, 2], -1, 1, 'float32', 1);
    const xb = tf.randomUniform([16, 3], -1, 1, 'float32', 2);
    const y1 = tf.sum(xa, 1, true);
    const y2 = tf.sum(xb, 1, true);
    const h1 = await m.fit([xa, xb], [y1, y2], { epochs: 30, batchSize: 8, verbose: 0, seed: 1 });
    expect(Object.keys(h1.history).sort()).toEqual(['loss', 'o1_mae', 'o2_mae']);
    const curve = h1.history['loss'] as number[];
    expect(curve.at(-1)).toBeLessThan((curve[0] as number) / 2);
    const result = m.evaluate([xa, xb], [y1, y2]);
    const [p1, p2] = m.predict([xa, xb]) as Tensor[];
    const mse = (p: Tensor, t: Tensor) =>
      tf.tidy(() => tf.mean(tf.square(tf.sub(p, t))).dataSync()[0] as number);
    expect(result['loss']).toBeCloseTo(mse(p1 as Tensor, y1) + mse(p2 as Tensor, y2), 5);
    tf.dispose([xa, xb, y1, y2, p1 as Tensor, p2 as Tensor]);
    m.dispose();
  });

  it('rejects bad configuration, naming the argument and the value', async () => {
    const m = sequential([layers.dense({ units: 2, inputShape: [3] })]);
    const x = tf.ones([4, 3]);
    const y = tf.zeros([4, 2]);
    await expect(m.fit(x, y)).rejects.toThrow(StateError);
    expect(() => m.evaluate(x, y)).toThrow(/must be compiled/);
    expect(() => m.compile({ optimizer: 'adamm', loss: 'mse' })).toThrow(NotFoundError);
    expect(() => m.compile({ optimizer: 'adamm', loss: 'mse' })).toThrow(/adamm/);
    expect(() => m.compile({ optimizer: 'adam', loss: 'mean_squared_eror' })).toThrow(
      /mean_squared_eror/,
    );
    expect(() => m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['acuracy'] })).toThrow(
      /acuracy/,
    );
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(m.fit(x, y, { epochs: 0 })).rejects.toThrow(
      'fit: epochs must be a positive integer. Received: epochs=0',
    );
    await expect(m.fit(x, y, { batchSize: -2 })).rejects.toThrow('Received: batchSize=-2');
    await expect(m.fit(x, y, { validationSplit: 1 })).rejects.toThrow(
      'Received: validationSplit=1',
    );
    await expect(m.fit(x, y, { epochs: 2, initialEpoch: 2 })).rejects.toThrow(
      'Received: initialEpoch=2',
    );
    const short = tf.zeros([3, 2]);
    await expect(m.fit(x, short, { verbose: 0 })).rejects.toThrow(ShapeError);
    await expect(m.fit(x, short, { verbose: 0 })).rejects.toThrow('Received: rows=3');
    // Validation data: rows of x and y must agree, and there must be some.
    const none = [tf.zeros([0, 3]), tf.zeros([0, 2])] as [Tensor, Tensor];
    await expect(m.fit(x, y, { verbose: 0, validationData: none })).rejects.toThrow(
      'fit: validationData needs at least one row. Received: rows=0',
    );
    await expect(m.fit(x, y, { verbose: 0, validationData: [x, short] })).rejects.toThrow(
      'validationData y must have as many rows as the other inputs/targets (4). Received: rows=3',
    );
    tf.dispose([x, y, short, ...none]);
    m.dispose();
  });
});
