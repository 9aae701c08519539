/**
 * `digits-mlp`: the course's Example 2 — the 3×5 digit bitmaps read as 15 inputs of 0 or
 * 1 → Dense 32 relu → Dense 10 softmax (one unit per digit). Pixels are already 0/1, so
 * no normalisation.
 */
import { layers, sequential } from '@tessera/layers';
import type { BuiltinModel } from './builtin-model.js';

/** The `digits-mlp` built-in model (see the module comment). */
export const digitsMlp: BuiltinModel = {
  name: 'digits-mlp',
  description: '3×5 digit bitmaps (15 pixels) → Dense 32 relu → Dense 10 softmax',
  dataset: 'digits',
  create: ({ seed }) =>
    sequential(
      [
        layers.dense({ units: 32, activation: 'relu', inputShape: [15] }),
        layers.dense({ units: 10, activation: 'softmax' }),
      ],
      { name: 'digits_mlp', ...(seed === undefined ? {} : { seed }) },
    ),
  training: {
    epochs: 40,
    batchSize: 16,
    optimizer: 'adam',
    learningRate: 0.01,
    learningRateSchedule: 'constant',
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
    validationSplit: 0.1,
    normalize: 'none',
  },
};
