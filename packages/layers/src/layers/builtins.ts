/**
 * Registers every built-in layer and model class for deserialization — the one place
 * this happens. The package entry imports it once; custom classes go through
 * `registerLayer` in user code. Each class here declares its own `argKeys`, so configs and
 * options with a key it does not accept are refused (engine/arg-keys.ts); custom classes
 * are not checked.
 */
import { InputLayer } from '../engine/input-layer.js';
import type { LayerClass } from '../engine/layer.js';
import { registerLayer } from '../engine/layer-registry.js';
import { Model } from '../engine/model.js';
import { Sequential } from '../engine/sequential.js';
import { Activation } from './activation.js';
import { ActivityRegularization } from './activity-regularization.js';
import { BatchNormalization } from './batch-normalization.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { ELU } from './elu.js';
import { Flatten } from './flatten.js';
import { Lambda } from './lambda.js';
import { LayerNormalization } from './layer-normalization.js';
import { LeakyReLU } from './leaky-relu.js';
import { Maxout } from './maxout.js';
import { Add, Concatenate } from './merge.js';
import { AlphaDropout, GaussianDropout, GaussianNoise } from './noise.js';
import { Normalization } from './normalization.js';
import { ReLU } from './relu.js';
import { Reshape } from './reshape.js';
import { Softmax } from './softmax.js';

/** The built-in layer and model classes, in registration order. */
export const BUILTIN_LAYER_CLASSES: readonly LayerClass[] = [
  InputLayer,
  Dense,
  Flatten,
  Reshape,
  Activation,
  Lambda,
  Dropout,
  LeakyReLU,
  ELU,
  ReLU,
  Softmax,
  Maxout,
  Concatenate,
  Add,
  LayerNormalization,
  Normalization,
  BatchNormalization,
  GaussianNoise,
  GaussianDropout,
  AlphaDropout,
  ActivityRegularization,
  Sequential,
  Model,
];

for (const cls of BUILTIN_LAYER_CLASSES) registerLayer(cls);
