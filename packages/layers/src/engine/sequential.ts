/**
 * A plain stack of single-input, single-output layers (Keras `Sequential`).
 *
 * Builds lazily: with `input({ shape })` as the first element, or an `inputShape` on the
 * first layer, the graph exists at once; otherwise the first call (`predict`, `apply`,
 * `fit`) builds it from the data's shape. Once built it is a graph like any functional
 * model, so `m.getLayer('y').output` can feed a feature extractor.
 *
 * ```ts
 * const m = sequential([
 *   layers.flatten({ inputShape: [28, 28] }),
 *   layers.dense({ units: 128, activation: 'relu' }),
 *   layers.dense({ units: 10 }),
 * ], { name: 'mnist_mlp' });
 * ```
 */
import { type RngStream, received, ShapeError, type Tensor, ValueError } from '@tessera/core';
import { checkConfigKeys, keysOf } from './arg-keys.js';
import type { Arity, CallContext } from './call-context.js';
import { buildGraph } from './graph.js';
import { initializeWeights, initStreamFor } from './initialize.js';
import { InputLayer } from './input-layer.js';
import { Layer, type SerializedLayer } from './layer.js';
import { deserializeLayer, serializeLayer } from './layer-registry.js';
import { Model, type ModelBaseArgs } from './model.js';
import { parseModelJSON } from './serialization.js';
import { formatShape, type Shape } from './shape.js';
import { SymbolicTensor } from './symbolic.js';

/** Arguments of `new Sequential({ … })`. */
export interface SequentialArgs extends ModelBaseArgs {
  /** Layers in order; an `input({ shape })` may come first. */
  layers?: (Layer<Arity> | SymbolicTensor)[];
}

/** Options of `sequential(layers, { … })`. */
export type SequentialOptions = ModelBaseArgs;

/** The config of a Sequential model (`getConfig()`). */
export interface SequentialConfig {
  /** The model's name. */
  name: string;
  /** Its layers as `{ className, config }`, an InputLayer first when it has an input. */
  layers: SerializedLayer[];
}

/** A stack of layers, each fed by the one before; built lazily from the first input. */
export class Sequential extends Model<'one'> {
  static override readonly className: string = 'Sequential';
  static override readonly argKeys: readonly string[] = keysOf<SequentialArgs>()([
    'layers',
    'name',
    'seed',
  ]);
  static override readonly configKeys: readonly string[] = keysOf<SequentialConfig>()([
    'name',
    'layers',
  ]);
  private stack: Layer<Arity>[] = [];
  private inputLayer: InputLayer | undefined;
  /** Output of each stacked layer inside this model. */
  private tensors: SymbolicTensor[] = [];
  private readonly initStream: RngStream | undefined;

  constructor(args: SequentialArgs = {}) {
    super(args);
    this.initStream = args.seed === undefined ? undefined : initStreamFor(args.seed);
    this.built = false;
    const list = args.layers ?? [];
    if (!Array.isArray(list))
      throw new ValueError(received('sequential: layers must be an array', 'layers', list));
    for (const item of list) this.add(item);
  }

  /** The layers, without the input layer (Keras semantics). */
  override get layers(): Layer<Arity>[] {
    return [...this.stack];
  }

  /** Appends a layer (or, first of all, an `input({ shape })`). */
  add(item: Layer<Arity> | SymbolicTensor): void {
    if (item instanceof SymbolicTensor) {
      if (
        !(item.sourceLayer instanceof InputLayer) ||
        this.stack.length > 0 ||
        this.inputLayer !== undefined
      ) {
        throw new ValueError(
          received(
            'Sequential.add: a SymbolicTensor is only accepted first, and only from input({ shape })',
            'item',
            item.name,
          ),
        );
      }
      this.connect(item.sourceLayer);
      return;
    }
    if (!(item instanceof Layer)) {
      throw new ValueError(received('Sequential.add: expected a layer', 'layer', item));
    }
    if (item instanceof InputLayer) {
      this.add(item.tensor);
      return;
    }
    if (this.stack.includes(item) || this.stack.some((l) => l.name === item.name)) {
      throw new ValueError(
        received(`Sequential "${this.name}": layer names must be unique`, 'name', item.name),
      );
    }
    this.stack.push(item);
    try {
      if (this.inputLayer !== undefined) {
        this.extend();
      } else if (this.stack.length === 1 && item.batchInputShape !== undefined) {
        this.connect(new InputLayer({ batchShape: item.batchInputShape }));
      }
    } catch (error) {
      this.stack.pop();
      if (this.inputLayer !== undefined) this.install();
      throw error;
    }
  }

  /** Removes and returns the last layer. */
  pop(): Layer<Arity> {
    const last = this.stack.pop();
    if (last === undefined)
      throw new ValueError(
        received(`Sequential "${this.name}": there is no layer to pop`, 'layers', 0),
      );
    if (this.inputLayer !== undefined) {
      this.tensors.pop();
      this.install();
    }
    return last;
  }

