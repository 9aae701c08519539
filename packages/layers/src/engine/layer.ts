/**
 * The base of every layer (and of models, which are layers made of layers).
 *
 * A layer follows one shape: `*Args` (documented per field) → constructor validation →
 * lazy `build(inputShape)` that creates weights with `addWeight({ … })` → pure
 * `call(inputs, { training })` → `computeOutputShape(inputShape)` → `getConfig()`.
 *
 * `apply` does the rest: on SymbolicTensors it records a graph node (functional API);
 * on tensors it builds the layer if needed, checks the input and computes.
 *
 * ```ts
 * class Scale extends Layer {
 *   static readonly className = 'Scale';
 *   private w!: Weight;
 *   override build(shape: Shape): void {
 *     this.w = this.addWeight({ name: 'w', shape: [shape.at(-1)!], initializer: initializers.get('ones') });
 *     super.build(shape);
 *   }
 *   override call(x: Tensor | Tensor[]): Tensor { return tf.mul(this.single(x), this.w.value); }
 * }
 * registerLayer(Scale);
 * ```
 */
import {
  formatValue,
  received,
  ShapeError,
  StateError,
  type Tensor,
  tf,
  ValueError,
} from '@tessera/core';
import { type Regularizer, regularizers } from '../regularizers/index.js';
import { checkLayerArgs, keysOf } from './arg-keys.js';
import type { ApplyOptions, Arity, CallContext, Out } from './call-context.js';
import type { RegularizerArg } from './identifiers.js';
import { inContext } from './in-context.js';
import { declaredInputShape } from './input-shape-args.js';
import { type AddWeightOptions, Weight } from './layer-weight.js';
import { toSnakeCase, uniqueName } from './names.js';
import { globalStream } from './seed.js';
import { formatShape, isShapeList, receivedShape, type Shape } from './shape.js';
import { isSymbolic, type Node, SymbolicTensor } from './symbolic.js';

/** Arguments every layer accepts. */
export interface LayerArgs {
  /** Unique name; default: the class name in snake_case plus a counter ('dense_1'). */
  name?: string;
  /** Whether training updates the layer's weights (default true). */
  trainable?: boolean;
  /**
   * Shape of one example, without the batch (`[28, 28]`). On the first layer of a
   * sequential model it creates the model's input, as `input({ shape })` would.
   */
  inputShape?: number[];
  /** `inputShape: [inputDim]` in short, as both Keras and tfjs accept it. */
  inputDim?: number;
  /**
   * The input shape with the batch first, `[null, ...inputShape]`, as tfjs-layers and
   * Keras 2 configs write it (configs may also spell it `batch_input_shape` or `batchShape`).
   * The batch entry is null or a positive integer; a fixed batch size is ignored, as models
   * take any batch. Given with `inputShape`, the two must agree.
   */
  batchInputShape?: readonly (number | null)[];
  /** Penalty on the layer's output, added to the loss (divided by the batch size). */
  activityRegularizer?: RegularizerArg;
}

/** The keys of {@link LayerArgs}: every built-in layer's `argKeys` ends with them. */
export const LAYER_ARG_KEYS = keysOf<LayerArgs>()([
  'name',
  'trainable',
  'inputShape',
  'inputDim',
  'batchInputShape',
  'activityRegularizer',
]);

/** A layer class as the registry knows it. */
export interface LayerClass {
  /** Name used in saved configs ('Dense'). */
  readonly className: string;
  /** Keys its arguments accept; checked when the class declares its own (engine/arg-keys.ts). */
  readonly argKeys: readonly string[];
  new (args: never): Layer<Arity>;
  /** Rebuilds a layer from `getConfig()`; default `new Class(config)`. */
  fromConfig?(config: Record<string, unknown>): Layer<Arity>;
}

/** Serialized layer: its class name and config (plain JSON, camelCase keys). */
export interface SerializedLayer {
  className: string;
  config: Record<string, unknown>;
}

/** Base class of layers and models; see the module comment for the shape every layer follows. */
export abstract class Layer<A extends Arity = Arity> {
  /** Serialization name; every subclass sets its own. */
  static readonly className: string = 'Layer';
  /**
   * Keys the constructor accepts. A built-in class declares its own list, and then any other
   * key is an error (engine/arg-keys.ts); a class that inherits the list is not checked.
   */
  static readonly argKeys: readonly string[] = LAYER_ARG_KEYS;

