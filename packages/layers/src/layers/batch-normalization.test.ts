import { checkGradients, type Tensor, tf, ValueError } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { StateUpdate } from '../engine/call-context.js';
import { withWeightValues } from '../engine/layer-weight.js';
import { Model } from '../engine/model.js';
import { clearSession, layers, sequential } from '../index.js';
import { runLayerTest } from '../testing/layer-test.js';

beforeEach(() => {
  clearSession();
});

const X = [
  [1, -2, 0.5],
  [3, 0, 1.5],
  [-1, 4, 2.5],
  [2, 2, -0.5],
];

/** Float64 column mean and biased variance. */
function moments(rows: number[][]): { mean: number[]; variance: number[] } {
  const n = rows.length;
  const mean = rows[0]!.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0) / n);
  const variance = rows[0]!.map(
    (_, j) => rows.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / n,
  );
  return { mean, variance };
}

describe('BatchNormalization', () => {
  it('passes the layer harness (shapes, weights, training step, config, inference gradients, leaks)', async () => {
    await runLayerTest({
      layer: () =>
        layers.batchNormalization({
          gammaInitializer: 'glorotUniform',
          betaInitializer: 'glorotUniform',
        }),
      inputShape: [4, 3],
      expectedOutputShape: [4, 3],
      expectedWeightShapes: [[3], [3], [3], [3]],
      expectedTrainableWeights: 2,
    });
  });

  it('training: batch statistics and moving averages; inference: the moving ones (float64 reference)', () => {
    const bn = layers.batchNormalization({ momentum: 0.9, epsilon: 0.01 });
    const x = tf.tensor(X);
    const y = bn.apply(x, { training: true }) as Tensor;
    const { mean, variance } = moments(X);
    const got = y.arraySync() as number[][];
    X.forEach((row, r) => {
      row.forEach((v, j) => {
        expect(got[r]![j]).toBeCloseTo((v - mean[j]!) / Math.sqrt(variance[j]! + 0.01), 5);
      });
    });
    // moving = 0.9·initial + 0.1·batch (initial mean 0, variance 1).
    const [, , movingMean, movingVariance] = bn.getWeights();
    Array.from(movingMean!.dataSync()).forEach((v, j) => {
      expect(v).toBeCloseTo(0.1 * mean[j]!, 6);
    });
    Array.from(movingVariance!.dataSync()).forEach((v, j) => {
      expect(v).toBeCloseTo(0.9 + 0.1 * variance[j]!, 6);
    });
    const z = bn.apply(x) as Tensor;
    const inference = z.arraySync() as number[][];
    X.forEach((row, r) => {
      row.forEach((v, j) => {
        const mm = 0.1 * mean[j]!;
        const mv = 0.9 + 0.1 * variance[j]!;
        expect(inference[r]![j]).toBeCloseTo((v - mm) / Math.sqrt(mv + 0.01), 5);
      });
    });
    tf.dispose([x, y, z]);
  });

  it('training-mode gradients (through the batch statistics) match finite differences', () => {
    const bn = layers.batchNormalization({ gammaInitializer: 'glorotUniform' });
    bn.build([null, 3]);
    const trainable = bn.trainableWeights;
    const params = trainable.map((w) => w.read());
    const x = tf.tensor(X);
    const probe = tf.tensor([[0.3, -1.2, 0.7]]);
    const f = (input: Tensor, ...values: Tensor[]): Tensor =>
      withWeightValues(trainable, values, () => {
        const updates: StateUpdate[] = [];
        const out = bn.call(input, { training: true, updates }) as Tensor;
        for (const u of updates) u.value.dispose();
        // A weighted sum: the plain sum of a normalised column is always 0.
        return tf.sum(tf.mul(out, probe));
      });
    const report = checkGradients(f, [x, ...params], { rtol: 2e-2 });
    expect(report.worst, JSON.stringify(report.worst)).toBeUndefined();
    tf.dispose([x, probe, ...params]);
  });

  it('model.fit moves the moving statistics only after each step, and the config round-trips', async () => {
    const m = sequential([
      layers.batchNormalization({ inputShape: [3], momentum: 0.5 }),
      layers.dense({ units: 1 }),
    ]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    // One full batch, one epoch: the moving mean becomes 0.5·0 + 0.5·batch mean.
    await m.fit(X, [[1], [0], [1], [0]], { epochs: 1, batchSize: 4, verbose: 0, seed: 3 });
    const { mean } = moments(X);
    Array.from(m.getWeights()[2]!.dataSync()).forEach((v, j) => {
      expect(v).toBeCloseTo(0.5 * mean[j]!, 6);
    });
    const copy = Model.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    copy.setWeights(m.getWeights());
    const x = tf.tensor(X);
    const a = m.predict(x) as Tensor;
    const b = copy.predict(x) as Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(copy.layers[0]!.getConfig()).toMatchObject({ momentum: 0.5, epsilon: 1e-3, axis: -1 });
    tf.dispose([x, a, b]);
  });

  it('rejects bad options in the Keras form', () => {
    expect(() => layers.batchNormalization({ momentum: 1.5 })).toThrow(
      'BatchNormalization: momentum must be a number in [0, 1]. Received: momentum=1.5',
    );
    expect(() => layers.batchNormalization({ epsilon: 0 })).toThrow(ValueError);
  });
});
