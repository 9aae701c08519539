/**
 * The activation registry: Keras names (and camelCase aliases) → functions, plus the
 * functions users register themselves so models that use them can be saved by name.
 *
 * ```ts
 * activations.get('relu');                          // the relu function
 * activations.register('my_relu', (x) => tf.maximum(x, 0));
 * activations.serialize(activations.get('my_relu')); // 'my_relu'
 * ```
 */

import type { DenseActivation, Tensor } from '@tessera/core';
import { received, ValueError } from '@tessera/core';
import type { RegisterOptions } from '../registry/name-table.js';
import { NameTable } from '../registry/name-table.js';
import { celu, glu, hardSilu, logSigmoid, sparsePlus, squareplus } from './keras3-extras.js';
import { elu, leakyRelu, relu, relu6, selu } from './relu-family.js';
import {
  hardShrink,
  hardTanh,
  softShrink,
  sparsemax,
  sparseSigmoid,
  tanhShrink,
  threshold,
} from './shrink.js';
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

/**
 * An activation: elementwise (or per-axis, for softmax) map of a tensor to a new tensor.
 * It may declare `fusedDense`: the activation core's `fusedDense` op applies itself with
 * the same values (the Dense layer then runs one fused op instead of two).
 */
export interface ActivationFn {
  (x: Tensor): Tensor;
  readonly fusedDense?: DenseActivation;
}

/** Built-in activations: the Keras name first, then its aliases. */
const BUILTINS = [
  { names: ['relu'], fn: relu },
  { names: ['sigmoid'], fn: sigmoid },
  { names: ['tanh'], fn: tanh },
  { names: ['softmax'], fn: softmax },
  { names: ['log_softmax', 'logSoftmax'], fn: logSoftmax },
  { names: ['elu'], fn: elu },
  { names: ['selu'], fn: selu },
  { names: ['gelu'], fn: gelu },
  { names: ['swish', 'silu'], fn: swish },
  { names: ['softplus'], fn: softplus },
  { names: ['softsign'], fn: softsign },
  { names: ['hard_sigmoid', 'hardSigmoid'], fn: hardSigmoid },
  { names: ['exponential'], fn: exponential },
  { names: ['linear'], fn: linear },
  { names: ['leaky_relu', 'leakyRelu'], fn: leakyRelu },
  { names: ['relu6'], fn: relu6 },
  { names: ['mish'], fn: mish },
  { names: ['celu'], fn: celu },
  { names: ['hard_silu', 'hardSilu', 'hard_swish', 'hardSwish'], fn: hardSilu },
  { names: ['log_sigmoid', 'logSigmoid'], fn: logSigmoid },
  { names: ['glu'], fn: glu },
  { names: ['squareplus'], fn: squareplus },
  { names: ['sparse_plus', 'sparsePlus'], fn: sparsePlus },
  { names: ['hard_tanh', 'hardTanh'], fn: hardTanh },
  { names: ['hard_shrink', 'hardShrink'], fn: hardShrink },
  { names: ['soft_shrink', 'softShrink'], fn: softShrink },
  { names: ['tanh_shrink', 'tanhShrink'], fn: tanhShrink },
  { names: ['threshold'], fn: threshold },
  { names: ['sparse_sigmoid', 'sparseSigmoid'], fn: sparseSigmoid },
  { names: ['sparsemax'], fn: sparsemax },
] as const satisfies ReadonlyArray<{ names: readonly string[]; fn: ActivationFn }>;

/** Names of the built-in activations: Keras snake_case names and camelCase aliases. */
export type ActivationName = (typeof BUILTINS)[number]['names'][number];

/**
 * A name registered with `activations.register` (any string; built-in names still
 * autocomplete).
 */
export type CustomActivationName = string & Record<never, never>;

/**
 * What every `activation` argument accepts: a built-in or registered name, a function,
 * or undefined/null for linear.
 */
export type ActivationIdentifier =
  | ActivationName
  | CustomActivationName
  | ActivationFn
  | undefined
  | null;

/** The Keras names of the built-in activations (aliases left out), in a fixed order. */
export const ACTIVATION_NAMES: readonly ActivationName[] = BUILTINS.map((b) => b.names[0]);

/** Each built-in under every one of its names, keeping each function's own signature. */
export type BuiltinActivations = {
  readonly [B in (typeof BUILTINS)[number] as B['names'][number]]: B['fn'];
};

/**
 * Every built-in under each of its names, in table order (`relu`, …, `log_softmax` and
 * `logSoftmax`, …): what the `activations` object exposes besides the registry functions.
 */
export const BUILTIN_ACTIVATIONS = Object.fromEntries(
  BUILTINS.flatMap(({ names, fn }) => names.map((name) => [name, fn])),
) as BuiltinActivations;

const table = new NameTable<ActivationFn>({
  kind: 'activation',
  aliasHint:
    ' (camelCase aliases such as leakyRelu are accepted too) or a name given to activations.register()',
});
for (const { names, fn } of BUILTINS) table.add(names, fn);

/** The activation function for `identifier`; undefined and null give `linear`. */
export function get(identifier: ActivationIdentifier): ActivationFn {
  if (identifier === undefined || identifier === null) return linear;
  if (typeof identifier === 'function') return identifier;
  if (typeof identifier === 'string') return table.get(identifier);
  throw new ValueError(
    received(
      'activation must be a name, a function (x) => Tensor, undefined or null',
      'activation',
      identifier,
    ),
  );
}

/** The registered name of `fn` (its Keras name for a built-in). */
export function serialize(fn: ActivationFn): string {
  if (typeof fn !== 'function') {
    throw new ValueError(
      received('activations.serialize: expected an activation function', 'activation', fn),
    );
  }
  const name = table.nameOf(fn);
  if (name === undefined) {
    throw new ValueError(
      received(
        'activations.serialize: this function is not registered, so it cannot be saved by name; ' +
          "call activations.register('a_name', fn) first and use that function (or its name)",
        'activation',
        fn,
      ),
    );
  }
  return name;
}

/** The function registered under `name` (the inverse of `serialize`). */
export function deserialize(name: string): ActivationFn {
  if (typeof name !== 'string') {
    throw new ValueError(
      received('activations.deserialize: expected an activation name', 'name', name),
    );
  }
  return table.get(name);
}

/**
 * Registers a custom activation under `name`, so layers can use it by name and saved
 * models can refer to it. A taken name is an error unless `{ override: true }`.
 *
 * ```ts
 * activations.register('my_relu', (x) => tf.maximum(x, 0));
 * layers.dense({ units: 10, activation: 'my_relu' });
 * ```
 */
export function register(name: string, fn: ActivationFn, options: RegisterOptions = {}): void {
  if (typeof fn !== 'function') {
    throw new ValueError(
      received('activations.register: expected a function (x: Tensor) => Tensor', 'fn', fn),
    );
  }
  table.add([name], fn, options);
}

/** Every listed name: the built-in Keras names, then registered ones. */
export function names(): string[] {
  return table.names();
}
