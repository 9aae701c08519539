/**
 * Activation: applies an activation function as a layer of its own.
 *
 * ```ts
 * layers.activation({ activation: 'softmax' });
 * ```
 */
import type { Tensor } from '@tessera/core';
import { type ActivationFn, activations } from '../activations/index.js';
import { keysOf } from '../engine/arg-keys.js';
import type { ActivationArg } from '../engine/identifiers.js';
import { LAYER_ARG_KEYS, Layer, type LayerArgs } from '../engine/layer.js';
import { type Shape, singleShape } from '../engine/shape.js';
import { checkArgs } from '../registry/checks.js';
import { activationOutputShape, resolveActivation } from './common.js';

/** Arguments of `layers.activation`. */
export interface ActivationArgs extends LayerArgs {
  /** A name ('relu', 'tanh', …), a registered function, or a function. */
  activation: ActivationArg;
}

/** Applies an activation function to its input. */
export class Activation extends Layer<'one'> {
  static override readonly className = 'Activation';
  static override readonly argKeys: readonly string[] = keysOf<ActivationArgs>()([
    'activation',
    ...LAYER_ARG_KEYS,
  ]);
  readonly activation: ActivationFn;

  constructor(args: ActivationArgs) {
    checkArgs(args, 'Activation', '{ activation }');
    super(args);
    this.activation = resolveActivation(args.activation, 'Activation');
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return this.activation(this.single(inputs));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return activationOutputShape(this.activation, singleShape(inputShape, 'Activation'));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: activations.serialize(this.activation) };
  }
}

/** Applies an activation function. */
export function activation(args: ActivationArgs): Activation {
  return new Activation(args);
}
