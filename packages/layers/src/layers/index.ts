/**
 * `layers`: lower-case factories for every built-in layer.
 *
 * ```ts
 * import { layers, sequential } from '@tessera/layers';
 * const m = sequential([
 *   layers.flatten({ inputShape: [28, 28] }),
 *   layers.dense({ units: 128, activation: 'relu' }),
 *   layers.dropout({ rate: 0.2 }),
 *   layers.dense({ units: 10, activation: 'softmax' }),
 * ]);
 * ```
 */
import { input } from '../engine/input-layer.js';
import { activation } from './activation.js';
import { activityRegularization } from './activity-regularization.js';
import { batchNormalization } from './batch-normalization.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { elu } from './elu.js';
import { flatten } from './flatten.js';
import { lambda } from './lambda.js';
import { layerNormalization } from './layer-normalization.js';
import { leakyReLU } from './leaky-relu.js';
import { maxout } from './maxout.js';
import { add, concatenate } from './merge.js';
import { alphaDropout, gaussianDropout, gaussianNoise } from './noise.js';
import { normalization } from './normalization.js';
import { relu } from './relu.js';
import { reshape } from './reshape.js';
import { softmax } from './softmax.js';

/** Factories of the built-in layers (and `input`, Keras's `Input`). */
export const layers = {
  input,
  dense,
  flatten,
  reshape,
  activation,
  lambda,
  dropout,
  leakyReLU,
  elu,
  relu,
  softmax,
  maxout,
  concatenate,
  add,
  layerNormalization,
  normalization,
  batchNormalization,
  gaussianNoise,
  gaussianDropout,
  alphaDropout,
  activityRegularization,
} as const;
