// The course's examples end to end, across packages: real Iris and the study-scores
// table from @tessera/datasets, models from @tessera/layers, trained in-process
// (model.fit) and on worker threads (fit).
import { tf } from '@tessera/core';
import { fitNormalizer, loadIris, loadStudyScores } from '@tessera/datasets';
import { input, layers, sequential } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { fit } from '../src/fit.js';

function irisModel() {
  const m = sequential(
    [
      input({ shape: [4] }),
      layers.dense({ units: 10, activation: 'relu' }),
      layers.dense({ units: 10, activation: 'relu' }),
      layers.dense({ units: 3, activation: 'softmax' }),
    ],
    { seed: 3 },
  );
  m.compile({
    optimizer: { className: 'Adam', config: { learningRate: 0.01 } },
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
  });
  return m;
}

function irisSplit() {
  const [train, test] = loadIris().split(0.8, { seed: 42, stratify: true });
  const norm = fitNormalizer(train, { method: 'standard' });
  return { train: norm.apply(train), test: norm.apply(test) };
}

describe('the course on real data', () => {
  it('Iris: model.fit reaches ≥ 95% test accuracy on a seeded stratified split', async () => {
    const { train, test } = irisSplit();
    expect(test.size).toBe(30);
    const m = irisModel();
    const tr = train.toTensors({ oneHot: true });
    const te = test.toTensors({ oneHot: true });
    const before = tf.memory().numTensors;
    await m.fit(tr.x, tr.y, { epochs: 60, batchSize: 16, seed: 1, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
    const result = m.evaluate(te.x, te.y);
    expect(result['accuracy']).toBeGreaterThanOrEqual(0.95);
    tf.dispose([tr.x, tr.y, te.x, te.y]);
  });

  it('Iris: the data-parallel fit on 2 workers reaches ≥ 95% test accuracy', async () => {
    const { train, test } = irisSplit();
    const m = irisModel();
    const history = await fit(m, train, {
      workers: 2,
      epochs: 60,
      batchSize: 16,
      seed: 1,
      validationData: test,
    });
    const acc = history.history['val_accuracy']!;
    expect(acc[acc.length - 1]).toBeGreaterThanOrEqual(0.95);
  });

  it('study scores: the course regression ([3,5]→75, [5,1]→82, [10,2]→93) converges', async () => {
    const data = loadStudyScores();
    const m = sequential(
      [
        input({ shape: [2] }),
        layers.dense({ units: 3, activation: 'sigmoid' }),
        layers.dense({ units: 1 }),
      ],
      { seed: 5 },
    );
    m.compile({ optimizer: { className: 'Adam', config: { learningRate: 0.05 } }, loss: 'mse' });
    const history = await fit(m, data, { workers: 2, epochs: 300, batchSize: 3, seed: 1 });
    const losses = history.history['loss']!;
    expect(losses[losses.length - 1]!).toBeLessThan(1e-3);
    const { x } = data.toTensors();
    const predicted = m.predict(x) as tf.Tensor;
    const scores = Array.from(predicted.dataSync()).map((v) => Math.round(v * 100));
    expect(scores).toEqual([75, 82, 93]);
    tf.dispose([x, predicted]);
  });
});
