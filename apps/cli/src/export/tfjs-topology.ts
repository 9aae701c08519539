/**
 * Tessera model config (`tessera-model`, camelCase) → Keras JSON topology as
 * @tensorflow/tfjs-layers 4.22 reads it (`class_name`/`config`, snake_case keys).
 *
 * Most layers map one to one. Some have no single tfjs equivalent and become a few tfjs
 * layers that compute the same thing (tfjs-layer-map.ts, tfjs-activations.ts,
 * tfjs-normalization-map.ts), keeping the original name on the layer that holds the
 * weights (tfjs finds weights by `<layer name>/kernel`):
 *
 * - an activation tfjs lacks → the layer with a linear activation, then the layers that
 *   compute it (LeakyReLU; Rescaling/Activation/Multiply/Add graphs);
 * - Maxout(units, pieces) → Dense(units·pieces, linear) → Reshape([pieces, units]) →
 *   GlobalMaxPooling1D (max over the pieces). The kernel and bias columns are reordered
 *   from Tessera's unit-major layout (u·pieces + p) to piece-major (p·units + u);
 * - Normalization → an inference-only BatchNormalization holding its statistics.
 *
 * When a rewrite branches (x · f(x)), a Sequential model is written as a functional one
 * with the same layers. Layers tfjs cannot load (Lambda: code is never saved) fail with an
 * ExportError.
 */
import { ExportError, snakeKeys } from './keras-names.js';
import {
  type ExpandContext,
  type Expansion,
  expand,
  isChain,
  NamePool,
  record,
  type SourceLayer,
  type TfjsLayer,
} from './tfjs-layer-map.js';

/** A weight to export, as the model lists it. */
export interface ExportWeight {
  /** `<layer name>/<weight name>`, e.g. `dense_1/kernel`. */
  name: string;
  /** Shape of the weight (`[in, out]` for a kernel). */
  shape: number[];
  /** Its values, row-major. */
  values: Float32Array;
}

/** The converted model: topology (snake_case) and weights in manifest order. */
export interface TfjsTopology {
  /** `{ class_name, config, keras_version, backend }`. */
  modelTopology: Record<string, unknown>;
  /** Weights after any rewrite (Maxout reorders columns), layer by layer in the model's order. */
  weights: ExportWeight[];
}

/** Input shapes of layers by name (batch dimension null), as the built model knows them. */
export type InputShapes = ReadonlyMap<string, ReadonlyArray<number | null>>;

/** Each Tessera layer's name and the weight rewrite of its expansion, in the model's order. */
type Rewrites = Array<[string, Expansion['weights']]>;

function sourceLayers(value: unknown): SourceLayer[] {
  if (!Array.isArray(value)) throw new ExportError('model config: layers must be a list');
  return value.map((entry, i) => {
    const e = record(entry, `layers[${i}]`);
    if (typeof e['className'] !== 'string')
      throw new ExportError(`model config: layers[${i}] has no className`);
    return { className: e['className'], config: record(e['config'], `layers[${i}].config`) };
  });
}

/**
 * The tfjs weights: each layer's own weights (`<layer>/…`, in the model's order) through
 * its expansion's rewrite, layer by layer.
 */
function exportWeights(weights: readonly ExportWeight[], rewrites: Rewrites): ExportWeight[] {
  const byLayer = new Map<string, ExportWeight[]>();
  for (const w of weights) {
    const layer = w.name.slice(0, w.name.lastIndexOf('/'));
    const list = byLayer.get(layer) ?? [];
    list.push(w);
    byLayer.set(layer, list);
  }
  const out: ExportWeight[] = [];
  for (const [layer, rewrite] of rewrites) {
    const own = byLayer.get(layer) ?? [];
    byLayer.delete(layer);
    out.push(...(rewrite === undefined ? own : rewrite(own)));
  }
  // Weights of no listed layer (none in a model's own export) pass unchanged.
  for (const rest of byLayer.values()) out.push(...rest);
  return out;
}

function context(names: NamePool, shapes: InputShapes | undefined): ExpandContext {
  return { names, inputShape: (layer) => shapes?.get(layer) };
}

/** The Sequential's layers expanded, or undefined when one of them branches. */
function sequentialTopology(
  config: Record<string, unknown>,
  rewrites: Rewrites,
  shapes: InputShapes | undefined,
): Record<string, unknown> | undefined {
  const source = sourceLayers(config['layers']);
  const names = new NamePool(source.map((l) => String(l.config['name'] ?? '')));
  const layers: TfjsLayer[] = [];
  for (const layer of source) {
    const expansion = expand(layer, context(names, shapes));
    if (!isChain(expansion)) return undefined;
    rewrites.push([String(layer.config['name'] ?? expansion.layers[0]!.name), expansion.weights]);
    layers.push(...expansion.layers);
  }
  return {
    className: 'Sequential',
    config: {
      name: config['name'] ?? 'sequential',
      layers: layers.map((l) => ({ className: l.className, config: l.config })),
    },
  };
}

