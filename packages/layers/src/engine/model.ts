/**
 * A model: a graph of layers from its inputs to its outputs (Keras's functional
 * `Model`). It is itself a layer, so models nest. Sequential extends it.
 *
 * ```ts
 * const x = input({ shape: [4] });
 * const h = layers.dense({ units: 8, activation: 'relu' }).apply(x);
 * const y = layers.dense({ units: 3, activation: 'softmax' }).apply(h);
 * const m = model({ inputs: x, outputs: y, name: 'iris' });
 * m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
 * const history = await m.fit(xTrain, yTrain, { epochs: 50, seed: 1 });
 * ```
 */
import {
  formatValue,
  NotFoundError,
  received,
  StateError,
  type Tensor,
  ValueError,
} from '@tessera/core';
import type { History } from '../callbacks/history.js';
import { type SummaryOptions, summaryLines } from '../summary/summary.js';
import { checkConfigKeys, checkLayerArgs, keysOf } from './arg-keys.js';
import type { ModelData } from './array-input.js';
import type { Arity, CallContext, Out } from './call-context.js';
import { type CompileArgs, type CompiledState, resolveCompile } from './compile.js';
import { buildGraph, checkGraphInputs, type Graph, graphOutputShapes, runGraph } from './graph.js';
import { initializeWeights, initStreamFor } from './initialize.js';
import { Layer, type LayerArgs } from './layer.js';
import { getLayerClass } from './layer-registry.js';
import type { Weight } from './layer-weight.js';
import {
  type FunctionalConfig,
  functionalConfig,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  type ModelJSON,
  parseModelJSON,
  rebuildGraph,
} from './serialization.js';
import { isShapeList, type Shape } from './shape.js';
import { SymbolicTensor } from './symbolic.js';
import {
  type EvaluateArgs,
  evaluateModel,
  type FitArgs,
  fitModel,
  type OptimizerState,
  type PredictArgs,
  predictModel,
} from './training.js';

/** One output, or a list (nested lists are flattened, as `m.layers.map((l) => l.output)` gives). */
export type OutputsArg = SymbolicTensor | readonly (SymbolicTensor | readonly SymbolicTensor[])[];

/** Arguments of `model({ … })` / `new Model({ … })`. */
export interface ModelArgs<O extends OutputsArg = OutputsArg> {
  /** The model's input(s), made with `input({ shape })`. */
  inputs: SymbolicTensor | readonly SymbolicTensor[];
  /** The tensor(s) it computes; a list gives a multi-output model. */
  outputs: O;
  /** Name; default 'functional', 'functional_1', … */
  name?: string;
  /** Re-initialises every weight from this seed, in Keras order (reproducible across processes). */
  seed?: number;
}

/** Arguments shared by models that build their graph later (Sequential). */
export interface ModelBaseArgs {
  /** Name of the model. */
  name?: string;
  /** Initialises the weights from this seed (default: the process-wide stream). */
  seed?: number;
}

/** `'many'` for a list of outputs, `'one'` for a single SymbolicTensor. */
export type ArityOf<O> = O extends readonly unknown[] ? 'many' : 'one';

/**
 * A graph of layers from symbolic inputs to outputs; `A` says whether it returns one tensor
 * or a list. Compile, fit, evaluate, predict, summary and JSON live here.
 */
export class Model<A extends Arity = Arity> extends Layer<A> {
  static override readonly className: string = 'Functional';
  static override readonly argKeys: readonly string[] = keysOf<ModelArgs>()([
    'inputs',
    'outputs',
    'name',
    'seed',
  ]);
  /** Keys of a functional model's config (what `fromConfig` reads). */
  static readonly configKeys: readonly string[] = keysOf<FunctionalConfig>()([
    'name',
    'layers',
    'inputLayers',
    'outputLayers',
  ]);

  /** What `compile` resolved; undefined until then. */
  compiled: CompiledState | undefined;
  /** Set by callbacks (early stopping) to end `fit` after the current batch. */
  stopTraining = false;
  /** Optimizer slots and iteration count kept between `fit` calls (reset by `compile`). */
  optimizerState: OptimizerState | undefined;
  /** The seed given at construction, if any. */
  readonly seed: number | undefined;
  private currentGraph: Graph | undefined;

  constructor(args: ModelArgs | ModelBaseArgs) {
    // Only the name reaches the Layer constructor, so the keys are checked here.
    checkLayerArgs(new.target, args);
    const base: LayerArgs = args.name === undefined ? {} : { name: args.name };
    super(base);
    this.seed = args.seed;
    if ('inputs' in args) {
      const inputs = toList(args.inputs, 'inputs');
      const outputs = toList(args.outputs, 'outputs');
      this.setGraph(buildGraph(this.name, inputs, outputs));
      if (args.seed !== undefined) initializeWeights(this.weights, initStreamFor(args.seed));
    }
  }

