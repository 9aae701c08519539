/**
 * Lambda: a function as a layer (the course's `Lambda(lambda x: tf.abs(x))`).
 *
 * A model with a Lambda saves the function by its registered name, never its code:
 * register it with `activations.register(name, fn)` to save the model, and register it
 * again (same name) in the process that loads it. Loading an unregistered name fails
 * with an error that says so.
 *
 * ```ts
 * activations.register('abs', (x) => tf.abs(x));
 * layers.lambda({ fn: 'abs' });                 // or { fn: theFunction }
 * ```
 */
import { NotFoundError, received, type Tensor, tf, ValueError } from '@tessera/core';
import { type ActivationFn, activations } from '../activations/index.js';
import { keysOf } from '../engine/arg-keys.js';
import { LAYER_ARG_KEYS, Layer, type LayerArgs } from '../engine/layer.js';
import { checkDims, type Shape, singleShape } from '../engine/shape.js';
import { checkArgs } from '../registry/checks.js';

/** Arguments of `layers.lambda`. */
export interface LambdaArgs extends LayerArgs {
  /** The function `(x) => Tensor`, or the name it was registered under. */
  fn: ActivationFn | string;
  /** Shape of one output example, without the batch; default: found by running `fn` once. */
  outputShape?: number[];
}

/** Wraps `(x) => Tensor`; saved by the function's registered name. */
export class Lambda extends Layer<'one'> {
  static override readonly className = 'Lambda';
  static override readonly argKeys: readonly string[] = keysOf<LambdaArgs>()([
    'fn',
    'outputShape',
    ...LAYER_ARG_KEYS,
  ]);
  readonly fn: ActivationFn;
  readonly outputShape: number[] | undefined;

  constructor(args: LambdaArgs) {
    checkArgs(args, 'Lambda', '{ fn, name?, outputShape? }');
    super(args);
    if (typeof args.fn === 'string') {
      try {
        this.fn = activations.deserialize(args.fn);
      } catch (cause) {
        throw new NotFoundError(
          `Lambda: no function is registered under ${JSON.stringify(args.fn)}. Register it with activations.register(${JSON.stringify(args.fn)}, fn) before creating or loading this layer. Received: fn=${JSON.stringify(args.fn)}`,
          { cause },
        );
      }
    } else if (typeof args.fn === 'function') {
      this.fn = args.fn;
    } else {
      throw new ValueError(
        received('Lambda: fn must be a function (x) => Tensor or a registered name', 'fn', args.fn),
      );
    }
    this.outputShape =
      args.outputShape === undefined
        ? undefined
        : checkDims(args.outputShape, 'Lambda', 'outputShape');
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return this.fn(this.single(inputs));
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = singleShape(inputShape, 'Lambda');
    if (this.outputShape !== undefined) return [shape[0] ?? null, ...this.outputShape];
    const rest = shape.slice(1);
    if (rest.some((d) => d === null)) return [...shape];
    const outShape = tf.tidy(() => this.fn(tf.zeros([1, ...(rest as number[])])).shape);
    return [shape[0] ?? null, ...outShape.slice(1)];
  }

  override getConfig(): Record<string, unknown> {
    let name: string;
    try {
      name = activations.serialize(this.fn);
    } catch (cause) {
      throw new ValueError(
        `Lambda "${this.name}": its function is not registered, so the model cannot be saved. Call activations.register('a_name', fn) and pass that function (or the name). Received: fn=${this.fn.name || '(anonymous)'}`,
        { cause },
      );
    }
    const config: Record<string, unknown> = { ...super.getConfig(), fn: name };
    if (this.outputShape !== undefined) config['outputShape'] = [...this.outputShape];
    return config;
  }
}

/** Wraps a function `(x) => Tensor` as a layer. */
export function lambda(args: LambdaArgs): Lambda {
  return new Lambda(args);
}