  /** Builds for inputs of this shape: per example (`[4]`) or full (`[null, 4]`). */
  override build(inputShape?: Shape | Shape[]): void {
    if (this.inputLayer !== undefined) {
      if (inputShape !== undefined) this.checkBuildShape(inputShape);
      return;
    }
    if (inputShape === undefined) {
      throw new ValueError(
        received(`Sequential "${this.name}": build needs an input shape`, 'inputShape', inputShape),
      );
    }
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    this.connect(new InputLayer({ batchShape: shape[0] === null ? shape : [null, ...shape] }));
  }

  /** A model with an input already takes one shape: another is an error, as in Keras. */
  private checkBuildShape(inputShape: Shape | Shape[]): void {
    const given = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const have = (this.inputLayer as InputLayer).batchShape;
    const full = given.length === have.length ? given : [null, ...given];
    const fits =
      full.length === have.length &&
      full.every((d, i) => d === null || have[i] === null || d === have[i]);
    if (!fits) {
      throw new ShapeError(
        received(
          `Sequential "${this.name}": build got an input shape the model does not take; its input is ${formatShape(have)}`,
          'inputShape',
          given,
        ),
      );
    }
  }

  /** Without layers there is nothing to compute: Keras raises rather than echo the input. */
  override call(
    inputs: Tensor | Tensor[],
    context: CallContext = { training: false },
  ): Tensor | Tensor[] {
    if (this.stack.length === 0) {
      throw new ValueError(
        received(
          `Sequential "${this.name}" has no layers; add layers before calling it`,
          'layers',
          [],
        ),
      );
    }
    return super.call(inputs, context);
  }

  /** Works before building too, as in Keras: each layer's output shape in turn. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    if (this.graph !== undefined) return super.computeOutputShape(inputShape);
    return this.stack.reduce<Shape | Shape[]>(
      (shape, layer) => layer.computeOutputShape(shape),
      inputShape,
    );
  }

  /** Sets the input and applies every layer so far. */
  private connect(input: InputLayer): void {
    this.inputLayer = input;
    this.tensors = [];
    try {
      this.extend();
    } catch (error) {
      this.inputLayer = undefined;
      this.tensors = [];
      this.setGraph(undefined);
      throw error;
    }
  }

  /** Applies the layers not yet connected, each to the previous output (building them). */
  private extend(): void {
    const input = this.inputLayer as InputLayer;
    const fresh: Layer<Arity>[] = [];
    while (this.tensors.length < this.stack.length) {
      const layer = this.stack[this.tensors.length] as Layer<Arity>;
      if (!layer.built) fresh.push(layer);
      const out = layer.apply(this.tensors.at(-1) ?? input.tensor);
      if (Array.isArray(out)) {
        throw new ValueError(
          received(
            `Sequential "${this.name}": every layer must have one output`,
            'layer',
            layer.name,
          ),
        );
      }
      this.tensors.push(out);
    }
    this.install();
    if (this.initStream !== undefined)
      initializeWeights(
        fresh.flatMap((l) => l.weights),
        this.initStream,
      );
  }

  private install(): void {
    const input = (this.inputLayer as InputLayer).tensor;
    this.setGraph(buildGraph(this.name, [input], [this.tensors.at(-1) ?? input]));
  }

  override getConfig(): Record<string, unknown> {
    const list = this.inputLayer === undefined ? this.stack : [this.inputLayer, ...this.stack];
    return { name: this.name, layers: list.map(serializeLayer) } satisfies SequentialConfig;
  }

  /**
   * Rebuilds a Sequential from `getConfig()`. Unknown keys are refused for Sequential itself;
   * a subclass that does not declare its own `configKeys` may carry keys of its own.
   */
  static override fromConfig(config: Record<string, unknown>): Sequential {
    // biome-ignore lint/complexity/noThisInStatic: the class called, maybe a subclass
    if (Object.hasOwn(this, 'configKeys'))
      checkConfigKeys('Sequential', config, Sequential.configKeys);
    const list = config['layers'];
    if (!Array.isArray(list))
      throw new ValueError(received('Sequential config: layers must be a list', 'layers', list));
    const name = typeof config['name'] === 'string' ? config['name'] : undefined;
    const m = new Sequential(name === undefined ? {} : { name });
    for (const entry of list) m.add(deserializeLayer(entry));
    return m;
  }

  /** Like `Model.fromJSON`, and checks that the JSON describes a Sequential. */
  static override fromJSON(json: unknown): Sequential {
    const { className, config } = parseModelJSON(json);
    if (className !== 'Sequential') {
      throw new ValueError(
        received(
          'Sequential.fromJSON: the JSON describes another kind of model; use Model.fromJSON',
          'className',
          className,
        ),
      );
    }
    return Sequential.fromConfig(config);
  }
}

/**
 * A Sequential model (Keras `Sequential(layers, name)`).
 *
 * ```ts
 * const m = sequential([input({ shape: [4] }), layers.dense({ units: 3 })], { name: 'm' });
 * ```
 */
export function sequential(
  list: (Layer<Arity> | SymbolicTensor)[] = [],
  options: SequentialOptions = {},
): Sequential {
  return new Sequential({ ...options, layers: list });
}
