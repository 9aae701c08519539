/**
 * A Tessera model config (Sequential or Functional) as a list of layer calls in order,
 * each naming the tensors it reads: the one shape model-py.ts renders as `forward()`.
 */
import { FormatError, ValueError } from '@tessera/core';

/** One layer applied once. */
export interface GraphNode {
  /** Layer name (unique in the model). */
  name: string;
  className: string;
  config: Record<string, unknown>;
  /** Names of the layers whose outputs this call reads. */
  inputs: string[];
}

/** The model as calls in order, its one input layer and its output layers. */
export interface ModelGraph {
  modelName: string;
  input: string;
  nodes: GraphNode[];
  outputs: string[];
}

interface LayerEntry {
  className: string;
  name?: string;
  config: Record<string, unknown>;
  inboundNodes?: [string, number, number][][];
}

type Ref = [string, number, number];

/** Reads the layer calls of a `tessera-model` config. */
export function modelGraph(json: unknown): ModelGraph {
  const top = json as { className?: string; config?: { name?: string; layers?: LayerEntry[] } };
  const layers = top.config?.layers;
  if (!Array.isArray(layers)) throw new FormatError('model config: expected a list of layers');
  const modelName = String(top.config?.name ?? 'model');
  if (top.className === 'Sequential') return sequentialGraph(modelName, layers);
  if (top.className === 'Functional') {
    const config = top.config as { inputLayers?: Ref[]; outputLayers?: Ref[] };
    return functionalGraph(modelName, layers, config.inputLayers ?? [], config.outputLayers ?? []);
  }
  throw new FormatError(
    `model config: expected className Sequential or Functional. Received: className=${String(top.className)}`,
  );
}

function sequentialGraph(modelName: string, layers: LayerEntry[]): ModelGraph {
  const input = 'inputs';
  let previous = input;
  const nodes: GraphNode[] = [];
  for (const layer of layers) {
    if (layer.className === 'InputLayer') continue;
    const name = String(layer.config['name']);
    nodes.push({ name, className: layer.className, config: layer.config, inputs: [previous] });
    previous = name;
  }
  return { modelName, input, nodes, outputs: [previous] };
}

function functionalGraph(
  modelName: string,
  layers: LayerEntry[],
  inputLayers: Ref[],
  outputLayers: Ref[],
): ModelGraph {
  if (inputLayers.length !== 1) {
    throw new ValueError(
      `PyTorch export: expected a model with one input. Received: ${inputLayers.length} inputs`,
    );
  }
  const nodes: GraphNode[] = [];
  for (const layer of layers) {
    if (layer.className === 'InputLayer') continue;
    const name = String(layer.name ?? layer.config['name']);
    const calls = layer.inboundNodes ?? [];
    if (calls.length !== 1) {
      throw new ValueError(
        `PyTorch export: layer "${name}" is called ${calls.length} times; shared layers are not supported`,
      );
    }
    const inputs = calls[0]!.map((ref) => ref[0]);
    nodes.push({ name, className: layer.className, config: layer.config, inputs });
  }
  return {
    modelName,
    input: inputLayers[0]![0],
    nodes,
    outputs: outputLayers.map((ref) => ref[0]),
  };
}