/** A Sequential config as the functional config of the same graph (an input, then a chain). */
function asFunctional(config: Record<string, unknown>): Record<string, unknown> {
  const source = sourceLayers(config['layers']);
  const names = new NamePool(source.map((l) => String(l.config['name'] ?? '')));
  const layers: Array<Record<string, unknown>> = [];
  let previous: string;
  const first = source[0];
  if (first?.className === 'InputLayer') {
    previous = String(first.config['name']);
    layers.push({
      name: previous,
      className: 'InputLayer',
      config: first.config,
      inboundNodes: [],
    });
  } else {
    const shape = first?.config['inputShape'];
    if (!Array.isArray(shape))
      throw new ExportError('model config: the first layer of the Sequential has no inputShape');
    previous = names.fresh('input');
    layers.push({
      name: previous,
      className: 'InputLayer',
      config: { name: previous, batchShape: [null, ...shape], dtype: 'float32' },
      inboundNodes: [],
    });
  }
  const inputName = previous;
  for (const layer of source) {
    if (layer.className === 'InputLayer') continue;
    const { inputShape: _shape, ...rest } = layer.config;
    const name = String(rest['name']);
    layers.push({
      name,
      className: layer.className,
      config: rest,
      inboundNodes: [[[previous, 0, 0]]],
    });
    previous = name;
  }
  return {
    name: config['name'] ?? 'sequential',
    layers,
    inputLayers: [[inputName, 0, 0]],
    outputLayers: [[previous, 0, 0]],
  };
}

/** An input of a call: layer name, node index, tensor index, and the call's kwargs if any. */
type Ref = [string, number, number, unknown?];

function functionalTopology(
  config: Record<string, unknown>,
  rewrites: Rewrites,
  shapes: InputShapes | undefined,
): Record<string, unknown> {
  const entries = (Array.isArray(config['layers']) ? config['layers'] : []).map((entry, i) =>
    record(entry, `layers[${i}]`),
  );
  const names = new NamePool(entries.map((e) => String(e['name'] ?? '')));
  // A layer rewritten into several: other layers must read the last one's output.
  const outputOf = new Map<string, string>();
  const out: Array<Record<string, unknown>> = [];
  const planned = entries.map((e, i) => {
    if (typeof e['className'] !== 'string')
      throw new ExportError(`model config: layers[${i}] has no className`);
    const expansion = expand(
      { className: e['className'], config: record(e['config'], `layers[${i}].config`) },
      context(names, shapes),
    );
    const name = String(e['name'] ?? expansion.layers[0]!.name);
    rewrites.push([name, expansion.weights]);
    outputOf.set(name, expansion.layers[expansion.layers.length - 1]!.name);
    return { entry: e, expansion };
  });
  // A call's kwargs (a fixed mode, { training: false }) go along: tfjs-layers replays them.
  const remap = (ref: unknown): unknown[] => {
    const r = ref as Ref;
    const kwargs = r[3] !== null && typeof r[3] === 'object' ? r[3] : {};
    return [outputOf.get(r[0]) ?? r[0], r[1], r[2], kwargs];
  };
  for (const { entry, expansion } of planned) {
    const calls = (
      Array.isArray(entry['inboundNodes']) ? entry['inboundNodes'] : []
    ) as unknown[][];
    expansion.layers.forEach((layer, j) => {
      const reads = layer.inputs ?? [j - 1];
      const inbound = calls.map((node, k) =>
        reads.flatMap((i) =>
          i === -1 ? node.map(remap) : [[expansion.layers[i]!.name, k, 0, {}]],
        ),
      );
      out.push({
        name: layer.name,
        className: layer.className,
        config: layer.config,
        inboundNodes: inbound,
      });
    });
  }
  const refs = (key: string): unknown[] =>
    (Array.isArray(config[key]) ? (config[key] as unknown[]) : []).map((r) => remap(r).slice(0, 3));
  return {
    className: 'Functional',
    config: {
      name: config['name'] ?? 'model',
      layers: out,
      inputLayers: refs('inputLayers'),
      outputLayers: refs('outputLayers'),
    },
  };
}

/** Converts a `tessera-model` JSON and its weights; see the module comment. */
export function toTfjsTopology(args: {
  model: unknown;
  weights: readonly ExportWeight[];
  /** Input shapes by layer name (glu's width, the normalizations' rank). */
  inputShapes?: InputShapes;
  tfjsVersion?: string;
}): TfjsTopology {
  const model = record(args.model, 'the model');
  if (model['format'] !== 'tessera-model')
    throw new ExportError("model config: expected format 'tessera-model'");
  const className = model['className'];
  const config = record(model['config'], 'config');
  let rewrites: Rewrites = [];
  let topology: Record<string, unknown> | undefined;
  if (className === 'Sequential') {
    topology = sequentialTopology(config, rewrites, args.inputShapes);
    if (topology === undefined) {
      rewrites = [];
      topology = functionalTopology(asFunctional(config), rewrites, args.inputShapes);
    }
  } else if (className === 'Functional' || className === 'Model')
    topology = functionalTopology(config, rewrites, args.inputShapes);
  else
    throw new ExportError(
      `model config: TF.js export supports Sequential and functional models. Received: className=${JSON.stringify(className)}`,
    );
  return {
    modelTopology: {
      ...(snakeKeys(topology) as Record<string, unknown>),
      keras_version: `tfjs-layers ${args.tfjsVersion ?? '4.22.0'}`,
      backend: 'tensor_flow.js',
    },
    weights: exportWeights(args.weights, rewrites),
  };
}
