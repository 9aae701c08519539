/**
 * `study-scores-mlp`: the course's Example 3 regression — hours slept and hours studied
 * → a hidden layer of 3 sigmoid units → the test score (sigmoid, as the data is scaled to
 * [0, 1]). Mean squared error, reported with the mean absolute error. The table has three
 * rows, so every step uses all of them and nothing is held out.
 */
import { layers, sequential } from '@tessera/layers';
import type { BuiltinModel } from './builtin-model.js';

/** The `study-scores-mlp` built-in model (see the module comment). */
export const studyScoresMlp: BuiltinModel = {
  name: 'study-scores-mlp',
  description:
    'Hours slept and studied → test score: Dense 3 sigmoid → Dense 1 sigmoid (regression)',
  dataset: 'study-scores',
  create: ({ seed }) =>
    sequential(
      [
        layers.dense({ units: 3, activation: 'sigmoid', inputShape: [2] }),
        layers.dense({ units: 1, activation: 'sigmoid' }),
      ],
      { name: 'study_scores_mlp', ...(seed === undefined ? {} : { seed }) },
    ),
  training: {
    epochs: 300,
    batchSize: 3,
    optimizer: 'adam',
    learningRate: 0.05,
    learningRateSchedule: 'constant',
    loss: 'mean_squared_error',
    metrics: ['mae'],
    validationSplit: 0,
    normalize: 'none',
  },
};