  readonly name: string;
  /** True once weights exist (after the first call or `build`). */
  built = false;
  /** The shape `build` was given (batch dimension `null`). */
  buildInputShape: Shape | Shape[] | undefined;
  /** `[null, ...inputShape]` when the layer was given `inputShape`. */
  readonly batchInputShape: Shape | undefined;
  /** Calls of this layer on symbolic tensors, in order. */
  readonly inboundNodes: Node[] = [];
  readonly activityRegularizer: Regularizer | undefined;
  private ownWeights: Weight[] = [];
  private isTrainable: boolean;

  constructor(args: LayerArgs = {}) {
    const className = this.className;
    // new.target is the class being made (Dense), so the base knows the keys it accepts.
    args = checkLayerArgs(new.target, args);
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name === '')) {
      throw new ValueError(
        received(`${className}: name must be a non-empty string`, 'name', args.name),
      );
    }
    this.name = args.name ?? uniqueName(toSnakeCase(className));
    this.isTrainable = args.trainable ?? true;
    this.batchInputShape = declaredInputShape(className, args);
    this.activityRegularizer =
      args.activityRegularizer === undefined || args.activityRegularizer === null
        ? undefined
        : inContext(`${className}: activityRegularizer`, () =>
            regularizers.get(args.activityRegularizer as RegularizerArg),
          );
  }

  /** The class name used in configs and summaries ('Dense'). */
  get className(): string {
    return (this.constructor as unknown as LayerClass).className;
  }

  /** Creates the weights for inputs of this shape. Subclasses call `super.build(shape)` last. */
  build(inputShape: Shape | Shape[]): void {
    this.buildInputShape = inputShape;
    this.built = true;
  }

  /** The computation; must only read weights through `weight.value`. */
  abstract call(inputs: Tensor | Tensor[], context: CallContext): Tensor | Tensor[];

  /** Output shape for this input shape (default: unchanged). */
  computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  /** Rejects inputs the built layer cannot take (default: compare with `inputShape`). */
  protected checkInputShape(shape: Shape | Shape[]): void {
    const declared = this.batchInputShape;
    if (declared === undefined || isShapeList(shape)) return;
    const fits =
      declared.length === shape.length &&
      declared.every((d, i) => i === 0 || d === null || shape[i] === null || shape[i] === d);
    if (!fits) {
      throw new ShapeError(
        receivedShape(`Layer "${this.name}" expects input shape ${formatShape(declared)}`, shape),
      );
    }
  }

  /** Serializable arguments: what `new Class(config)` needs to make the same layer. */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable };
    if (this.batchInputShape !== undefined) config['inputShape'] = this.batchInputShape.slice(1);
    if (this.activityRegularizer !== undefined) {
      config['activityRegularizer'] = regularizers.serialize(this.activityRegularizer);
    }
    return config;
  }

  // ---- weights ----------------------------------------------------------------------

  /** Declares a weight while building; its initial values come from the seeded stream. */
  protected addWeight(options: AddWeightOptions): Weight {
    const fullName = `${this.name}/${options.name}`;
    if (this.ownWeights.some((w) => w.name === fullName)) {
      throw new ValueError(
        received(`Layer "${this.name}": weight names must be unique`, 'name', options.name),
      );
    }
    const initial = tf.tidy(() =>
      options.initializer.generate(options.shape, globalStream('init')),
    );
    const weight = new Weight(fullName, options, initial);
    initial.dispose();
    weight.setLayerTrainable(this.isTrainable);
    this.ownWeights.push(weight);
    return weight;
  }

  /** All weights in Keras order (this layer's: in creation order; models: layer by layer). */
  get weights(): Weight[] {
    return [...this.ownWeights];
  }

  get trainableWeights(): Weight[] {
    return this.weights.filter((w) => w.trainable);
  }

  get nonTrainableWeights(): Weight[] {
    return this.weights.filter((w) => !w.trainable);
  }

  get trainable(): boolean {
    return this.isTrainable;
  }

  /** Freezes or unfreezes the layer's weights. */
  set trainable(value: boolean) {
    this.isTrainable = value;
    for (const w of this.ownWeights) w.setLayerTrainable(value);
  }

  /** Copies of the weight values, in `weights` order. */
  getWeights(): Tensor[] {
    return this.weights.map((w) => w.read());
  }

  /** Sets every weight, in `weights` order; count and shapes must match. */
  setWeights(values: readonly Tensor[]): void {
    const weights = this.weights;
    if (values.length !== weights.length) {
      throw new ValueError(
        received(
          `${this.className} "${this.name}": setWeights expects ${weights.length} arrays (${weights.map((w) => w.name).join(', ') || 'no weights'})`,
          'length',
          values.length,
        ),
      );
    }
    weights.forEach((w, i) => {
      w.write(values[i] as Tensor);
    });
  }

  /** Number of weight values; the layer must be built. */
  countParams(): number {
    if (!this.built) {
      throw new StateError(
        `${this.className} "${this.name}" is not built yet, so it has no weights to count. Call it on an input or build it first.`,
      );
    }
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** Frees the weights' memory; the layer is unusable afterwards. */
  dispose(): void {
    for (const w of this.ownWeights) w.dispose();
    this.ownWeights = [];
    this.built = false;
  }

  // ---- calling ----------------------------------------------------------------------

  /** Records a graph node on symbolic inputs; computes on tensors. */
  apply(inputs: SymbolicTensor | SymbolicTensor[], options?: ApplyOptions): Out<A, SymbolicTensor>;
  apply(inputs: Tensor | Tensor[], options?: ApplyOptions): Out<A, Tensor>;
  apply(
    inputs: SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[],
    options: ApplyOptions = {},
  ): SymbolicTensor | SymbolicTensor[] | Tensor | Tensor[] {
    if (isSymbolic(inputs)) {
      return this.applySymbolic(Array.isArray(inputs) ? inputs : [inputs], options.training);
    }
    const list = toTensorList(inputs, this.name);
    const outputs = this.invoke(list, {
      training: options.training ?? false,
      rng: options.rng,
    });
    // The caller owns what apply returns: an input passed through comes back as a clone.
    return this.unwrap(outputs.map((t) => (list.includes(t) ? tf.clone(t) : t)));
  }

  /**
   * Runs the layer on concrete tensors: builds it on first use, checks the input,
   * calls it, and records activity-regularization losses. Models run layers this way.
   */
  invoke(inputs: Tensor[], context: CallContext): Tensor[] {
    const shapes = inputs.map((t) => [null, ...t.shape.slice(1)] as Shape);
    this.ensureBuilt(shapes.length === 1 ? (shapes[0] as Shape) : shapes);
    const actual = inputs.map((t) => [...t.shape] as Shape);
    this.checkInputShape(actual.length === 1 ? (actual[0] as Shape) : actual);
    // tidy: intermediates of `call` are freed; the outputs (and inputs passed through) stay.
    const outputs = tf.tidy(() => {
      const out = this.call(inputs.length === 1 ? (inputs[0] as Tensor) : inputs, context);
      return Array.isArray(out) ? out : [out];
    });
    const reg = this.activityRegularizer;
    const losses = context.losses;
    if (reg !== undefined && losses !== undefined) {
      // Kept, because an enclosing model's tidy would free them; the collector disposes them.
      for (const o of outputs)
        losses.push(tf.keep(tf.tidy(() => tf.div(reg.apply(o), o.shape[0] ?? 1))));
    }
    return outputs;
  }

  /** Builds once, for this input shape. */
  ensureBuilt(inputShape: Shape | Shape[]): void {
    if (this.built) return;
    this.build(inputShape);
    this.buildInputShape = inputShape;
    this.built = true;
  }

  private applySymbolic(
    inputs: SymbolicTensor[],
    training: boolean | undefined,
  ): SymbolicTensor | SymbolicTensor[] {
    const shapes = inputs.map((t) => t.shape);
    const shape = shapes.length === 1 ? (shapes[0] as Shape) : shapes;
    this.ensureBuilt(shape);
    this.checkInputShape(shape);
    const out = this.computeOutputShape(shape);
    const outShapes = isShapeList(out) ? out : [out];
    const nodeIndex = this.inboundNodes.length;
    const outputs = outShapes.map(
      (s, tensorIndex) =>
        new SymbolicTensor({
          shape: s,
          dtype: this.outputDtype(inputs),
          sourceLayer: this as Layer<Arity>,
          nodeIndex,
          tensorIndex,
        }),
    );
    this.inboundNodes.push({
      layer: this as Layer<Arity>,
      inputs,
      outputs,
      index: nodeIndex,
      ...(training === undefined ? {} : { training }),
    });
    return isShapeList(out) ? outputs : (outputs[0] as SymbolicTensor);
  }

  /** Dtype of symbolic outputs (float32 unless a layer says otherwise). */
  protected outputDtype(_inputs: readonly SymbolicTensor[]): 'float32' | 'int32' {
    return 'float32';
  }

  /** One tensor or a list, as this layer's arity says. */
  protected unwrap(outputs: Tensor[]): Tensor | Tensor[] {
    return outputs.length === 1 ? (outputs[0] as Tensor) : outputs;
  }

  /** The single input of a one-input layer (a clear error otherwise). */
  protected single(inputs: Tensor | Tensor[]): Tensor {
    if (!Array.isArray(inputs)) return inputs;
    if (inputs.length !== 1) {
      throw new ValueError(
        received(`${this.className} "${this.name}" takes one input`, 'inputs', inputs.length),
      );
    }
    return inputs[0] as Tensor;
  }

  // ---- graph accessors --------------------------------------------------------------

  /** Output of the layer's only graph node (`model.getLayer('y').output`). */
  get output(): Out<A, SymbolicTensor> {
    return this.nodeAttribute('output') as Out<A, SymbolicTensor>;
  }

  /** Input of the layer's only graph node. */
  get input(): SymbolicTensor | SymbolicTensor[] {
    return this.nodeAttribute('input');
  }

  /** Output of the `nodeIndex`-th call (for layers used more than once). */
  getOutputAt(nodeIndex: number): Out<A, SymbolicTensor> {
    const node = this.nodeAt(nodeIndex, 'output');
    return (node.outputs.length === 1 ? node.outputs[0] : [...node.outputs]) as Out<
      A,
      SymbolicTensor
    >;
  }

  /** Input of the `nodeIndex`-th call. */
  getInputAt(nodeIndex: number): SymbolicTensor | SymbolicTensor[] {
    const node = this.nodeAt(nodeIndex, 'input');
    return node.inputs.length === 1 ? (node.inputs[0] as SymbolicTensor) : [...node.inputs];
  }

  private nodeAttribute(what: 'input' | 'output'): SymbolicTensor | SymbolicTensor[] {
    if (this.inboundNodes.length > 1) {
      throw new StateError(
        `Layer "${this.name}" has been called ${this.inboundNodes.length} times, so its ${what} is ambiguous; use get${what === 'input' ? 'Input' : 'Output'}At(nodeIndex).`,
      );
    }
    return what === 'input' ? this.getInputAt(0) : this.getOutputAt(0);
  }

  private nodeAt(nodeIndex: number, what: string): Node {
    const node = this.inboundNodes[nodeIndex];
    if (node === undefined) {
      if (this.inboundNodes.length === 0) {
        throw new StateError(
          `Layer "${this.name}" has never been called on a symbolic input, so it has no ${what} yet. Add it to a model with an input or call it on input({ shape }).`,
        );
      }
      throw new ValueError(
        received(
          `Layer "${this.name}" has ${this.inboundNodes.length} nodes`,
          'nodeIndex',
          nodeIndex,
        ),
      );
    }
    return node;
  }

  toString(): string {
    return `${this.className}(name=${formatValue(this.name)})`;
  }
}

function toTensorList(inputs: Tensor | Tensor[], owner: string): Tensor[] {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  if (list.length === 0 || !list.every((t) => t instanceof tf.Tensor)) {
    throw new ValueError(
      received(
        `Layer "${owner}": apply expects a tensor, a SymbolicTensor, or a list of them`,
        'inputs',
        inputs,
      ),
    );
  }
  return list;
}
