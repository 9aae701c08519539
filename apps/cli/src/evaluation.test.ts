import { tf } from '@tessera/core';
import { Dataset } from '@tessera/datasets';
import { layers, sequential } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { evaluateModel } from './evaluation.js';

/** A 2-input, 3-class softmax model with fixed weights. */
function fixedModel() {
  const m = sequential([layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })]);
  const kernel = [
    [0.5, -1, 0.25],
    [2, 0.1, -0.3],
  ];
  const bias = [0.1, 0, -0.2];
  m.setWeights([tf.tensor2d(kernel), tf.tensor1d(bias)]);
  return { m, kernel, bias };
}

describe('evaluateModel', () => {
  const x = [
    [1, 2],
    [-1, 0.5],
    [0.3, -0.7],
    [2, 1],
    [0, 0],
  ];
  const labels = [0, 1, 2, 1, 0];
  const data = new Dataset({
    name: 'tiny',
    task: 'classification',
    featureShape: [2],
    features: Float32Array.from(x.flat()),
    targets: Int32Array.from(labels),
    classNames: ['a', 'b', 'c'],
  });

  it('computes cross-entropy and accuracy as the float64 formulas do, across chunks', () => {
    const { m, kernel, bias } = fixedModel();
    let loss = 0;
    let correct = 0;
    x.forEach((row, i) => {
      const z = [0, 1, 2].map(
        (j) => row[0]! * kernel[0]![j]! + row[1]! * kernel[1]![j]! + bias[j]!,
      );
      const max = Math.max(...z);
      const e = z.map((v) => Math.exp(v - max));
      const p = e.map((v) => v / e.reduce((a, b) => a + b, 0));
      loss -= Math.log(p[labels[i]!]!);
      if (p.indexOf(Math.max(...p)) === labels[i]) correct++;
    });
    const before = tf.memory().numTensors;
    const result = evaluateModel(m, data, {
      loss: 'categorical_crossentropy',
      metrics: ['accuracy'],
      batchSize: 2,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(result['loss']).toBeCloseTo(loss / 5, 5);
    expect(result['accuracy']).toBeCloseTo(correct / 5, 9);
  });

  it('feeds class ids to a sparse loss and gets the same numbers', () => {
    const { m } = fixedModel();
    const dense = evaluateModel(m, data, {
      loss: 'categorical_crossentropy',
      metrics: ['accuracy'],
    });
    const sparse = evaluateModel(m, data, {
      loss: 'sparse_categorical_crossentropy',
      metrics: ['accuracy'],
    });
    expect(sparse['loss']).toBeCloseTo(dense['loss']!, 6);
    expect(sparse['accuracy']).toBeCloseTo(dense['accuracy']!, 9);
  });

  it('evaluates regression with mean squared and absolute error', () => {
    const m = sequential([layers.dense({ units: 1, inputShape: [1] })]);
    m.setWeights([tf.tensor2d([[2]]), tf.tensor1d([1])]);
    const reg = new Dataset({
      name: 'line',
      task: 'regression',
      featureShape: [1],
      features: Float32Array.from([0, 1, 2]),
      targets: Float32Array.from([1, 2, 6]),
    });
    // predictions 1, 3, 5 → errors 0, 1, -1
    const result = evaluateModel(m, reg, { loss: 'mse', metrics: ['mae'] });
    expect(result['loss']).toBeCloseTo(2 / 3, 6);
    expect(result['mae']).toBeCloseTo(2 / 3, 6);
  });
});
