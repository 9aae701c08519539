/**
 * A model's graph: the nodes between its inputs and outputs, in an order where every
 * node comes after the nodes that feed it. Built once when a model is made; run by
 * walking that order with a map from SymbolicTensor to the concrete tensor.
 */
import { received, ShapeError, type Tensor, ValueError } from '@tessera/core';
import type { Arity, CallContext } from './call-context.js';
import { InputLayer } from './input-layer.js';
import type { Layer } from './layer.js';
import { formatShape, isShapeList, receivedShape, type Shape } from './shape.js';
import type { Node, SymbolicTensor } from './symbolic.js';

/** The part of the layer graph a model runs. */
export interface Graph {
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  /** Every node, inputs' nodes first, each after the nodes it depends on. */
  readonly nodes: readonly Node[];
  /** Each layer once, in the order of `nodes` (InputLayers included). */
  readonly layers: readonly Layer<Arity>[];
}

/** Collects the nodes that compute `outputs` from `inputs`; errors if one is unreachable. */
export function buildGraph(
  modelName: string,
  inputs: readonly SymbolicTensor[],
  outputs: readonly SymbolicTensor[],
): Graph {
  if (inputs.length === 0)
    throw new ValueError(received(`Model "${modelName}": needs at least one input`, 'inputs', []));
  if (outputs.length === 0)
    throw new ValueError(
      received(`Model "${modelName}": needs at least one output`, 'outputs', []),
    );
  const inputIds = new Set<number>();
  for (const t of inputs) {
    if (!(t.sourceLayer instanceof InputLayer)) {
      throw new ValueError(
        received(
          `Model "${modelName}": inputs must come from input({ shape }); this tensor comes from layer "${t.sourceLayer.name}"`,
          'input',
          t.name,
        ),
      );
    }
    if (inputIds.has(t.id))
      throw new ValueError(
        received(`Model "${modelName}": each input may appear once`, 'input', t.name),
      );
    inputIds.add(t.id);
  }
  const nodes: Node[] = inputs.map((t) => t.sourceLayer.inboundNodes[t.nodeIndex] as Node);
  const done = new Set<Node>(nodes);
  const active = new Set<Node>();
  const visit = (t: SymbolicTensor): void => {
    if (inputIds.has(t.id)) return;
    const node = t.sourceLayer.inboundNodes[t.nodeIndex] as Node;
    if (done.has(node)) return;
    if (node.inputs.length === 0) {
      throw new ValueError(
        `Model "${modelName}": graph disconnected — cannot obtain a value for ${t.name} (input layer "${t.sourceLayer.name}"), which is not among the model's inputs. Received: inputs=[${inputs.map((i) => i.name).join(', ')}]`,
      );
    }
    if (active.has(node))
      throw new ValueError(
        `Model "${modelName}": the graph has a cycle through layer "${node.layer.name}"`,
      );
    active.add(node);
    for (const x of node.inputs) visit(x);
    active.delete(node);
    done.add(node);
    nodes.push(node);
  };
  for (const t of outputs) visit(t);
  const layers: Layer<Arity>[] = [];
  const seen = new Set<Layer<Arity>>();
  const names = new Map<string, Layer<Arity>>();
  for (const node of nodes) {
    if (seen.has(node.layer)) continue;
    const clash = names.get(node.layer.name);
    if (clash !== undefined) {
      throw new ValueError(
        received(
          `Model "${modelName}": layer names must be unique within a model`,
          'name',
          node.layer.name,
        ),
      );
    }
    seen.add(node.layer);
    names.set(node.layer.name, node.layer);
    layers.push(node.layer);
  }
  return { inputs: [...inputs], outputs: [...outputs], nodes, layers };
}

/** Runs the graph on concrete inputs; disposes intermediate tensors it made. */
export function runGraph(graph: Graph, inputs: readonly Tensor[], context: CallContext): Tensor[] {
  const values = new Map<number, Tensor>();
  graph.inputs.forEach((s, i) => {
    values.set(s.id, inputs[i] as Tensor);
  });
  const made: Tensor[] = [];
  for (const node of graph.nodes) {
    if (node.inputs.length === 0) continue;
    const args = node.inputs.map((s) => values.get(s.id) as Tensor);
    const outs = node.layer.invoke(
      args,
      node.training === undefined ? context : { ...context, training: node.training },
    );
    node.outputs.forEach((s, k) => {
      const t = outs[k] as Tensor;
      values.set(s.id, t);
      made.push(t);
    });
  }
  const results = graph.outputs.map((s) => values.get(s.id) as Tensor);
  const keep = new Set<Tensor>([...results, ...inputs]);
  for (const t of made) if (!keep.has(t) && !t.isDisposed) t.dispose();
  return results;
}

/** Output shapes of the graph for these input shapes (batch included). */
export function graphOutputShapes(graph: Graph, inputShapes: readonly Shape[]): Shape[] {
  const shapes = new Map<number, Shape>();
  graph.inputs.forEach((s, i) => {
    shapes.set(s.id, inputShapes[i] as Shape);
  });
  for (const node of graph.nodes) {
    if (node.inputs.length === 0) continue;
    const ins = node.inputs.map((s) => shapes.get(s.id) as Shape);
    const out = node.layer.computeOutputShape(ins.length === 1 ? (ins[0] as Shape) : ins);
    const outs = isShapeList(out) ? out : [out];
    node.outputs.forEach((s, k) => {
      shapes.set(s.id, outs[k] as Shape);
    });
  }
  return graph.outputs.map((s) => shapes.get(s.id) as Shape);
}

/** Checks concrete or symbolic input shapes against the graph's inputs. */
export function checkGraphInputs(modelName: string, graph: Graph, shapes: readonly Shape[]): void {
  if (shapes.length !== graph.inputs.length) {
    throw new ValueError(
      received(
        `Model "${modelName}" expects ${graph.inputs.length} input(s)`,
        'inputs',
        shapes.length,
      ),
    );
  }
  graph.inputs.forEach((s, i) => {
    const actual = shapes[i] as Shape;
    const fits =
      actual.length === s.shape.length &&
      s.shape.every((d, k) => k === 0 || d === null || actual[k] === null || actual[k] === d);
    if (!fits) {
      throw new ShapeError(
        receivedShape(
          `Model "${modelName}": input ${i} ("${s.sourceLayer.name}") expects shape ${formatShape(s.shape)}`,
          actual,
        ),
      );
    }
  });
}
