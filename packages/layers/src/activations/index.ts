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
import { BUILTIN_ACTIVATIONS, deserialize, get, names, register, serialize } from './registry.js';

/**
 * The activation registry and every built-in activation under each of its names (the
 * Keras name and its aliases: `log_softmax` and `logSoftmax`, `swish` and `silu`, …).
 */
export const activations = {
  get,
  serialize,
  deserialize,
  register,
  names,
  ...BUILTIN_ACTIVATIONS,
} as const;

export type { RegisterOptions } from '../registry/name-table.js';
export type {
  ActivationFn,
  ActivationIdentifier,
  ActivationName,
  CustomActivationName,
} from './registry.js';
export { ACTIVATION_NAMES } from './registry.js';
export type { EluOptions, LeakyReluOptions, ReluOptions } from './relu-family.js';
export type { ShrinkOptions, SparsemaxOptions, ThresholdOptions } from './shrink.js';
export type { GeluOptions } from './smooth.js';
export type { SoftmaxOptions } from './softmax.js';
