/**
 * `activations`: every Keras activation by name (snake_case and camelCase), callable
 * directly, plus the registry functions.
 *
 * ```ts
 * import { activations } from '@tessera/layers';
 * const y = activations.gelu(x, { approximate: true });
 * const f = activations.get('leaky_relu');   // same function as activations.leakyRelu
 * activations.register('my_relu', (x) => tf.maximum(x, 0));
 * ```
 */
import { deserialize, get, names, register, serialize } from './registry.js';
import { elu, leakyRelu, relu, relu6, selu } from './relu-family.js';
import {
  exponential,
  gelu,
  hardSigmoid,
  linear,
  mish,
  sigmoid,
  softplus,
  softsign,
  swish,
  tanh,
} from './smooth.js';
import { logSoftmax, softmax } from './softmax.js';

/** The activation registry and every built-in activation. */
export const activations = {
  get,
  serialize,
  deserialize,
  register,
  names,
  relu,
  sigmoid,
  tanh,
  softmax,
  log_softmax: logSoftmax,
  logSoftmax,
  elu,
  selu,
  gelu,
  swish,
  silu: swish,
  softplus,
  softsign,
  hard_sigmoid: hardSigmoid,
  hardSigmoid,
  exponential,
  linear,
  leaky_relu: leakyRelu,
  leakyRelu,
  relu6,
  mish,
} as const;

export type { RegisterOptions } from './name-table.js';
export type {
  ActivationFn,
  ActivationIdentifier,
  ActivationName,
  CustomActivationName,
} from './registry.js';
export { ACTIVATION_NAMES } from './registry.js';
export type { EluOptions, LeakyReluOptions, ReluOptions } from './relu-family.js';
export type { GeluOptions } from './smooth.js';
export type { SoftmaxOptions } from './softmax.js';
