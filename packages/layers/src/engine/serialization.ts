/**
 * The model config format (docs/architecture.md, "Formats"):
 * `{ format: 'tessera-model', version: 1, className, config }`, layers as
 * `{ className, config }`, keys camelCase, plain JSON. Weights are not part of it
 * (checkpoints add them).
 *
 * A functional config lists each layer with the calls it makes inside the model,
 * Keras-style: `inboundNodes[k]` is the k-th call's inputs as `[layerName, nodeIndex,
 * tensorIndex]`, node indices counted among the calls that belong to this model. A call
 * made with a fixed mode (`apply(x, { training: false })`) adds its call arguments to each
 * of its refs, `[layerName, nodeIndex, tensorIndex, { training }]`, as Keras 2 and
 * tfjs-layers write a node's kwargs; refs without them (older configs) replay the call in
 * the model's mode.
 */
import { FormatError, formatValue, received } from '@tessera/core';
import type { Arity } from './call-context.js';
import type { Graph } from './graph.js';
import { InputLayer } from './input-layer.js';
import type { Layer } from './layer.js';
import { deserializeLayer } from './layer-registry.js';
import type { Node, SymbolicTensor } from './symbolic.js';

/** The `format` field of every saved model config. */
export const MODEL_FORMAT = 'tessera-model';
/** The `version` this code writes and reads. */
export const MODEL_FORMAT_VERSION = 1;

/** What `model.toJSON()` returns. */
export interface ModelJSON {
  /** Always 'tessera-model'. */
  format: typeof MODEL_FORMAT;
  /** Format version (MODEL_FORMAT_VERSION). */
  version: number;
  /** 'Sequential' or 'Functional' (or a registered model class). */
  className: string;
  /** The model's `getConfig()`. */
  config: Record<string, unknown>;
}

/** `[layerName, nodeIndex, tensorIndex]`: one tensor of a functional config. */
export type TensorRef = [string, number, number];

/** Call arguments saved with a layer call (Keras' node kwargs); only a fixed mode. */
export interface CallKwargs {
  /** The mode fixed when the layer was applied (`apply(x, { training })`). */
  training?: boolean;
}

/** One input of a saved layer call: a TensorRef, with the call's kwargs if it had any. */
export type InboundRef = TensorRef | [string, number, number, CallKwargs];

/** One layer of a functional config. */
export interface FunctionalLayerConfig {
  /** Registered class name of the layer. */
  className: string;
  /** The layer's name (also in its config). */
  name: string;
  /** The layer's `getConfig()`. */
  config: Record<string, unknown>;
  /** Per call of the layer inside the model: its input tensors (and kwargs, if any). */
  inboundNodes: InboundRef[][];
}

/** The config of a functional model. */
export interface FunctionalConfig {
  /** The model's name. */
  name: string;
  /** Every layer, in graph order (input layers included). */
  layers: FunctionalLayerConfig[];
  /** The model's inputs. */
  inputLayers: TensorRef[];
  /** The model's outputs. */
  outputLayers: TensorRef[];
}

/** Serializes a graph (the layers' configs and how they connect). */
export function functionalConfig(name: string, graph: Graph): FunctionalConfig {
  const inGraph = new Set<Node>(graph.nodes);
  const localIndex = new Map<Node, number>();
  for (const layer of graph.layers) {
    let k = 0;
    for (const node of layer.inboundNodes) if (inGraph.has(node)) localIndex.set(node, k++);
  }
  const ref = (t: SymbolicTensor): TensorRef => {
    const node = t.sourceLayer.inboundNodes[t.nodeIndex] as Node;
    return [t.sourceLayer.name, localIndex.get(node) ?? 0, t.tensorIndex];
  };
  return {
    name,
    layers: graph.layers.map((layer) => ({
      className: layer.className,
      name: layer.name,
      config: layer.getConfig(),
      inboundNodes: layer.inboundNodes
        .filter((n) => inGraph.has(n) && n.inputs.length > 0)
        .map((n) =>
          n.inputs.map(
            (t): InboundRef =>
              n.training === undefined ? ref(t) : [...ref(t), { training: n.training }],
          ),
        ),
    })),
    inputLayers: graph.inputs.map(ref),
    outputLayers: graph.outputs.map(ref),
  };
}

function checkRef(value: unknown, where: string, withKwargs = false): TensorRef {
  if (
    !Array.isArray(value) ||
    (value.length !== 3 && !(withKwargs && value.length === 4)) ||
    typeof value[0] !== 'string' ||
    !Number.isInteger(value[1]) ||
    !Number.isInteger(value[2])
  ) {
    throw new FormatError(
      received(`${where}: expected [layerName, nodeIndex, tensorIndex]`, 'ref', value),
    );
  }
  return value.slice(0, 3) as TensorRef;
}