  /** The graph (inputs, outputs, nodes in run order, layers); undefined until built. */
  get graph(): Graph | undefined {
    return this.currentGraph;
  }

  /** Installs the graph (Sequential calls this when it builds); undefined un-builds. */
  protected setGraph(graph: Graph | undefined): void {
    this.currentGraph = graph;
    this.built = graph !== undefined;
    this.buildInputShape =
      graph === undefined
        ? undefined
        : graph.inputs.length === 1
          ? (graph.inputs[0] as SymbolicTensor).shape
          : graph.inputs.map((t) => t.shape);
  }

  /** The graph; throws if the model has none yet (an unbuilt Sequential). */
  protected requireGraph(): Graph {
    if (this.graph === undefined) {
      throw new StateError(
        `Model "${this.name}" is not built yet: call it on data, or give the first layer an inputShape / start with input({ shape }).`,
      );
    }
    return this.graph;
  }

  // ---- structure --------------------------------------------------------------------

  /** The layers, in graph order (input layers included for functional models, as Keras). */
  get layers(): Layer<Arity>[] {
    return this.graph === undefined ? [] : [...this.graph.layers];
  }

  /** The model's symbolic inputs. */
  get inputs(): SymbolicTensor[] {
    return [...this.requireGraph().inputs];
  }

  /** The model's symbolic outputs. */
  get outputs(): SymbolicTensor[] {
    return [...this.requireGraph().outputs];
  }

  override get input(): SymbolicTensor | SymbolicTensor[] {
    const inputs = this.inputs;
    return inputs.length === 1 ? (inputs[0] as SymbolicTensor) : inputs;
  }

  override get output(): Out<A, SymbolicTensor> {
    const outputs = this.outputs;
    return (outputs.length === 1 ? outputs[0] : outputs) as Out<A, SymbolicTensor>;
  }

  /**
   * Full input shape, batch as `null`, as Keras's `input_shape`: `[null, 4]`; a list of
   * shapes for a model with several inputs.
   */
  get inputShape(): Shape | Shape[] {
    const shapes = this.inputShapes;
    return shapes.length === 1 ? (shapes[0] as Shape) : shapes;
  }

  /** Full shape of every input, batch as `null`: `[[null, 4]]`. */
  get inputShapes(): Shape[] {
    return this.requireGraph().inputs.map((t) => [...t.shape]);
  }

  /** Full output shape(s), batch as `null`. */
  get outputShape(): Out<A, Shape> {
    const shapes = this.requireGraph().outputs.map((t) => t.shape);
    return (shapes.length === 1 ? shapes[0] : shapes) as Out<A, Shape>;
  }

  /** A layer by name, or by position in `layers`. */
  getLayer(nameOrIndex: string | number): Layer<Arity> {
    const list = this.layers;
    if (typeof nameOrIndex === 'number') {
      const layer = Number.isInteger(nameOrIndex) ? list[nameOrIndex] : undefined;
      if (layer === undefined) {
        throw new ValueError(
          received(
            `Model "${this.name}": getLayer index must be an integer in [0, ${list.length})`,
            'index',
            nameOrIndex,
          ),
        );
      }
      return layer;
    }
    const layer = list.find((l) => l.name === nameOrIndex);
    if (layer === undefined) {
      throw new NotFoundError(
        `Model "${this.name}" has no layer named ${formatValue(nameOrIndex)}. Layers: ${list.map((l) => l.name).join(', ') || '(none)'}`,
      );
    }
    return layer;
  }

  // ---- weights ----------------------------------------------------------------------

  override get weights(): Weight[] {
    const out: Weight[] = [];
    const seen = new Set<Weight>();
    for (const layer of this.layers) {
      for (const w of layer.weights) {
        if (!seen.has(w)) {
          seen.add(w);
          out.push(w);
        }
      }
    }
    return out;
  }

  override get trainable(): boolean {
    return super.trainable;
  }

  /** Freezes or unfreezes every layer. */
  override set trainable(value: boolean) {
    super.trainable = value;
    for (const layer of this.layers) layer.trainable = value;
  }

  override countParams(): number {
    if (!this.built) return super.countParams();
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** Frees the weights of every layer, shared ones included (other models using them break). */
  override dispose(): void {
    for (const layer of this.layers) layer.dispose();
    super.dispose();
  }

  // ---- calling ----------------------------------------------------------------------

  /** Builds the model for inputs of this shape (per example, or full with `null` batch). */
  override build(inputShape?: Shape | Shape[]): void {
    if (this.graph === undefined) {
      throw new StateError(
        `Model "${this.name}" cannot build without a graph. Received: inputShape=${formatValue(inputShape)}`,
      );
    }
    this.built = true;
  }

  override call(
    inputs: Tensor | Tensor[],
    context: CallContext = { training: false },
  ): Tensor | Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const outs = runGraph(this.requireGraph(), list, context);
    return outs.length === 1 ? (outs[0] as Tensor) : outs;
  }

