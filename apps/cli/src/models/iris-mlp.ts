/**
 * `iris-mlp`: the course's Example 1 network for Fisher's Iris — 4 measurements →
 * Dense 10 relu → Dense 10 relu → Dense 3 softmax (one unit per species). Features are
 * standardised (mean 0, deviation 1, fit on the training split).
 */
import { layers, sequential } from '@tessera/layers';
import type { BuiltinModel } from './builtin-model.js';

/** The `iris-mlp` built-in model (see the module comment). */
export const irisMlp: BuiltinModel = {
  name: 'iris-mlp',
  description: 'Iris species from 4 measurements: Dense 10 relu → Dense 10 relu → Dense 3 softmax',
  dataset: 'iris',
  create: ({ seed }) =>
    sequential(
      [
        layers.dense({ units: 10, activation: 'relu', inputShape: [4] }),
        layers.dense({ units: 10, activation: 'relu' }),
        layers.dense({ units: 3, activation: 'softmax' }),
      ],
      { name: 'iris_mlp', ...(seed === undefined ? {} : { seed }) },
    ),
  training: {
    epochs: 60,
    batchSize: 16,
    optimizer: 'adam',
    learningRate: 0.01,
    learningRateSchedule: 'constant',
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
    validationSplit: 0.2,
    normalize: 'standard',
  },
};
