/**
 * The optimizers and layers added for Keras parity, in data-parallel training: 1, 2 and 4
 * workers train the same weights as in-process model.fit (testing/parity.ts), whichever
 * path the model trains on.
 */
import type { Tensor } from '@tessera/core';
import { type CompileArgs, type Layer, layers, Model, sequential } from '@tessera/layers';
import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import { blobs, classifier, maxAbsDiff, weightsOf } from './testing/fixtures.js';
import { expectWorkerParity } from './testing/parity.js';

const data = blobs(42);
const run = { epochs: 3, batchSize: 8, seed: 9 } as const;

/** A classifier with `middle` layers between two Dense layers, same initial weights every time. */
function withLayers(middle: () => Layer[], optimizer: CompileArgs['optimizer'] = 'adam') {
  const build = () =>
    sequential([
      layers.input({ shape: [6] }),
      layers.dense({ units: 8, activation: 'tanh', name: 'hidden' }),
      ...middle(),
      layers.dense({ units: 3, activation: 'softmax', name: 'out' }),
    ]);
  const first = build();
  const json = first.toJSON();
  const weights: Tensor[] = first.getWeights();
  return () => {
    const m = Model.fromJSON(json);
    m.setWeights(weights);
    m.compile({ optimizer, loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    return m;
  };
}

describe('fit: the Keras-parity optimizers and layers on 1, 2 and 4 workers', () => {
  it.each([
    ['Adadelta', { className: 'Adadelta', config: { learningRate: 1 } }],
    ['Adamax', { className: 'Adamax', config: { learningRate: 0.01 } }],
    ['Nadam', { className: 'Nadam', config: { learningRate: 0.01 } }],
    ['Lion', { className: 'Lion', config: { learningRate: 0.001 } }],
    ['AdamW', { className: 'AdamW', config: { learningRate: 0.01, weightDecay: 0.01 } }],
    ['SGD with clipvalue', { className: 'SGD', config: { learningRate: 0.1, clipvalue: 0.05 } }],
  ] as const)('%s trains like model.fit', async (_, optimizer) => {
    const factory = classifier({ optimizer });
    await expectWorkerParity({
      make: () => factory.make(),
      data,
      ...run,
      tolerance: 1e-4,
      path: 'resident',
    });
  });

  it.each([
    ['LayerNormalization', () => [layers.layerNormalization({ name: 'ln' })]],
    [
      'Normalization (fixed statistics)',
      () => [
        layers.normalization({
          mean: [0, 0.1, 0, 0, -0.1, 0, 0, 0.2],
          variance: [1, 2, 1, 0.5, 1, 1, 3, 1],
        }),
      ],
    ],
    ['ActivityRegularization', () => [layers.activityRegularization({ l2: 0.01 })]],
  ] as const)('%s trains like model.fit', async (_, middle) => {
    await expectWorkerParity({
      make: withLayers(middle as () => Layer[]),
      data,
      ...run,
      tolerance: 1e-4,
    });
  });

  // Their noise comes from the run's seed, drawn per example wherever the example is
  // computed: not model.fit's draws, but the same for any worker count.
  it.each([
    ['Dropout', () => [layers.dropout({ rate: 0.3 })]],
    // A Lambda keeps the model off the resident step: Dropout on the tfjs path.
    ['Dropout (tfjs path)', () => [layers.lambda({ fn: 'linear' }), layers.dropout({ rate: 0.3 })]],
    ['GaussianNoise', () => [layers.gaussianNoise({ stddev: 0.1 })]],
    ['GaussianDropout', () => [layers.gaussianDropout({ rate: 0.2 })]],
    ['AlphaDropout', () => [layers.alphaDropout({ rate: 0.2 })]],
  ] as const)('%s trains the same weights on 1, 2 and 4 workers', async (_, middle) => {
    const make = withLayers(middle as () => Layer[]);
    const finals: Record<string, Float32Array>[] = [];
    for (const workers of [1, 2, 4]) {
      const m = make();
      await fit(m, data, { workers, ...run });
      finals.push(weightsOf(m));
    }
    for (const other of finals.slice(1))
      expect(maxAbsDiff(finals[0]!, other)).toBeLessThanOrEqual(1e-5);
    // The noise mattered: without it the run ends elsewhere.
    const plain = withLayers(() => [])();
    await fit(plain, data, { workers: 1, ...run });
    expect(maxAbsDiff(finals[0]!, weightsOf(plain))).toBeGreaterThan(1e-4);
  });
});