  protected override checkInputShape(shape: Shape | Shape[]): void {
    checkGraphInputs(this.name, this.requireGraph(), isShapeList(shape) ? shape : [shape]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const graph = this.requireGraph();
    const shapes = graphOutputShapes(graph, isShapeList(inputShape) ? inputShape : [inputShape]);
    return shapes.length === 1 ? (shapes[0] as Shape) : shapes;
  }

  /** Outputs for `x`, computed in batches of `batchSize` (default 32) in inference mode. */
  predict(x: ModelData, args: PredictArgs = {}): Out<A, Tensor> {
    return predictModel(this as Model<Arity>, x, args) as Out<A, Tensor>;
  }

  // ---- training ---------------------------------------------------------------------

  /** Chooses the optimizer, loss and metrics for `fit` and `evaluate`. */
  compile(args: CompileArgs): void {
    this.compiled = resolveCompile(args);
    this.optimizerState = undefined;
  }

  /** Trains on `(x, y)` in one thread; resolves to the History (loss, accuracy, val_loss, …). */
  fit(x: ModelData, y: ModelData, args: FitArgs = {}): Promise<History> {
    return fitModel(this as Model<Arity>, x, y, args);
  }

  /** Loss and metrics over `(x, y)`: `{ loss, accuracy, … }`. */
  evaluate(x: ModelData, y: ModelData, args: EvaluateArgs = {}): Record<string, number> {
    return evaluateModel(this as Model<Arity>, x, y, args);
  }

  // ---- summary and serialization ----------------------------------------------------

  /** Prints the Keras-style table through `printFn` (default console.log). */
  summary(printFn: (line: string) => void = console.log, options: SummaryOptions = {}): void {
    for (const line of summaryLines(this as Model<Arity>, options)) printFn(line);
  }

  override getConfig(): Record<string, unknown> {
    return { ...functionalConfig(this.name, this.requireGraph()) };
  }

  /** `{ format: 'tessera-model', version: 1, className, config }` (plain JSON). */
  toJSON(): ModelJSON {
    return {
      format: MODEL_FORMAT,
      version: MODEL_FORMAT_VERSION,
      className: this.className,
      config: this.getConfig(),
    };
  }

  /**
   * Rebuilds a functional model from its config. Unknown keys are refused for Model itself;
   * a subclass that does not declare its own `configKeys` may carry keys of its own.
   */
  static fromConfig(config: Record<string, unknown>): Model {
    const { name, inputs, outputs } = rebuildGraph(
      // biome-ignore lint/complexity/noThisInStatic: the class called, maybe a subclass
      Object.hasOwn(this, 'configKeys')
        ? checkConfigKeys('Functional', config, Model.configKeys)
        : config,
    );
    return new Model({ name, inputs, outputs });
  }

  /** Rebuilds a Sequential or functional model from `toJSON()` output (object or JSON text). */
  static fromJSON(json: unknown): Model {
    const { className, config } = parseModelJSON(json);
    const cls = getLayerClass(className === 'Model' ? 'Functional' : className);
    const made = cls.fromConfig !== undefined ? cls.fromConfig(config) : new cls(config as never);
    if (!(made instanceof Model)) {
      throw new ValueError(
        received(
          'Model.fromJSON: the config describes a layer, not a model',
          'className',
          className,
        ),
      );
    }
    return made;
  }
}

/**
 * A functional model from symbolic inputs and outputs (Keras `Model(inputs, outputs)`).
 * A list of outputs gives a model whose `predict`/`apply` return a list.
 */
export function model<O extends OutputsArg>(args: ModelArgs<O>): Model<ArityOf<O>> {
  if (args === null || typeof args !== 'object') {
    throw new ValueError(received('model: expected { inputs, outputs, name? }', 'args', args));
  }
  return new Model<ArityOf<O>>(args);
}

function toList(value: unknown, key: string): SymbolicTensor[] {
  const list: unknown[] = Array.isArray(value) ? value.flat() : [value];
  if (list.length === 0 || !list.every((t) => t instanceof SymbolicTensor)) {
    throw new ValueError(
      received(
        `model: ${key} must be SymbolicTensors (from input() or layer.apply on one)`,
        key,
        value,
      ),
    );
  }
  return list as SymbolicTensor[];
}
