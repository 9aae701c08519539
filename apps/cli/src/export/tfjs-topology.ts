/**
 * Tessera model config (`tessera-model`, camelCase) → Keras JSON topology as
 * @tensorflow/tfjs-layers 4.22 reads it (`class_name`/`config`, snake_case keys).
 *
 * Most layers map one to one. Two have no single tfjs equivalent and are rewritten into
 * layers that compute the same thing, keeping the original name on the layer that holds
 * the weights (tfjs finds weights by `<layer name>/kernel`):
 *
 * - an activation tfjs has only as a layer (leaky_relu) → the layer with a linear
 *   activation, then a LeakyReLU layer;
 * - Maxout(units, pieces) → Dense(units·pieces, linear) → Reshape([pieces, units]) →
 *   GlobalMaxPooling1D (max over the pieces). The kernel and bias columns are reordered
 *   from Tessera's unit-major layout (u·pieces + p) to piece-major (p·units + u).
 *
 * Layers tfjs cannot load (Lambda: code is never saved) fail with an ExportError.
 */
import { ExportError, snakeKeys } from './keras-names.js';
import { expand, NamePool, record, type SourceLayer, type TfjsLayer } from './tfjs-layer-map.js';

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
  /** Weights after any rewrite (Maxout reorders columns), in the model's order. */
  weights: ExportWeight[];
}

/** One tfjs layer of the output, camelCase until the end. */
function sourceLayers(value: unknown): SourceLayer[] {
  if (!Array.isArray(value)) throw new ExportError('model config: layers must be a list');
  return value.map((entry, i) => {
    const e = record(entry, `layers[${i}]`);
    if (typeof e['className'] !== 'string')
      throw new ExportError(`model config: layers[${i}] has no className`);
    return { className: e['className'], config: record(e['config'], `layers[${i}].config`) };
  });
}

/** Applies each expansion's weight reordering; weights of other layers pass unchanged. */
function exportWeights(
  weights: readonly ExportWeight[],
  reorders: Map<string, (w: ExportWeight) => ExportWeight>,
): ExportWeight[] {
  return weights.map((w) => {
    const layer = w.name.slice(0, w.name.lastIndexOf('/'));
    const reorder = reorders.get(layer);
    return reorder === undefined ? w : reorder(w);
  });
}

function sequentialTopology(
  config: Record<string, unknown>,
  reorders: Map<string, (w: ExportWeight) => ExportWeight>,
): Record<string, unknown> {
  const source = sourceLayers(config['layers']);
  const names = new NamePool(source.map((l) => String(l.config['name'] ?? '')));
  const layers: TfjsLayer[] = [];
  for (const layer of source) {
    const expansion = expand(layer, names);
    if (expansion.reorder !== undefined) reorders.set(expansion.layers[0]!.name, expansion.reorder);
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

type Ref = [string, number, number];

function functionalTopology(
  config: Record<string, unknown>,
  reorders: Map<string, (w: ExportWeight) => ExportWeight>,
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
      names,
    );
    const first = expansion.layers[0]!;
    if (expansion.reorder !== undefined) reorders.set(first.name, expansion.reorder);
    outputOf.set(
      String(e['name'] ?? first.name),
      expansion.layers[expansion.layers.length - 1]!.name,
    );
    return { entry: e, expansion };
  });
  const remap = (ref: unknown): unknown[] => {
    const r = ref as Ref;
    return [outputOf.get(r[0]) ?? r[0], r[1], r[2], {}];
  };
  for (const { entry, expansion } of planned) {
    const calls = (
      Array.isArray(entry['inboundNodes']) ? entry['inboundNodes'] : []
    ) as unknown[][];
    expansion.layers.forEach((layer, j) => {
      const inbound =
        j === 0
          ? calls.map((node) => node.map(remap))
          : calls.map((_, k) => [[expansion.layers[j - 1]!.name, k, 0, {}]]);
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
  tfjsVersion?: string;
}): TfjsTopology {
  const model = record(args.model, 'the model');
  if (model['format'] !== 'tessera-model')
    throw new ExportError("model config: expected format 'tessera-model'");
  const className = model['className'];
  const config = record(model['config'], 'config');
  const reorders = new Map<string, (w: ExportWeight) => ExportWeight>();
  let topology: Record<string, unknown>;
  if (className === 'Sequential') topology = sequentialTopology(config, reorders);
  else if (className === 'Functional' || className === 'Model')
    topology = functionalTopology(config, reorders);
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
    weights: exportWeights(args.weights, reorders),
  };
}