/** The fixed mode of one saved call: from its refs' kwargs, which must agree. */
function callTraining(node: unknown[], where: string): boolean | undefined {
  const modes = node.map((r) => {
    const kwargs = (r as unknown[])[3];
    if (kwargs === undefined) return undefined;
    const k = kwargs as Record<string, unknown> | null;
    if (
      k === null ||
      typeof k !== 'object' ||
      Array.isArray(k) ||
      Object.keys(k).some((key) => key !== 'training') ||
      (k['training'] !== undefined && typeof k['training'] !== 'boolean')
    ) {
      throw new FormatError(
        received(`${where}: expected call kwargs { training?: boolean }`, 'kwargs', kwargs),
      );
    }
    return k['training'] as boolean | undefined;
  });
  if (modes.some((m) => m !== modes[0])) {
    throw new FormatError(
      received(
        `${where}: expected the same training mode on every input of a call`,
        'training',
        modes,
      ),
    );
  }
  return modes[0];
}

/** Recreates the layers of a functional config and replays their calls. */
export function rebuildGraph(config: unknown): {
  name: string;
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
} {
  const c = config as Partial<FunctionalConfig> | null;
  if (c === null || typeof c !== 'object' || !Array.isArray(c.layers)) {
    throw new FormatError(
      received('Functional config: expected { name, layers: [...] }', 'config', config),
    );
  }
  const layers = new Map<string, Layer<Arity>>();
  const made = new Map<string, SymbolicTensor[][]>();
  const entries = c.layers.map((entry, i) => {
    if (entry === null || typeof entry !== 'object' || !Array.isArray(entry.inboundNodes)) {
      throw new FormatError(
        received(`Functional config: layers[${i}] needs inboundNodes`, 'layer', entry),
      );
    }
    const layer = deserializeLayer({ className: entry.className, config: entry.config });
    if (layers.has(layer.name)) {
      throw new FormatError(
        received('Functional config: layer names must be unique', 'name', layer.name),
      );
    }
    layers.set(layer.name, layer);
    made.set(layer.name, layer instanceof InputLayer ? [[layer.tensor]] : []);
    const calls = entry.inboundNodes.map((node, k) => {
      if (!Array.isArray(node))
        throw new FormatError(
          received(
            `Functional config: inboundNodes[${k}] of "${layer.name}" must be a list`,
            'node',
            node,
          ),
        );
      const where = `Functional config, layer "${layer.name}"`;
      const refs = node.map((r) => checkRef(r, where, true));
      return { refs, training: callTraining(node, where) };
    });
    return { layer, calls };
  });
  const lookup = (ref: TensorRef): SymbolicTensor | undefined =>
    made.get(ref[0])?.[ref[1]]?.[ref[2]];
  let remaining = entries.reduce((n, e) => n + e.calls.length, 0);
  while (remaining > 0) {
    let progress = false;
    for (const { layer, calls } of entries) {
      const outs = made.get(layer.name) as SymbolicTensor[][];
      while (outs.length < calls.length) {
        const { refs, training } = calls[outs.length] as (typeof calls)[number];
        const inputs = refs.map(lookup);
        if (inputs.some((t) => t === undefined)) break;
        const result = layer.apply(
          inputs.length === 1 ? (inputs[0] as SymbolicTensor) : (inputs as SymbolicTensor[]),
          training === undefined ? {} : { training },
        );
        outs.push(Array.isArray(result) ? result : [result]);
        remaining--;
        progress = true;
      }
    }
    if (!progress) {
      throw new FormatError(
        'Functional config: some layer calls refer to tensors that no layer produces (or to a layer missing from "layers")',
      );
    }
  }
  const resolve = (list: unknown, key: string): SymbolicTensor[] => {
    if (!Array.isArray(list) || list.length === 0)
      throw new FormatError(
        received(`Functional config: ${key} must be a non-empty list`, key, list),
      );
    return list.map((r) => {
      const ref = checkRef(r, `Functional config, ${key}`);
      const t = lookup(ref);
      if (t === undefined)
        throw new FormatError(
          `Functional config: ${key} refers to ${formatValue(ref)}, which no layer produces`,
        );
      return t;
    });
  };
  return {
    name: typeof c.name === 'string' ? c.name : 'functional',
    inputs: resolve(c.inputLayers, 'inputLayers'),
    outputs: resolve(c.outputLayers, 'outputLayers'),
  };
}

/** Validates the envelope of a saved model and returns its class name and config. */
export function parseModelJSON(json: unknown): {
  className: string;
  config: Record<string, unknown>;
} {
  let value = json;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (cause) {
      throw new FormatError('Model JSON: the text is not valid JSON', { cause });
    }
  }
  const v = value as Partial<ModelJSON> | null;
  if (v === null || typeof v !== 'object' || v.format !== MODEL_FORMAT) {
    throw new FormatError(
      received(
        `Model JSON: expected { format: '${MODEL_FORMAT}', version, className, config }`,
        'format',
        v?.format,
      ),
    );
  }
  if (v.version !== MODEL_FORMAT_VERSION) {
    throw new FormatError(
      received(
        `Model JSON: this Tessera reads format version ${MODEL_FORMAT_VERSION}`,
        'version',
        v.version,
      ),
    );
  }
  if (typeof v.className !== 'string' || v.config === null || typeof v.config !== 'object') {
    throw new FormatError(
      received(
        'Model JSON: className (string) and config (object) are required',
        'className',
        v.className,
      ),
    );
  }
  return { className: v.className, config: v.config };
}
