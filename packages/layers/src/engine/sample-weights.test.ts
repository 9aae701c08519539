import { type Tensor, tf, ValueError } from '@tessera/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { clearSession, layers, losses, sequential } from '../index.js';

beforeEach(() => {
  clearSession();
});

const X = [[1], [2], [-1], [0.5]];
const Y = [[1], [0], [0], [1]];

/** A one-unit sigmoid model with fixed weights (kernel 0.8, bias -0.3). */
function fixedModel(learningRate: number) {
  const m = sequential([layers.dense({ units: 1, activation: 'sigmoid', inputShape: [1] })]);
  m.build([null, 1]);
  m.setWeights([tf.tensor([[0.8]]), tf.tensor([-0.3])]);
  m.compile({
    optimizer: { className: 'SGD', config: { learningRate } },
    loss: 'binary_crossentropy',
    metrics: ['accuracy'],
  });
  return m;
}

/** Binary crossentropy of each row of the fixed model, float64. */
function rowLosses(): number[] {
  return X.map(([x], i) => {
    const p = 1 / (1 + Math.exp(-(0.8 * x! - 0.3)));
    return Y[i]![0] === 1 ? -Math.log(p) : -Math.log(1 - p);
  });
}

function weightsOf(m: ReturnType<typeof fixedModel>): number[] {
  return m.getWeights().flatMap((t: Tensor) => Array.from(t.dataSync()));
}

describe('fit and evaluate with sampleWeight and classWeight', () => {
  it('evaluate weighs the loss as sum(w·loss)/rows and leaves the metrics unweighted', () => {
    const m = fixedModel(0.1);
    const w = [2, 0, 1, 3];
    const expected = rowLosses().reduce((s, l, i) => s + w[i]! * l, 0) / 4;
    const logs = m.evaluate(X, Y, { sampleWeight: w, batchSize: 3 });
    expect(logs['loss']).toBeCloseTo(expected, 5);
    expect(logs['accuracy']).toBeCloseTo(m.evaluate(X, Y)['accuracy']!, 6);
  });

  it('a weight of 2 on every row steps like twice the learning rate (plain SGD, one batch)', async () => {
    const weighted = fixedModel(0.1);
    await weighted.fit(X, Y, {
      epochs: 2,
      batchSize: 4,
      sampleWeight: [2, 2, 2, 2],
      verbose: 0,
      seed: 1,
    });
    const doubled = fixedModel(0.2);
    await doubled.fit(X, Y, { epochs: 2, batchSize: 4, verbose: 0, seed: 1 });
    const reference = weightsOf(doubled);
    weightsOf(weighted).forEach((v, i) => {
      expect(v).toBeCloseTo(reference[i]!, 6);
    });
  });

  it('classWeight gives each row its class weight (missing classes weigh 1)', async () => {
    const byClass = fixedModel(0.1);
    const hc = await byClass.fit(X, Y, {
      epochs: 3,
      batchSize: 2,
      classWeight: { 1: 4 },
      verbose: 0,
      seed: 2,
    });
    const byRow = fixedModel(0.1);
    const hr = await byRow.fit(X, Y, {
      epochs: 3,
      batchSize: 2,
      sampleWeight: [4, 1, 1, 4],
      verbose: 0,
      seed: 2,
    });
    expect(weightsOf(byClass)).toEqual(weightsOf(byRow));
    expect(hc.history['loss']).toEqual(hr.history['loss']);
  });

  it('refuses both at once, and bad weights, in the Keras form', async () => {
    const m = fixedModel(0.1);
    await expect(
      m.fit(X, Y, { sampleWeight: [1, 1, 1, 1], classWeight: { 0: 1 }, verbose: 0 }),
    ).rejects.toThrow('fit: give sampleWeight or classWeight, not both');
    await expect(m.fit(X, Y, { sampleWeight: [1, 1], verbose: 0 })).rejects.toThrow(
      'fit: sampleWeight needs one weight per row (4). Received: sampleWeight.length=2',
    );
    expect(() => m.evaluate(X, Y, { sampleWeight: [1, -1, 1, 1] })).toThrow(ValueError);
  });

  it("training refuses reduction 'none' (one value per example)", async () => {
    const m = fixedModel(0.1);
    m.compile({ optimizer: 'sgd', loss: losses.binaryCrossentropy({ reduction: 'none' }) });
    await expect(m.fit(X, Y, { verbose: 0 })).rejects.toThrow("need a reduction other than 'none'");
  });
});
